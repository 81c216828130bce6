/**
 * PowerOffice Go figure (no assertions): a full chart fetch (token, accounts, VAT codes,
 * departments) plus 30 Z-report vouchers posted against the local sandbox — once at the real
 * default rate limit (10 requests/s per subscription key; the connector keeps to 9/s) and once
 * unthrottled, to show what is the limit and what is our own work. `npx tsx scripts/bench-poweroffice.ts`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { norwegianDay } from '../test/fixtures/settlements';
import { createPowerOfficeConnector } from '../src/main/connectors/poweroffice/connector';
import { PRESETS } from '../src/main/mapping/presets';
import { POWEROFFICE_SANDBOX_DEFAULTS, startPowerOfficeSandbox } from '../src/main/sandboxes/poweroffice';
import { homeSecretStore } from '../src/main/secrets/secret-store';
import { TARGETS } from '../src/shared/targets';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../src/main/vouchers/build';

const VOUCHERS = 30;

function voucher(day: number) {
  const date = new Date(Date.UTC(2026, 9, day)).toISOString().slice(0, 10);
  const result = buildVoucher(norwegianDay({ businessDate: date }), PRESETS['no-standard'].kontooppsett, {
    vatStyle: TARGETS.poweroffice.vatStyle,
    language: 'nb',
    chart: null,
    ...DEFAULT_RESIDUAL_LIMITS,
  });
  if (!result.voucher) throw new Error(JSON.stringify(result.problems));
  return result.voucher;
}

async function run(label: string, throttled: boolean): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'kassebro-bench-po-'));
  const sandbox = await startPowerOfficeSandbox(throttled ? {} : { rateLimit: { requests: 100_000, perMs: 1_000 } });
  try {
    const secrets = homeSecretStore(home);
    await secrets.set('po', {
      applicationKey: POWEROFFICE_SANDBOX_DEFAULTS.applicationKey,
      clientKey: POWEROFFICE_SANDBOX_DEFAULTS.clientKey,
      subscriptionKey: POWEROFFICE_SANDBOX_DEFAULTS.subscriptionKey,
    });
    const connector = createPowerOfficeConnector({
      targetId: `bench-${label}`,
      settings: { baseUrl: `${sandbox.url}/v2` },
      secrets,
      secretRef: 'po',
      ...(throttled ? {} : { tuning: { rateLimit: { requests: 100_000, perMs: 1_000 } } }),
    });
    const vouchers = Array.from({ length: VOUCHERS }, (_, index) => voucher(index + 1));
    const started = performance.now();
    const chart = await connector.fetchChart();
    const chartMs = performance.now() - started;
    for (const [index, item] of vouchers.entries()) await connector.postVoucher(item, `kb1-bench-${index}`);
    const totalMs = performance.now() - started;
    console.log(
      `PowerOffice Go (${label}): chart fetch (${chart.accounts.length} accounts, ${chart.vatCodes?.length ?? 0} VAT codes) ` +
        `${chartMs.toFixed(0)} ms + ${VOUCHERS} vouchers = ${totalMs.toFixed(0)} ms total, ${sandbox.requestCount()} requests, ` +
        `sandbox holds ${sandbox.vouchers().length}`,
    );
  } finally {
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  }
}

await run('real default limit 10 req/s, connector 9 req/s', true);
await run('unthrottled', false);
