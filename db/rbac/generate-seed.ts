// Regenerates, from db/rbac/matrix.ts: db/seed/role_permissions.sql and the permission table
// in README.md (between the rbac-matrix markers). Tests fail when either is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { permissionMatrixMarkdown } from './markdown';
import { rolePermissionsSeedSql } from './seed-sql';

const seed = path.join(__dirname, '..', 'seed', 'role_permissions.sql');
writeFileSync(seed, rolePermissionsSeedSql());
console.log(`wrote ${path.relative(process.cwd(), seed)}`);

const readme = path.join(__dirname, '..', '..', 'README.md');
const text = readFileSync(readme, 'utf8');
const updated = text.replace(
  /(<!-- rbac-matrix:start -->)[\s\S]*?(<!-- rbac-matrix:end -->)/,
  `$1\n${permissionMatrixMarkdown()}\n$2`,
);
writeFileSync(readme, updated);
console.log('updated the permission table in README.md');
