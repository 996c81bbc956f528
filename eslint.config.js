// @ts-check
import { readdirSync } from 'node:fs';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'net',
  'worker_threads',
  'stream',
];

/** The engine never imports Electron or the UI. */
const engineOnly = [
  {
    group: ['electron', 'electron/*'],
    message: 'packages/core runs in plain Node; Electron belongs in apps/desktop.',
  },
  {
    group: ['react', 'react-dom', 'react/*', '@little-monster/ui*'],
    message: 'packages/core must not import the UI.',
  },
];

/**
 * The engine's layers, top to bottom: the contract, then rpc (the dispatcher), the domains (built
 * from the kit), the services (search, ingest, ai, models, audio, sync), and the ground (jobs, workers,
 * storage, db). Each folder lists what it may import besides the contract and the shared helpers
 * (logging, secrets, config.ts, format-bytes.ts); core.ts, index.ts and server/ compose it all.
 * Within the services the order is search > ingest > ai > models, audio, so no two import each
 * other. Tests and test-support compose layers freely.
 */
const coreLayers = {
  rpc: [],
  kit: ['search', 'ingest', 'ai', 'models', 'audio', 'sync', 'jobs', 'workers', 'storage', 'db'],
  domains: ['kit', 'search', 'ingest', 'ai', 'models', 'audio', 'sync', 'jobs', 'workers', 'storage', 'db'],
  search: ['ingest', 'ai', 'models', 'audio', 'jobs', 'workers', 'storage', 'db'],
  ingest: ['ai', 'models', 'audio', 'workers', 'storage'],
  ai: ['models', 'audio', 'workers', 'storage'],
  models: ['jobs', 'workers', 'storage'],
  audio: ['workers', 'storage'],
  sync: ['db'],
  jobs: ['workers', 'storage', 'db'],
  workers: ['storage'],
  storage: [],
  db: ['storage'],
};
const composing = ['server', 'core.js', 'index.js', 'contract-suite', 'test-support'];
const layered = [...Object.keys(coreLayers), ...composing];

/** A relative import into one of `folders` of packages/core/src, from any depth. */
const into = (folders) => `^(\\.\\./)+(${folders.map((f) => f.replace('.', '\\.')).join('|')})(/|$)`;

const layerRules = Object.entries(coreLayers).map(([layer, allowed]) => ({
  files: [`packages/core/src/${layer}/**/*.ts`],
  ignores: ['**/*.test.ts', '**/test-support/**'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          ...engineOnly,
          {
            regex: into(layered.filter((folder) => folder !== layer && !allowed.includes(folder))),
            message: `${layer}/ may import only ${allowed.join(', ') || 'the contract and the shared helpers'} (the engine's layers: see eslint.config.js).`,
          },
        ],
      },
    ],
  },
}));

/**
 * A domain is built from the kit and owns its tables: it imports no other domain (it reads
 * others through `kit.queries` or hears of them through events), only its own schema file
 * (db/schema/<domain>.ts), and never the raw database handle (it writes through the Store).
 */
const domainNames = readdirSync(new URL('./packages/core/src/domains/', import.meta.url), {
  withFileTypes: true,
})
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);
/** Anki collections are SQLite files of their own (not the app's database): their reader and writer open them directly. */
const foreignDatabases = ['packages/core/src/domains/study/anki/*.ts'];
/** A domain's files, a folder or two deep: `../` is another domain only from its top folder. */
const domainDepths = [0, 1, 2];
const domainRule = (domain, depth, files, { rawSqlite = false } = {}) => ({
  files,
  ignores: ['**/*.test.ts', '**/test-support/**'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: rawSqlite
          ? []
          : [
              { name: 'better-sqlite3', message: 'A domain writes through kit.store, never the raw handle.' },
              { name: 'drizzle-orm/better-sqlite3', message: 'A domain writes through kit.store.' },
            ],
        patterns: [
          ...engineOnly,
          {
            regex: into(layered.filter((folder) => !coreLayers.domains.includes(folder))),
            message: 'A domain may import the kit, the services and the ground, not rpc, server or core.',
          },
          {
            regex: `^(\\.\\./){${depth + 1}}[^.]`,
            message: `The ${domain} domain imports no other domain: read through kit.queries, act through kit.events.`,
          },
          {
            regex: `db/schema/(?!${domain}\\.js$)`,
            message: `The ${domain} domain reads and writes only its own tables (db/schema/${domain}.ts).`,
          },
          {
            regex: 'db/open-database',
            message: 'A domain writes through kit.store, never the raw handle.',
          },
        ],
      },
    ],
  },
});
const domainRules = [
  ...domainNames.flatMap((domain) =>
    domainDepths.map((depth) =>
      domainRule(domain, depth, [`packages/core/src/domains/${domain}/${'*/'.repeat(depth)}*.ts`]),
    ),
  ),
  domainRule('study', 1, foreignDatabases, { rawSqlite: true }),
];
/** What the UI may import of core (`allowed`), and no Node built-ins or Electron. */
function uiImports(allowed) {
  return [
    'error',
    {
      paths: [{ name: '@little-monster/core', message: `Import only ${allowed.join(' or ')} in the UI.` }],
      patterns: [
        {
          group: ['@little-monster/core/*', ...allowed.map((path) => `!${path}`)],
          message: 'The UI may import only the contract of core.',
        },
        {
          group: ['**/packages/core/**', '../core/**', '../../core/**'],
          message: 'The UI may import only the contract of core.',
        },
        { group: nodeBuiltins, message: 'The UI runs in a browser: no Node built-ins.' },
        {
          group: ['electron'],
          message: 'The UI is mounted by the desktop app; it does not import Electron.',
        },
      ],
    },
  ];
}

export default tseslint.config(
  {
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/out/**',
      '**/release/**',
      'test-results/**',
      'playwright-report/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // The engine is plain Node: never Electron, never React.
  {
    files: ['packages/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: engineOnly }] },
  },
  ...layerRules,
  ...domainRules,
  // The contract is loaded by the browser too: zod only (its tests are not).
  {
    files: ['packages/core/src/contract/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\.{1,2}/).*',
              message: 'The contract may import only zod and its own files.',
            },
          ],
        },
      ],
    },
  },
  // The UI talks to the engine through the contract only, and runs in a browser.
  {
    files: ['packages/ui/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': uiImports(['@little-monster/core/contract']),
    },
  },
  // Its tests also run the contract's shared cases against the in-memory test engines.
  {
    files: ['packages/ui/**/*.test.{ts,tsx}'],
    rules: {
      'no-restricted-imports': uiImports([
        '@little-monster/core/contract',
        '@little-monster/core/contract-suite',
      ]),
    },
  },
  // The shared contract cases run in the UI's tests too: vitest and the contract only.
  {
    files: ['packages/core/src/contract-suite/cases/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!vitest$|\\.\\./\\.\\./contract/index\\.js$|\\./).*',
              message: 'Contract cases may import only vitest, the contract and each other.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['apps/desktop/src/renderer/**/*.ts', 'apps/desktop/src/preload/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
