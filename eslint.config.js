// @ts-check
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
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*'],
              message: 'packages/core runs in plain Node; Electron belongs in apps/desktop.',
            },
            {
              group: ['react', 'react-dom', 'react/*', '@little-monster/ui*'],
              message: 'packages/core must not import the UI.',
            },
          ],
        },
      ],
    },
  },
  // The contract is loaded by the browser too: zod only.
  {
    files: ['packages/core/src/contract/**/*.ts'],
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
