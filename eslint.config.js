// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'stream', 'zlib', 'worker_threads', 'url', 'util', 'events', 'buffer', 'process', 'timers'];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'db/migrations/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O libraries.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [
          ...nodeBuiltins.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'Workflows are deterministic: no Node built-ins (do it in an activity).' })),
        ],
        patterns: [
          { group: ['fast-xml-parser', 'saxes', 'adm-zip', 'iconv-lite', 'xmllint-wasm'], message: 'No XML or zip work in workflows: do it in an activity.' },
          { group: ['drizzle-orm', 'drizzle-orm/*', 'postgres', '@electric-sql/*', '**/db/**'], message: 'No database access in workflows: use an activity.' },
          { group: ['pino', 'pino/*'], message: 'Workflows log through @temporalio/workflow log.' },
          { group: ['hono', 'hono/*', '@hono/*', 'commander'], message: 'No HTTP or CLI code in workflows.' },
          { group: ['**/connectors/**', '**/formats/**'], message: 'Workflows call activities; connectors and formats run in activities.' },
        ],
      }],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
