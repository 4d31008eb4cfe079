// Lint: typed rules (no-floating-promises) everywhere; no import cycles in src/; workflow code may not
// import Node built-ins, dockerode, fs, or activity values — it must stay deterministic and bundle for the
// Temporal sandbox (scripts/check-workflow-imports.mjs follows the imports transitively); the report's
// browser client (src/report/client, plain JS) is linted as browser code. Formatting: Prettier (.prettierrc.json).
import js from '@eslint/js';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '**/*.mjs', '**/*.js', '!src/report/client/**/*.js'] },
  {
    files: ['src/report/client/**/*.js'],
    ...js.configs.recommended,
    languageOptions: {
      sourceType: 'script',
      globals: { ...globals.browser, uPlot: 'readonly', Diff2Html: 'readonly' },
    },
  },
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: ['**/*.ts'] })),
  {
    files: ['src/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.json'] })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // A Promise where a value is expected (an un-awaited store call in a condition) is always truthy.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'fs/*', 'path', 'child_process', 'os', 'crypto', 'dockerode', 'better-sqlite3'],
              message: 'Workflow code must be deterministic: no I/O modules.',
            },
            {
              group: ['../activities', '../activities/*'],
              allowTypeImports: true,
              message: 'Import activities as types only.',
            },
          ],
        },
      ],
    },
  },
);
