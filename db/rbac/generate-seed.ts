// Regenerates db/seed/role_permissions.sql from db/rbac/matrix.ts.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { rolePermissionsSeedSql } from './seed-sql';

const target = path.join(__dirname, '..', 'seed', 'role_permissions.sql');
writeFileSync(target, rolePermissionsSeedSql());
console.log(`wrote ${path.relative(process.cwd(), target)}`);
