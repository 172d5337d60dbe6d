import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const unusedVars = [
  'error',
  {
    argsIgnorePattern: '^_',
    varsIgnorePattern: '^_',
    caughtErrorsIgnorePattern: '^_',
    destructuredArrayIgnorePattern: '^_',
  },
];

export default defineConfig([
  globalIgnores([
    '**/node_modules/',
    '.data/',
    'coverage/',
    'test-results/',
    '.tmp/',
    'docs/',
    // deliberately broken code (e.g. test/architecture/fixtures)
    '**/fixtures/**',
  ]),

  js.configs.recommended,

  {
    files: ['**/*.ts'],
    // Not the type-checked preset: lint stays fast and needs no project service;
    // `npm run typecheck` covers types.
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': unusedVars,
    },
  },

  {
    // Plain JS here is only tooling config run by Node; the `globals` package
    // is not a dependency, so declare the few Node globals such files use.
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        URL: 'readonly',
      },
    },
    rules: {
      'no-unused-vars': unusedVars,
    },
  },
]);
