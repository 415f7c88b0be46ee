// ESLint flat config: typescript-eslint's recommended rules over all TypeScript sources, plus
// type-aware promise rules where the store is asynchronous: a forgotten `await` on a money
// transition is a bug the type checker alone cannot see.
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'test-artifacts/', 'coverage/'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    files: ['core/**/*.ts', 'core/**/*.tsx', 'server/**/*.ts', 'server/**/*.tsx', 'electron/**/*.ts', 'test/**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  // Layers (DESIGN.md "Lessons"): which way imports may go. The lint run fails on a violation.
  {
    files: ['core/**/*.ts', 'core/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/server/**', '**/renderer/**', '**/electron/**'], message: 'core imports nothing from server, renderer or electron' }] }],
    },
  },
  {
    files: ['server/**/*.ts', 'server/**/*.tsx'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/core/store/**'], message: 'the server reaches data through core services, never the store' },
            { group: ['**/renderer/**', '**/electron/**'], message: 'the server imports nothing from the renderer or electron' },
          ],
        },
      ],
      // Sweep before read is core's concern (CoreContext.fresh): routes never run the sweeper.
      'no-restricted-syntax': [
        'error',
        { selector: "MemberExpression[property.name='sweeper']", message: 'core services sweep before they read (ctx.fresh); only server/create-app.ts runs the sweeper, on its timer' },
      ],
    },
  },
  {
    // The one place the server drives the sweeper: its timer and the last sweep at shutdown.
    files: ['server/create-app.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // Wire types from core and server (type-only, erased at build); at run time only core's
              // pure, shared modules (money, currencies, the event catalogue, bank-account checks).
              regex: '(^|/)(server/|core/(?!(money|currencies|event-catalogue|notifications/types|banking/iban|banking/creditor-reference)$))',
              allowTypeImports: true,
              message: 'the renderer imports types only from core and server, and at run time only the shared modules',
            },
            { group: ['**/electron/**'], message: 'the renderer never imports the desktop shell' },
          ],
        },
      ],
    },
  },
  {
    files: ['electron/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/renderer/**'], allowTypeImports: true, message: 'electron does not import the renderer (only the bridge contract’s types)' }] },
      ],
    },
  },
  // Tests reach state through the API or core. Raw SQL only where the raw row is the point: a
  // secret at rest, a database trigger refusing a change, a counter no API can reach, the WAL file.
  {
    files: ['test/**/*.ts', 'test/**/*.tsx'],
    ignores: [
      'test/support/**',
      'test/integration/helpers.ts', // countRows: "a refused request created nothing", on either store
      'test/integration/store/**', // the store adapters' own tests
      'test/integration/receipts.test.ts', // the receipt signing key is sealed at rest
      'test/integration/notifications-secrets.test.ts', // message secrets are sealed at rest
      'test/integration/day-report.test.ts', // the database refuses to change a closed day
      'test/unit/core/api-keys.test.ts', // keys are hashed at rest
      'test/unit/core/webhooks/webhooks.test.ts', // the fan-out's queued payloads
      'test/unit/core/refid.test.ts', // a link's refId counter at its end
      'test/unit/core/fresh-reads.test.ts', // a row changed beside the store ends the sweeper's quiet
      'test/e2e/staff-server.test.ts', // a WAL checkpoint before reading the file
    ],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/support/raw-db'], message: 'tests reach state through the API or core; raw SQL only where the raw row is the point (see eslint.config.js)' }] }],
    },
  },
);
