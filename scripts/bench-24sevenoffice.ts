/**
 * 24SevenOffice figure (no assertions): a full chart fetch (accounts, tax codes, voucher types) and
 * 30 Z-report vouchers posted (GetEntryId + SaveBundleList each) against the local SOAP sandbox —
 * once at the real default rate limit (7200 requests/hour, spaced 500 ms apart), once unthrottled
 * to show the cost of SOAP itself. Run with `npm run bench:24sevenoffice`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { norwegianDay } from '../test/fixtures/settlements';
import { TARGETS } from '../src/shared/targets';
import { create24SevenOfficeConnector } from '../src/main/connectors/24sevenoffice/connector';
import type { ConnectorTuning } from '../src/main/connectors/connector';
import { PRESETS } from '../src/main/mapping/presets';
import { startTfsoSandbox, TFSO_SANDBOX_DEFAULTS } from '../src/main/sandboxes/24sevenoffice';
import { homeSecretStore } from '../src/main/secrets/secret-store';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../src/main/vouchers/build';

const VOUCHERS = 30;

async function run(label: string, tuning: Partial<ConnectorTuning>): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'kassebro-bench-24so-'));
  const sandbox = await startTfsoSandbox();
  try {
    const secrets = homeSecretStore(home);
    await secrets.set('24so', {
      applicationId: TFSO_SANDBOX_DEFAULTS.applicationId,
      username: TFSO_SANDBOX_DEFAULTS.username,
      password: TFSO_SANDBOX_DEFAULTS.password,
    });
    const connector = create24SevenOfficeConnector({
      targetId: `bench-${label}`,
      settings: { baseUrl: sandbox.url },
      secrets,
      secretRef: '24so',
      tuning,
    });
    const kontooppsett = { ...PRESETS['no-standard'].kontooppsett, departments: [{ location: '1', department: '1' }] };
    const vouchers = Array.from({ length: VOUCHERS }, (_, index) => {
      const date = new Date(Date.UTC(2026, 9, 1 + index)).toISOString().slice(0, 10);
      const built = buildVoucher(norwegianDay({ businessDate: date }), kontooppsett, {
        vatStyle: TARGETS['24sevenoffice'].vatStyle,
        language: 'nb',
        chart: null,
        ...DEFAULT_RESIDUAL_LIMITS,
      });
      if (!built.voucher) throw new Error(JSON.stringify(built.problems));
      return built.voucher;
    });
    const started = performance.now();
    const chart = await connector.fetchChart();
    const chartMs = performance.now() - started;
    for (const [index, voucher] of vouchers.entries()) await connector.postVoucher(voucher, `kb1-bench-${index}`);
    const totalMs = performance.now() - started;
    console.log(
      `24SevenOffice ${label}: chart fetch (${chart.accounts.length} accounts, ${chart.vatCodes?.length ?? 0} tax codes, incl. Login) ` +
        `${chartMs.toFixed(0)} ms; + ${VOUCHERS} vouchers posted = ${totalMs.toFixed(0)} ms total, ` +
        `${sandbox.requestCount()} SOAP requests, ${sandbox.vouchers().length} vouchers in the sandbox`,
    );
  } finally {
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  }
}

await run('at the default limit (7200/h)', {});
await run('unthrottled', { rateLimit: { requests: 1_000_000, perMs: 1_000 } });
