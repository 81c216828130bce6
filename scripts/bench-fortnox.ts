/**
 * Fortnox figures (no assertions): a full chart fetch plus 30 Z-report vouchers posted against the
 * sandbox, which enforces Fortnox's real limit (25 requests in any 5 s window, 429 beyond), with the
 * connector's default limit (4 requests/s). Run with `npm run bench:fortnox`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { swedishDay } from '../test/fixtures/settlements';
import { TARGETS } from '../src/shared/targets';
import { createFortnoxConnector, FORTNOX_RATE_LIMIT } from '../src/main/connectors/fortnox/connector';
import type { Exchange } from '../src/main/http/client';
import { PRESETS } from '../src/main/mapping/presets';
import { FORTNOX_SANDBOX_DEFAULTS, startFortnoxSandbox } from '../src/main/sandboxes/fortnox';
import { homeSecretStore } from '../src/main/secrets/secret-store';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../src/main/vouchers/build';

const VOUCHERS = 30;
const home = mkdtempSync(join(tmpdir(), 'kassebro-bench-fortnox-'));
const sandbox = await startFortnoxSandbox();
try {
  const secrets = homeSecretStore(home);
  await secrets.set('fortnox', {
    ...sandbox.issueTokens(),
    clientId: FORTNOX_SANDBOX_DEFAULTS.clientId,
    clientSecret: FORTNOX_SANDBOX_DEFAULTS.clientSecret,
  });
  const exchanges: Exchange[] = [];
  const connector = createFortnoxConnector({
    targetId: 'bench',
    settings: { baseUrl: `${sandbox.url}/3`, tokenUrl: `${sandbox.url}/oauth-v1/token` },
    secrets,
    secretRef: 'fortnox',
    onExchange: (exchange) => exchanges.push(exchange),
  });
  const vouchers = Array.from({ length: VOUCHERS }, (_, index) => {
    const date = new Date(Date.UTC(2026, 0, 2 + index)).toISOString().slice(0, 10);
    const built = buildVoucher(
      swedishDay({ businessDate: date, reportNumber: `${index + 1}` }),
      PRESETS['se-bas'].kontooppsett,
      {
        vatStyle: TARGETS.fortnox.vatStyle,
        language: 'sv',
        chart: null,
        ...DEFAULT_RESIDUAL_LIMITS,
      },
    );
    if (!built.voucher) throw new Error(JSON.stringify(built.problems));
    return built.voucher;
  });

  const started = performance.now();
  const chart = await connector.fetchChart();
  const chartMs = performance.now() - started;
  for (const [index, voucher] of vouchers.entries()) await connector.postVoucher(voucher, `kb1-bench-${index}`);
  const totalMs = performance.now() - started;
  const limited = exchanges.filter((exchange) => exchange.response?.status === 429).length;
  console.log(
    `fortnox: chart (${chart.accounts.length} accounts, ${chart.voucherSeries.length} series) in ${chartMs.toFixed(0)} ms; ` +
      `chart + ${VOUCHERS} vouchers in ${totalMs.toFixed(0)} ms (${exchanges.length} requests, ` +
      `${(exchanges.length / (totalMs / 1000)).toFixed(2)} req/s with the connector limit of ` +
      `${FORTNOX_RATE_LIMIT.requests}/${FORTNOX_RATE_LIMIT.perMs / 1000} s against Fortnox's 25/5 s; ${limited} × 429); ` +
      `sandbox holds ${sandbox.vouchers().length}`,
  );
} finally {
  await sandbox.close();
  rmSync(home, { recursive: true, force: true });
}
