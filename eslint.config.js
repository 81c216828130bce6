import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

// Where code runs decides what it may import. The engine (everything in src/main except app/)
// must load under plain Node, so the CLI, the agent and every test run without Electron.
const electronOnlyInApp = {
  paths: [
    { name: 'electron', message: 'Only src/main/app/ may import electron; the engine must run under plain Node.' },
    {
      name: 'electron-log/main',
      message: 'electron-log/main needs Electron; log through src/main/log/logger.ts.',
    },
  ],
  patterns: [{ group: ['electron/*', '@electron/*'], message: 'Only src/main/app/ may import Electron modules.' }],
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'coverage/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/main/**/*.ts', 'src/shared/**/*.ts', 'test/**/*.ts', 'bin/**/*.mjs', 'scripts/**/*.ts'],
    ignores: ['src/main/app/**'],
    rules: { 'no-restricted-imports': ['error', electronOnlyInApp] },
  },
  {
    // Shared contracts are used by the renderer too: no Node built-ins, no engine code.
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          ...electronOnlyInApp,
          patterns: [
            ...electronOnlyInApp.patterns,
            {
              group: ['node:*', '**/main/**'],
              message: 'src/shared is used by the renderer: no Node or engine imports.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,svelte}'],
    languageOptions: { globals: { ...globals.browser }, parserOptions: { parser: tseslint.parser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'The renderer talks only to the preload API.' }],
          patterns: [{ group: ['node:*', '**/main/**'], message: 'The renderer talks only to the preload API.' }],
        },
      ],
    },
  },
);
