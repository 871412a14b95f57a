// Lint: type-aware rules everywhere; determinism enforced under workflows/ (Temporal replays them).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs', 'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process', 'readline', 'stream', 'timers', 'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'ui/dist/**', 'data/**', '.juece/**', 'test-artifacts/**', 'tools/**', 'eslint.config.mjs', 'jest.config.js', 'scripts/bootstrap.js'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'Workflow code must be deterministic: no Node built-ins.' })),
            { name: 'mongoose', message: 'Workflows never touch the store; use an activity.' },
            { name: 'express', message: 'Workflows never serve HTTP.' },
            { name: 'bpmn-moddle', message: 'Parse BPMN outside the workflow (definitions/compiler.ts).' },
            { name: 'saxen', message: 'No XML parsing in workflows.' },
            { name: 'moddle-xml', message: 'No XML parsing in workflows.' },
          ],
          patterns: [
            { group: ['../activities', '../activities/*', '../server/*'], allowTypeImports: true, message: 'Import activity and server code as types only.' },
            // The statute catalogue is pure data the guards read; the rest of definitions/ parses XML and reads files.
            { group: ['../definitions/*', '!../definitions/statute', '!../definitions/labels'], allowTypeImports: true, message: 'Only the statute catalogue (definitions/statute, definitions/labels) enters the workflow bundle.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' }, { name: 'setInterval', message: 'Use sleep() in a loop.' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Non-deterministic; not allowed in workflows.' }],
    },
  },
);
