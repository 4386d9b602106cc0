// Lint: TypeScript rules everywhere, plus the determinism rule for workflow code (STYLE.md §2):
// files under workflows/ may import only @temporalio/workflow, types, and pure flows/ code.
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
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({ name, message: 'Workflow code must be deterministic: no Node built-ins.' })),
          patterns: [
            {
              group: ['**/activities', '**/activities/**', '**/api/**', '**/db/**', '**/workers/**', '**/scripts/**', '**/config/**'],
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
    // Tests inspect JSON response bodies with jest matchers, which already fail on any shape.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: { ...globals.node } } },
  { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs' } },
);
