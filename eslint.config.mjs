// Lint rules for every TypeScript package; generated and vendored output is skipped.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', '.stack/**', '.bench/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      // Node's globals (the project runs only on Node.js 22+).
      globals: Object.fromEntries(
        ['process', 'console', 'require', 'module', 'exports', '__dirname', '__filename', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'queueMicrotask',
          'URL', 'URLSearchParams', 'AbortController', 'AbortSignal', 'fetch', 'Buffer', 'TextEncoder', 'TextDecoder', 'performance', 'structuredClone']
          .map((name) => [name, name === 'module' || name === 'exports' ? 'writable' : 'readonly']),
      ),
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
