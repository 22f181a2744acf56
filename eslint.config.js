import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

// Import floors (ARCHITECTURE.md: arrows point down only; docs/decisions/050-names-and-boundaries.md).
// One rule, @typescript-eslint/no-restricted-imports (the core rule plus `allowTypeImports`).
// A later block replaces an earlier block's options for the same file, so each block lists every
// group its files obey. scripts/lint-boundaries.test.ts proves each group fires.
const UP = String.raw`^(?:\.{1,2}/)+`; // a relative path made only of ./ and ../ segments
const group = {
  // Private SDK paths change without notice between releases.
  temporalPrivate: { regex: '^@temporalio/[^/]+/lib(?:/|$)', message: 'Private Temporal SDK path: use the package root (or a small local helper).' },
  // Lower floors never reach back up into the console.
  noApp: [
    { regex: `${UP}app(?:/|$)`, message: 'prisma/, machines/, finance/, ports/ and temporal/ never import app/.' },
    { regex: '^~(?:/|$)', message: 'prisma/, machines/, finance/, ports/ and temporal/ never import app/ (~/).' },
  ],
  // Money rules and outside systems are plain TypeScript.
  noTemporalNoRemix: [
    { group: ['@temporalio/*', '@temporalio/*/**'], message: 'finance/ and ports/ do not use the Temporal SDK.' },
    { group: ['@remix-run/*', '@remix-run/*/**'], message: 'finance/ and ports/ do not use Remix.' },
  ],
  // Workflow code runs in Temporal's deterministic sandbox.
  workflowSandbox: [
    { regex: `${UP}(?:prisma|generated)(?:/|$)`, message: 'Workflow code does no I/O: no Prisma.' },
    { group: ['@prisma/*', '@prisma/*/**', '.prisma/**'], message: 'Workflow code does no I/O: no Prisma.' },
    { regex: `${UP}ports(?:/|$)`, message: 'Workflow code does no I/O: ports are called from activities.' },
    { regex: `${UP}(?:temporal/)?activities(?:/|$)`, allowTypeImports: true, message: 'Workflow code imports activity types only: `import type`.' },
    { regex: '^node:', message: 'No Node built-ins in workflow code.' },
  ],
  workflowBuiltins: builtinModules.filter((m) => !m.startsWith('_')).map((name) => ({ name, message: 'No Node built-ins in workflow code.' })),
  // The console sees the machines through their public API only.
  machinesIndexOnly: { regex: `${UP}machines/(?!index(?:\\.ts)?$)`, message: 'Import machines through machines/index.ts (`../../machines`), not a deep path.' },
};
const restrict = (patterns, paths = []) => ({ '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns: patterns.flat() }] });
const TESTS = ['**/*.test.ts', '**/*.test.tsx'];
const RUNNERS = '/^(it|test|describe|suite|bench)$/';
const FOCUS_OR_SKIP = [
  // it.only(…), describe.skip(…), test.fixme(…), it.skipIf(…)(…)
  `MemberExpression[object.name=${RUNNERS}][property.name=/^(only|skip|todo|fixme|skipIf|runIf)$/]`,
  // test.describe.only(…), test.describe.parallel.only(…), it.concurrent.skip(…)
  `MemberExpression[object.type='MemberExpression'][object.object.name=${RUNNERS}][property.name=/^(only|skip|todo|fixme|skipIf|runIf)$/]`,
  `MemberExpression[object.type='MemberExpression'][object.object.type='MemberExpression'][object.object.object.name=${RUNNERS}][property.name=/^(only|skip|todo|fixme)$/]`,
];

export default tseslint.config(
  { ignores: ['node_modules', 'build', 'public/build', 'generated', '.cache', '.data', 'test-results', 'playwright-report'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
    },
  },
  { files: ['**/*.{ts,tsx,js,mjs,cjs}'], rules: restrict([group.temporalPrivate]) },
  { files: ['app/**'], rules: restrict([group.temporalPrivate, group.machinesIndexOnly]) },
  { files: ['prisma/**', 'machines/**', 'temporal/**'], rules: restrict([group.temporalPrivate, group.noApp]) },
  { files: ['finance/**', 'ports/**'], rules: restrict([group.temporalPrivate, group.noApp, group.noTemporalNoRemix]) },
  {
    files: ['temporal/workflows/**'],
    ignores: TESTS,
    rules: restrict([group.temporalPrivate, group.noApp, group.workflowSandbox], group.workflowBuiltins),
  },
  // A focused or skipped test makes a green run that proves less than it says.
  {
    files: [...TESTS, 'e2e/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...FOCUS_OR_SKIP.map((selector) => ({ selector, message: 'No focused or skipped tests (.only, .skip, .todo, .fixme, skipIf): the run must prove everything it lists.' })),
      ],
      'no-restricted-globals': ['error', ...['xit', 'xtest', 'xdescribe', 'fit', 'fdescribe'].map((name) => ({ name, message: 'No focused or skipped tests.' }))],
    },
  },
);
