/**
 * Connector figures (no assertions), per API target in API_TARGETS: a full chart fetch plus 30
 * Z-report vouchers posted against the target's local sandbox, through the connector with its
 * PRODUCTION default rate limit and timeouts (so the figure shows what the pacing costs), then
 * again unthrottled (what the connector and sandbox cost by themselves).
 * Run with `npm run bench:connectors` or `npx tsx scripts/bench-connectors.ts [KIND…]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { norwegianDay, swedishDay } from '../test/fixtures/settlements';
import { TARGETS } from '../src/shared/targets';
import type { ApiTarget } from '../src/main/connectors/api-target';
import { API_TARGETS } from '../src/main/connectors/registry';
import { PRESETS } from '../src/main/mapping/presets';
import { homeSecretStore } from '../src/main/secrets/secret-store';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../src/main/vouchers/build';

const VOUCHERS = 30;
const wanted = process.argv.slice(2);

const UNTHROTTLED = { requests: 100_000, perMs: 1_000 };

async function measure(target: ApiTarget, throttle: 'default' | 'unthrottled'): Promise<void> {
  const definition = TARGETS[target.kind];
  const home = mkdtempSync(join(tmpdir(), `kassebro-bench-${target.kind}-`));
  const sandbox = await target.startSandbox(throttle === 'unthrottled' ? { rateLimit: UNTHROTTLED } : {});
  try {
    const secrets = homeSecretStore(home);
    await secrets.set('bench', sandbox.credentials());
    const connector = target.createConnector({
      targetId: `bench-${target.kind}-${throttle}`,
      settings: target.settingsSchema.parse(sandbox.targetSettings()),
      secrets,
      secretRef: 'bench',
      ...(throttle === 'unthrottled' ? { tuning: { rateLimit: UNTHROTTLED } } : {}),
    });
    const day = definition.country === 'SE' ? swedishDay : norwegianDay;
    const vouchers = Array.from({ length: VOUCHERS }, (_, index) => {
      const date = new Date(Date.UTC(2026, 9, 1 + index)).toISOString().slice(0, 10);
      const built = buildVoucher(
        day({ id: index + 1, businessDate: date }),
        PRESETS[definition.defaultPreset].kontooppsett,
        {
          vatStyle: definition.vatStyle,
          language: definition.language,
          chart: null,
          ...DEFAULT_RESIDUAL_LIMITS,
        },
      );
      if (!built.voucher) throw new Error(`${target.kind}: ${JSON.stringify(built.problems)}`);
      return built.voucher;
    });
    const started = performance.now();
    const chart = await connector.fetchChart();
    const chartMs = performance.now() - started;
    for (const [index, voucher] of vouchers.entries()) {
      await connector.postVoucher(voucher, `kb1-bench-${index}`);
    }
    const totalMs = performance.now() - started;
    const stored = sandbox.vouchers().length;
    if (stored !== VOUCHERS) throw new Error(`${target.kind}: the sandbox holds ${stored} vouchers, not ${VOUCHERS}`);
    console.log(
      `${target.kind}: chart fetch (${chart.accounts.length} accounts, ${chart.vatCodes?.length ?? 0} VAT codes) ` +
        `${chartMs.toFixed(0)} ms; chart + ${VOUCHERS} vouchers ${totalMs.toFixed(0)} ms ` +
        `(${sandbox.requestCount()} requests, ${throttle === 'default' ? 'default rate limit' : 'unthrottled'})`,
    );
  } finally {
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  }
}

for (const target of API_TARGETS.filter((candidate) => wanted.length === 0 || wanted.includes(candidate.kind))) {
  await measure(target, 'default');
  await measure(target, 'unthrottled');
}
