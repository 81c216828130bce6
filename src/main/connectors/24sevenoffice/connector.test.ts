import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { norwegianDay } from '../../../../test/fixtures/settlements';
import { TARGETS } from '../../../shared/targets';
import { PRESETS } from '../../mapping/presets';
import { startTfsoSandbox, TFSO_SANDBOX_DEFAULTS } from '../../sandboxes/24sevenoffice';
import { homeSecretStore } from '../../secrets/secret-store';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../../vouchers/build';
import type { Voucher } from '../../vouchers/voucher';
import type { ConnectorContext } from '../connector';
import { CONTRACT_TUNING, runContractSuite } from '../contract-suite';
import { create24SevenOfficeConnector } from './connector';

let targets = 0;

export function tfsoVoucher(date: string, departments = [{ location: '1', department: '1' }]): Voucher {
  const kontooppsett = { ...PRESETS['no-standard'].kontooppsett, departments };
  const result = buildVoucher(norwegianDay({ businessDate: date }), kontooppsett, {
    vatStyle: TARGETS['24sevenoffice'].vatStyle,
    language: 'nb',
    chart: null,
    ...DEFAULT_RESIDUAL_LIMITS,
  });
  if (!result.voucher) throw new Error(JSON.stringify(result.problems));
  return result.voucher;
}

export async function tfsoConnector(url: string, extra: Partial<ConnectorContext> = {}, settings = {}) {
  const secrets = homeSecretStore(mkdtempSync(join(tmpdir(), 'kassebro-24so-')));
  await secrets.set('24so', {
    applicationId: TFSO_SANDBOX_DEFAULTS.applicationId,
    username: TFSO_SANDBOX_DEFAULTS.username,
    password: TFSO_SANDBOX_DEFAULTS.password,
  });
  targets += 1;
  const connector = create24SevenOfficeConnector({
    targetId: `24so-${targets}`,
    settings: { baseUrl: url, ...settings },
    secrets,
    secretRef: '24so',
    tuning: CONTRACT_TUNING,
    ...extra,
  });
  return { connector, secrets };
}

runContractSuite({
  target: '24sevenoffice',
  language: 'nb',
  async start() {
    const sandbox = await startTfsoSandbox();
    const { connector } = await tfsoConnector(sandbox.url);
    return { sandbox, connector };
  },
  voucher: (date) => tfsoVoucher(date),
  accountOnVoucher: '1920',
  vatLock: { account: '3000', lockedTo: '31' },
  inactiveAccounts: 'omitted',
  targetWords: {
    auth: /LoginResult was empty/,
    invalid_account: /AccountNo '1920' does not exist!/,
    vat_code_not_allowed: /AccountNo '3000' is locked to TaxNo '31'/,
    locked_period: /period of .* is locked/,
    duplicate: /DataAlreadySaved: Data already saved: kb1-twice/,
    unbalanced: /is not in balance\. Difference: 1\.00/,
    rate_limited: /HTTP 429: Too Many Requests/,
    server_error: /Object reference not set|Service Unavailable/,
    unknown_outcome: /fetch failed|aborted|timeout|socket/i,
    offline: /ECONNREFUSED|fetch failed/,
  },
});
