import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.sandbox/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // The add-on runs in Apps Script: its services are globals there.
    files: ['src/**/*.ts'],
    languageOptions: {
      globals: {
        SpreadsheetApp: 'readonly',
        PropertiesService: 'readonly',
        LockService: 'readonly',
        CacheService: 'readonly',
        Session: 'readonly',
        Utilities: 'readonly',
        ScriptApp: 'readonly',
        UrlFetchApp: 'readonly',
        MailApp: 'readonly',
        HtmlService: 'readonly',
        Logger: 'readonly',
        Charts: 'readonly',
      },
    },
  },
  {
    // The pure core must not touch Apps Script: it runs the same in Node and in Apps Script.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        ...[
          'SpreadsheetApp',
          'PropertiesService',
          'LockService',
          'CacheService',
          'Session',
          'Utilities',
          'ScriptApp',
          'UrlFetchApp',
          'MailApp',
          'HtmlService',
          'Logger',
        ].map((name) => ({ name, message: 'src/domain is pure: pass values in from the shell.' })),
      ],
    },
  },
  { files: ['sidebar/**/*.ts'], languageOptions: { globals: globals.browser } },
  {
    files: ['sandbox/**/*.{ts,mjs,js}', 'tests/**/*.ts', 'build/**/*.{mjs,js}', '*.{mjs,cjs,js}'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { globals: globals.node, sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);
