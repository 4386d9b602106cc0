import { ACTIONS, RESOURCES, ROLE_PERMISSIONS, ROLES } from './matrix';

const LETTER = { create: 'C', read: 'R', update: 'U', delete: 'D', approve: 'A' } as const;

/** The permission matrix as a Markdown table (README), generated from the TypeScript matrix. */
export function permissionMatrixMarkdown(): string {
  const header = `| resource | ${ROLES.join(' | ')} |`;
  const rule = `|---|${ROLES.map(() => '---').join('|')}|`;
  const rows = RESOURCES.map((resource) => {
    const cells = ROLES.map((role) => {
      const letters = ACTIONS.filter((a) => ROLE_PERMISSIONS[role].has(`${resource}:${a}`)).map((a) => LETTER[a]);
      return letters.length ? letters.join('') : '–';
    });
    return `| ${resource} | ${cells.join(' | ')} |`;
  });
  return [header, rule, ...rows].join('\n');
}
