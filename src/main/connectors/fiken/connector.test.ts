import { mkdtempSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { line, norwegianDay, settlement } from '../../../../test/fixtures/settlements';
import { TARGETS } from '../../../shared/targets';
import { PRESETS } from '../../mapping/presets';
import { FIKEN_SANDBOX_DEFAULTS, startFikenSandbox } from '../../sandboxes/fiken';
import { homeSecretStore } from '../../secrets/secret-store';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../../vouchers/build';
import { CONTRACT_TUNING, runContractSuite } from '../contract-suite';
import { createFikenConnector } from './connector';

let targets = 0;

runContractSuite({
  target: 'fiken',
  language: 'nb',
  async start() {
    const sandbox = await startFikenSandbox();
    const tokens = sandbox.issueTokens();
    const secrets = homeSecretStore(mkdtempSync(join(tmpdir(), 'kassebro-fiken-')));
    await secrets.set('fiken', {
      ...tokens,
      clientId: FIKEN_SANDBOX_DEFAULTS.clientId,
      clientSecret: FIKEN_SANDBOX_DEFAULTS.clientSecret,
    });
    targets += 1;
    const connector = createFikenConnector({
      targetId: `contract-${targets}`,
      settings: {
        baseUrl: `${sandbox.url}/api/v2`,
        tokenUrl: `${sandbox.url}/oauth/token`,
        companySlug: FIKEN_SANDBOX_DEFAULTS.companySlug,
      },
      secrets,
      secretRef: 'fiken',
      tuning: CONTRACT_TUNING,
    });
    return { sandbox, connector };
  },
  voucher(date) {
    const result = buildVoucher(norwegianDay({ businessDate: date }), PRESETS['no-fiken'].kontooppsett, {
      vatStyle: TARGETS.fiken.vatStyle,
      language: 'nb',
      chart: null,
      ...DEFAULT_RESIDUAL_LIMITS,
    });
    if (!result.voucher) throw new Error(JSON.stringify(result.problems));
    return result.voucher;
  },
  accountOnVoucher: '1920:10001',
  vatLock: null,
  invoiceWords: {
    duplicate: /Salgsnummeret 6001 finnes allerede/,
    missingAddress: /Kunden Fjord Bygg AS mangler adresse/,
  },
  targetWords: {
    auth: /refresh token is invalid/,
    invalid_account: /Kontoen 1920:10001 finnes ikke|Bankkontoen 1920:10001 .* er inaktiv/,
    locked_period: /Perioden er låst/,
    duplicate: /Bilaget finnes allerede/,
    unbalanced: /Debet \(\d+\) og kredit \(\d+\) er ikke like/,
    rate_limited: /Too many requests/,
    server_error: /Internal server error/,
    unknown_outcome: /fetch failed|aborted|timeout|socket/i,
    offline: /ECONNREFUSED|fetch failed/,
  },
});

describe('Fiken token rotation', () => {
  it('stores the rotated refresh token before using the new access token; the old one is spent', async () => {
    const sandbox = await startFikenSandbox();
    try {
      const tokens = sandbox.issueTokens();
      const secrets = homeSecretStore(mkdtempSync(join(tmpdir(), 'kassebro-fiken-')));
      const credentials = {
        clientId: FIKEN_SANDBOX_DEFAULTS.clientId,
        clientSecret: FIKEN_SANDBOX_DEFAULTS.clientSecret,
      };
      await secrets.set('fiken', { ...tokens, ...credentials });
      const settings = {
        baseUrl: `${sandbox.url}/api/v2`,
        tokenUrl: `${sandbox.url}/oauth/token`,
        companySlug: FIKEN_SANDBOX_DEFAULTS.companySlug,
      };
      const connector = createFikenConnector({
        targetId: 'rotation',
        settings,
        secrets,
        secretRef: 'fiken',
        tuning: CONTRACT_TUNING,
      });
      sandbox.expireTokens();
      expect((await connector.testConnection()).company).toBe(FIKEN_SANDBOX_DEFAULTS.companyName);
      const stored = await secrets.get('fiken');
      expect(stored?.['refreshToken']).not.toBe(tokens.refreshToken);
      // A second process still holding the old refresh token is refused: "refresh token already used".
      await secrets.set('stale', { ...tokens, ...credentials });
      sandbox.expireTokens();
      const stale = createFikenConnector({
        targetId: 'stale',
        settings,
        secrets,
        secretRef: 'stale',
        tuning: CONTRACT_TUNING,
      });
      await expect(stale.testConnection()).rejects.toMatchObject({ code: 'auth' });
      await expect(connector.testConnection()).resolves.toMatchObject({ company: FIKEN_SANDBOX_DEFAULTS.companyName });
    } finally {
      await sandbox.close();
    }
  });
});

describe("Fiken's net-on-debit rule", () => {
  it('posts a refund-heavy day (sales on the debit side with VAT codes) balanced in Fiken, revenue per code to the øre', async () => {
    const sandbox = await startFikenSandbox();
    try {
      const secrets = homeSecretStore(mkdtempSync(join(tmpdir(), 'kassebro-fiken-')));
      await secrets.set('fiken', { accessToken: sandbox.issuePersonalToken() });
      const connector = createFikenConnector({
        targetId: 'refunds',
        settings: { baseUrl: `${sandbox.url}/api/v2`, companySlug: FIKEN_SANDBOX_DEFAULTS.companySlug },
        secrets,
        secretRef: 'fiken',
        tuning: CONTRACT_TUNING,
      });
      // More returned than sold: 25 % and 15 % sales are negative, the till paid out in cash.
      const day = settlement([
        line('sales_25', '-401.23', '-100.31'),
        line('sales_15', '-86.96', '-13.04'),
        line('card_integrated', '120.00'),
        line('cash', '-721.54'),
      ]);
      const built = buildVoucher(day, PRESETS['no-fiken'].kontooppsett, {
        vatStyle: TARGETS.fiken.vatStyle,
        language: 'nb',
        chart: null,
        ...DEFAULT_RESIDUAL_LIMITS,
      });
      if (!built.voucher) throw new Error(JSON.stringify(built.problems));
      await connector.postVoucher(built.voucher, 'kb1-refunds');
      const [stored] = sandbox.vouchers();
      const byCode = (code: string) =>
        (stored?.lines ?? []).filter((row) => row.vatCode === code).reduce((sum, row) => sum + row.amountOre, 0);
      // Fiken's ledger holds the POS's gross refunds per code (net sent, Fiken adds the VAT).
      expect(byCode('3')).toBe(50_154);
      expect(byCode('31')).toBe(10_000);
    } finally {
      await sandbox.close();
    }
  });
});
