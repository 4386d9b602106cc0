// Lint: TypeScript rules everywhere, plus the determinism rule for workflow code (STYLE.md §2):
// files under workflows/ may import only @temporalio/workflow, types, and pure flows/ code.
// flows/ runs inside workflows too, so the same imports are banned there, and so are the clock,
// randomness and timers (Temporal replaces them in workflows/, but flows/ also runs in the API).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/', '.data/', '.tools/', 'web/dist/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // bench/workflows/ is bundled into a worker beside the real workflows: same rules.
    files: ['workflows/**/*.ts', 'flows/**/*.ts', 'commissions/**/*.ts', 'bots/**/*.ts', 'bench/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code must be deterministic: no Node built-ins.' })),
          patterns: [
            {
              // db/rbac/matrix.ts is the one pure module under db/ (the role list approvals name).
              group: ['**/activities', '**/activities/**', '**/api/**', '**/db/*', '!**/db/rbac', '**/db/rbac/*', '!**/db/rbac/matrix', '**/workers/**', '**/scripts/**', '**/config/**'],
              allowTypeImports: true,
              message: 'Workflow code imports only types from side-effecting code; call activities through proxyActivities.',
            },
            {
              group: ['postgres', 'express', 'openai', 'pino', 'pino-http', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'],
              message: 'Workflow code must be deterministic: no I/O packages.',
            },
          ],
        },
      ],
    },
  },
  {
    // commissions/ (the rules engine) is pure for the same reasons as flows/.
    files: ['flows/**/*.ts', 'commissions/**/*.ts', 'bots/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'pure code (flows/, commissions/): no clock (take times from the input).' },
        { object: 'Math', property: 'random', message: 'pure code (flows/, commissions/): no randomness.' },
        { object: 'performance', property: 'now', message: 'pure code (flows/, commissions/): no clock.' },
      ],
      'no-restricted-syntax': [
        'error',
        { selector: "NewExpression[callee.name='Date'][arguments.length=0]", message: 'flows/ is pure: no clock (new Date() reads it).' },
      ],
      'no-restricted-globals': [
        'error',
        ...['setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate', 'process', 'fetch'].map((name) => ({
          name,
          message: 'flows/ is pure: no timers, process or I/O.',
        })),
      ],
    },
  },
  {
    // Tests inspect JSON response bodies with jest matchers, which already fail on any shape.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: { ...globals.node } } },
  { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs' } },
);
