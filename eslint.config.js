// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['fs', 'path', 'os', 'crypto', 'child_process', 'http', 'https', 'net', 'stream', 'zlib', 'worker_threads', 'url', 'util', 'events', 'buffer', 'process', 'timers'];

// A folder's files ('../steps/context') by pattern; its index ('../steps') by exact name (a bare
// pattern would also match every file under it, leaving no room for exceptions).
const LAYER_FOLDERS = {
  rules: ['rules', 'checks'],
  steps: ['steps'],
  activities: ['activities'],
  workflows: ['workflows'],
  edges: ['db', 'connectors', 'client', 'worker'],
};
// (client/ and worker/ have no index, and db/client.ts must not be mistaken for client/.)
const indexes = (folders) => folders.filter((f) => f !== 'client' && f !== 'worker').flatMap((f) => ['.', '..', '../..'].map((up) => `${up}/${f}`));

function layer(files, folders, why, extra = [], extraIndexes = []) {
  return {
    files,
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...indexes(folders).map((name) => ({ name, message: why })), ...extraIndexes],
        patterns: [{ group: folders.map((f) => `**/${f}/*`), message: why }, ...extra],
      }],
    },
  };
}

function layerRules() {
  const order = 'formats → rules → steps → activities → workflows';
  const { rules, steps, activities, workflows, edges } = LAYER_FOLDERS;
  return [
    layer(['formats/**/*.ts'], [...rules, ...steps, ...activities, ...workflows, ...edges], `Layers: ${order}; formats import none of them.`),
    layer(['rules/**/*.ts', 'checks/**/*.ts'], [...steps, ...activities, ...workflows, ...edges], `Layers: ${order}; rules never import a higher layer, the database or a connector.`),
    layer(['steps/**/*.ts'], [...activities, ...workflows, ...edges], `Layers: ${order}; a step gets its files and its ledger through its ports (steps/ports.ts), not from db/ or connectors/.`),
    layer(['activities/**/*.ts'], [...workflows, 'client', 'worker'], `Layers: ${order}; activities never import workflows.`),
    layer(['db/**/*.ts', 'connectors/**/*.ts'], [...activities, ...workflows, 'client', 'worker'], 'The database and the connectors never call activities or workflows.', [{
      // They implement the steps' ports and use its vocabulary; the steps themselves run in activities.
      group: ['**/steps/*', '!**/steps/ports', '!**/steps/vocabulary', '!**/steps/official-names', '!**/steps/rejected', '!**/steps/school-reference', '!**/steps/parsed-files'],
      message: 'The database and the connectors implement what the steps need (steps/ports.ts); the steps run in activities (activities/step-ports.ts).',
    }], indexes(steps).map((name) => ({ name, message: 'The steps run in activities (activities/step-ports.ts).' }))),
  ];
}

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
          { name: '../steps', message: 'Workflows call activities, which run the steps; only the step vocabulary (pure constants) is shared.' },
        ],
        patterns: [
          { group: ['fast-xml-parser', 'saxes', 'adm-zip', 'iconv-lite', 'xmllint-wasm'], message: 'No XML or zip work in workflows: do it in an activity.' },
          { group: ['drizzle-orm', 'drizzle-orm/*', 'postgres', '@electric-sql/*', '**/db/**'], message: 'No database access in workflows: use an activity.' },
          { group: ['pino', 'pino/*'], message: 'Workflows log through @temporalio/workflow log.' },
          { group: ['hono', 'hono/*', '@hono/*', 'commander'], message: 'No HTTP or CLI code in workflows.' },
          { group: ['**/connectors/**', '**/formats/**'], message: 'Workflows call activities; connectors and formats run in activities.' },
          { group: ['**/steps/*', '!**/steps/vocabulary'], message: 'Workflows call activities, which run the steps; only the step vocabulary (pure constants) is shared.' },
        ],
      }],
    },
  },
  // The layers, lowest first: formats → rules (and checks, the checks `synchro check` and the steps
  // share) → steps → activities → workflows. A layer never imports one above it; the database and
  // the connectors are reached from activities and client only (steps get ports: steps/ports.ts).
  ...layerRules(),
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
