import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/dist/**', '.lumio/**', 'test/.artifacts/**', 'studio/node_modules/**', 'studio/vite.config.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      'no-console': ['error', { allow: ['error'] }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // The studio runs in the browser; its TypeScript and TSX get the same rules as the platform.
    files: ['studio/src/**/*.{ts,tsx}'],
    languageOptions: { parserOptions: { ecmaFeatures: { jsx: true } } },
  },
  {
    // Tests read JSON responses whose shape the assertions themselves check.
    files: ['test/**', '**/*.test.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Command-line entry points, benchmarks and simulators print to the terminal by design.
    files: ['**/cli/**', '**/bin/**', 'test/bench/**', 'test/simulators/**', 'plugin-sdk/scripts/**'],
    rules: { 'no-console': 'off' },
  },
);
