import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { norwegianDay } from '../../../../test/fixtures/settlements';
import { PRESETS } from '../../mapping/presets';
import { startTripletexSandbox, TRIPLETEX_SANDBOX_DEFAULTS } from '../../sandboxes/tripletex';
import { homeSecretStore } from '../../secrets/secret-store';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../../vouchers/build';
import { TARGETS } from '../../../shared/targets';
import { CONTRACT_TUNING, runContractSuite } from '../contract-suite';
import { createTripletexConnector } from './connector';

let targets = 0;

runContractSuite({
  target: 'tripletex',
  language: 'nb',
  async start() {
    const sandbox = await startTripletexSandbox();
    const secrets = homeSecretStore(mkdtempSync(join(tmpdir(), 'kassebro-tt-')));
    await secrets.set('tripletex', {
      consumerToken: TRIPLETEX_SANDBOX_DEFAULTS.consumerToken,
      employeeToken: TRIPLETEX_SANDBOX_DEFAULTS.employeeToken,
    });
    targets += 1;
    const connector = createTripletexConnector({
      targetId: `contract-${targets}`,
      settings: { baseUrl: `${sandbox.url}/v2` },
      secrets,
      secretRef: 'tripletex',
      tuning: CONTRACT_TUNING,
    });
    return { sandbox, connector };
  },
  voucher(date) {
    const kontooppsett = { ...PRESETS['no-standard'].kontooppsett, departments: [{ location: '1', department: '1' }] };
    const result = buildVoucher(norwegianDay({ businessDate: date }), kontooppsett, {
      vatStyle: TARGETS.tripletex.vatStyle,
      language: 'nb',
      chart: null,
      ...DEFAULT_RESIDUAL_LIMITS,
    });
    if (!result.voucher) throw new Error(JSON.stringify(result.problems));
    return result.voucher;
  },
  accountOnVoucher: '1920',
  vatLock: { account: '3000', lockedTo: '31' },
  invoiceWords: {
    duplicate: /Nummeret er allerede i bruk: 6001/,
    missingAddress: /Kunden Fjord Bygg AS mangler postadresse/,
  },
  targetWords: {
    auth: /employee token is invalid/,
    invalid_account: /Regnskapskontoen finnes ikke|Kontoen 1920 .* er inaktiv/,
    vat_code_not_allowed: /Kontoen 3000 .* er låst til mva-kode 31/,
    locked_period: /låst for mva-posteringer/,
    duplicate: /Nummeret er allerede i bruk/,
    unbalanced: /Summen av posteringene for .* er ikke lik 0/,
    rate_limited: /Too Many Requests/,
    server_error: /Internal Server Error|Service Unavailable/,
    unknown_outcome: /fetch failed|aborted|timeout|socket/i,
    offline: /ECONNREFUSED|fetch failed/,
  },
});
