// ESLint, type-aware (typescript-eslint). Run by `npm test` (npm run lint).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'bin/**', 'eslint.config.js', 'vitest.config.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // An async function without await is how an interface's promise-returning method is written
      // when this implementation has nothing to wait for.
      '@typescript-eslint/require-await': 'off',
      // U+001F and other control characters are deliberate field separators (ROW_CSV).
      'no-control-regex': 'off',
      // Values narrowed from `unknown` (config, AST nodes, rows) are printed for people; the rule
      // cannot see the narrowing and asks for casts that say nothing.
      '@typescript-eslint/no-base-to-string': 'off',
      // `parse(text, …) as Row[]` reads better than csv-parse's generic parameters.
      '@typescript-eslint/no-unnecessary-type-assertion': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Error codes are a typed list per folder: each folder throws its own CdwError subclass.
    files: ['connectors/**', 'transforms/**', 'identity/**', 'warehouse/**', 'jobs/**', 'demo/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='CdwError']",
          message: "Throw this folder's error class (its errors.ts lists the codes), not CdwError.",
        },
      ],
    },
  },
  {
    // Tests read JSON printed by the CLI and values from a browser page: shapes they assert on.
    files: ['tests/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
    },
  },
);
