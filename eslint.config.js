import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
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
    // the web app's build output
    'packages/web/dist/',
  ]),

  js.configs.recommended,

  {
    files: ['**/*.{ts,tsx}'],
    // Not the type-checked preset: lint stays fast and needs no project service;
    // `npm run typecheck` covers types.
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/no-unused-vars': unusedVars,
    },
  },

  {
    // The web app (React): the rules of hooks. Browser globals need no declaring: typescript-eslint
    // leaves undefined names to the type checker, which knows the DOM (packages/web/tsconfig.json).
    files: ['packages/web/src/**/*.{ts,tsx}'],
    extends: [reactHooks.configs.flat.recommended],
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
