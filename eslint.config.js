// The lint gate (`npm run lint`, run by .ci/run before the tests). typescript-eslint's
// recommended rules without type information: the type-aware set needs a full program per run,
// which on two shared cores costs more than the typecheck gate itself, and `tsc` already runs
// as its own gate. The cases older than the gate are listed in eslint-suppressions.json
// (`npm run lint -- --prune-suppressions` drops the ones fixed since); new code gets none.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.cache/', 'dist/', '.astro/', '.coredns-lab/', 'bench/results/', 'test-results/', 'test/artifacts/', '**/*.astro'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      // Node's globals for the plain-JS files (the TypeScript ones are checked by tsc)
      globals: Object.fromEntries(['process', 'console', 'URL', 'URLSearchParams', 'Buffer', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'performance', 'structuredClone', 'fetch', 'AbortController', 'TextEncoder', 'TextDecoder', 'queueMicrotask'].map((g) => [g, 'readonly'])),
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      // `_` marks a parameter a signature needs but the body does not (express's error handler)
      // an object literal's getter handed out by a class (no arrow form for getters) needs the instance
      '@typescript-eslint/no-this-alias': ['error', { allowedNames: ['self'] }],
      // tests match kubectl's column layout, where the literal run of spaces is the point
      'no-regex-spaces': 'off',
      // 140 columns of code; a line is exempt for a string, template literal, regular expression or
      // URL it holds (an error message or a kubectl table row reads better unbroken)
      'max-len': ['error', { code: 140, ignoreUrls: true, ignoreStrings: true, ignoreTemplateLiterals: true, ignoreRegExpLiterals: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' } },
  },
);
