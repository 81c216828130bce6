import { configDefaults, defineConfig } from 'vitest/config';

const ALL_TESTS = ['src/**/*.test.ts', 'test/**/*.test.ts'];

/** The built app driven through Playwright (needs `npm run build`). */
const E2E = ['test/e2e/**/*.test.ts', 'test/electron/**/*.test.ts'];

/** The SIGKILL exactly-once test: hundreds of killed child processes per target. */
const STRESS = ['test/sigkill/**/*.test.ts'];

/** Test files that start sandboxes, servers or child processes (socat, forked engines, the CLI). */
const INTEGRATION = [
  'src/main/agent/agent.test.ts',
  'src/main/cli/main.test.ts',
  'src/main/connectors/*/connector.test.ts',
  'src/main/connectors/*/sync.test.ts',
  'src/main/connectors/*/invoice-sync.test.ts',
  'src/main/connectors/oauth-connect.test.ts',
  'src/main/demo/{fortnox-invoices,post-demo,poweroffice-invoices}.test.ts',
  'src/main/engine/{engine-host,setup-actions,utility-process}.test.ts',
  'src/main/invoices/{cli,sync}.test.ts',
  'src/main/serve/server.test.ts',
  'src/main/sync/{daemon,engine}.test.ts',
  'src/main/terminal/{pty,zvt/zvt}.test.ts',
  'src/main/sandboxes/*.test.ts',
  'src/main/sources/parse-in-worker.test.ts',
  'src/main/sync/lock.test.ts',
  'src/main/vouchers/isolation.test.ts',
  'test/concurrency/**/*.test.ts',
  'test/cli-bundle.test.ts',
  'test/technician/**/*.test.ts',
  'test/test-summary.test.ts',
];

export default defineConfig(({ mode }) => ({
  test: {
    environment: 'node',
    // better-sqlite3 is a native addon: separate processes keep each test file's handles apart.
    pool: 'forks',
    testTimeout: 20_000,
    // Tests never write into the developer's real OS keyring (the keyring path has its own fake-vault tests).
    env: { KASSEBRO_SECRET_KEY_STORE: 'file' },
    reporters: ['default', 'json', './scripts/timing-reporter.ts'],
    outputFile: { json: 'test-results/vitest.json' },
    // Every test file is in exactly one tier (scripts/check-test-tiers.ts proves it): unit is what is left.
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ALL_TESTS,
          exclude: [...configDefaults.exclude, ...INTEGRATION, ...E2E, ...STRESS],
        },
      },
      { extends: true, test: { name: 'integration', include: INTEGRATION } },
      { extends: true, test: { name: 'e2e', include: E2E } },
      {
        extends: true,
        // `npm run stress` (vitest --mode stress) asks test/sigkill for its full kill counts.
        test: { name: 'stress', include: STRESS, env: mode === 'stress' ? { KASSEBRO_STRESS: '1' } : {} },
      },
    ],
  },
}));
