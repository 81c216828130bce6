import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { norwegianDay } from '../../../../test/fixtures/settlements';
import { TARGETS } from '../../../shared/targets';
import type { Exchange } from '../../http/client';
import { authorizeUrl, exchangeCode, pkcePair } from '../../http/oauth2';
import type { Kontooppsett } from '../../mapping/kontooppsett';
import { PRESETS } from '../../mapping/presets';
import { startVismaSandbox, VISMA_SANDBOX_DEFAULTS, type VismaSandbox } from '../../sandboxes/visma-eaccounting';
import { homeSecretStore, type SecretStore } from '../../secrets/secret-store';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../../vouchers/build';
import type { Voucher } from '../../vouchers/voucher';
import { connectorHttp, type ConnectorTuning } from '../connector';
import { CONTRACT_TUNING, runContractSuite } from '../contract-suite';
import { ConnectorError } from '../errors';
import { createVismaConnector, vismaOAuth } from './connector';
import { vismaEaccountingTarget } from './target';

const KONTOOPPSETT: Kontooppsett = {
  ...PRESETS['no-standard'].kontooppsett,
  departments: [{ location: '1', department: '100' }],
};

function voucherOf(date: string, kontooppsett: Kontooppsett = KONTOOPPSETT): Voucher {
  const result = buildVoucher(norwegianDay({ businessDate: date }), kontooppsett, {
    vatStyle: TARGETS['visma-eaccounting'].vatStyle,
    language: 'nb',
    chart: null,
    ...DEFAULT_RESIDUAL_LIMITS,
  });
  if (!result.voucher) throw new Error(JSON.stringify(result.problems));
  return result.voucher;
}

let targets = 0;

/** A connector on a fresh secret store holding tokens the sandbox just issued. */
async function connect(
  sandbox: VismaSandbox,
  options: {
    settings?: Record<string, unknown>;
    tuning?: Partial<ConnectorTuning>;
    expiresAt?: string;
    exchanges?: Exchange[];
  } = {},
) {
  const secrets = homeSecretStore(mkdtempSync(join(tmpdir(), 'kassebro-visma-')));
  await secrets.set('visma', {
    ...sandbox.issueTokens(),
    clientId: VISMA_SANDBOX_DEFAULTS.clientId,
    clientSecret: VISMA_SANDBOX_DEFAULTS.clientSecret,
    accessExpiresAt: options.expiresAt ?? new Date(Date.now() + 3_600_000).toISOString(),
  });
  targets += 1;
  const connector = createVismaConnector({
    targetId: `visma-${targets}`,
    settings: {
      baseUrl: `${sandbox.url}/v2`,
      authorizeUrl: `${sandbox.url}/connect/authorize`,
      tokenUrl: `${sandbox.url}/connect/token`,
      ...options.settings,
    },
    secrets,
    secretRef: 'visma',
    tuning: { ...CONTRACT_TUNING, ...options.tuning },
    ...(options.exchanges ? { onExchange: (exchange: Exchange) => options.exchanges?.push(exchange) } : {}),
  });
  return { connector, secrets };
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

runContractSuite({
  target: 'visma-eaccounting',
  language: 'nb',
  async start() {
    const sandbox = await startVismaSandbox();
    return { sandbox, connector: (await connect(sandbox)).connector };
  },
  voucher: (date) => voucherOf(date),
  accountOnVoucher: '1920',
  // eAccounting has no VAT lock on accounts: an account's VatCodeId is a default that each row
  // overrides (useDefaultVatCodes=false). "VAT code not allowed" is tested below as a code eAccounting lacks.
  vatLock: null,
  targetWords: {
    auth: /invalid_grant: The refresh token is invalid or expired/,
    invalid_account:
      /3002: AccountNotFound: account 1920 does not exist|4002: .*account 1920 Bankinnskudd is not active/,
    locked_period: /4026: The voucher date .* is in a locked bookkeeping period/,
    duplicate: /4000: Conflict/,
    unbalanced: /2000: The voucher is not balanced/,
    rate_limited: /4010: API calls quota exceeded! maximum admitted 600 per Minute\. Try again in 30 seconds\./,
    server_error: /An unexpected error occurred/,
    unknown_outcome: /fetch failed|aborted|timeout|socket/i,
    offline: /ECONNREFUSED|fetch failed/,
  },
});

describe('Visma eAccounting vouchers', () => {
  let sandbox: VismaSandbox;
  beforeEach(async () => {
    sandbox = await startVismaSandbox();
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('books net revenue with the VAT code id and the POS VAT exactly on the VAT code’s own account', async () => {
    const { connector } = await connect(sandbox);
    const posted = await connector.postVoucher(voucherOf('2026-11-20'), 'kb1-exact');
    expect(posted.number).toBe('A1');
    const [stored] = sandbox.vouchers();
    expect(stored?.description).toBe('Dagsoppgjør 33/10009 2026-11-20 [kb1-exact]');
    expect(stored?.lines).toEqual([
      { account: '1920', amountOre: 812_500, vatCode: null },
      { account: '1515', amountOre: 62_500, vatCode: null },
      { account: '1900', amountOre: 135_000, vatCode: null },
      { account: '3000', amountOre: -700_000, vatCode: '3' },
      { account: '2700', amountOre: -175_000, vatCode: null },
      { account: '3001', amountOre: -108_696, vatCode: '31' },
      { account: '2701', amountOre: -16_304, vatCode: null },
      { account: '3100', amountOre: -10_000, vatCode: '5' },
    ]);
  });

  it('refuses a kontooppsett VAT code eAccounting lacks before sending, naming the codes it has', async () => {
    const { connector } = await connect(sandbox);
    const kontooppsett: Kontooppsett = {
      ...KONTOOPPSETT,
      entries: KONTOOPPSETT.entries.map((entry) => (entry.key === 'sales_15' ? { ...entry, vatCode: '32' } : entry)),
    };
    const error = await failure(connector.postVoucher(voucherOf('2026-11-20', kontooppsett), 'kb1-no-code'));
    expect(error.code).toBe('vat_code_not_allowed');
    expect(error.targetMessage).toBe(
      'Visma eAccounting has no VAT code 32; GET /vatcodes lists 0, 1, 3, 31, 33, 5, 6. ' +
        "Use one of these in the kontooppsett, or map it in the target's vatCodeMap.",
    );
    expect(sandbox.vouchers()).toHaveLength(0);
  });

  it('translates a code through vatCodeMap, and lists the mapped name in the fetched chart', async () => {
    const { connector } = await connect(sandbox, { settings: { vatCodeMap: { H25: '3' } } });
    const chart = await connector.fetchChart();
    expect(chart.vatCodes?.find((vat) => vat.code === 'H25')).toEqual({
      code: 'H25',
      description: 'Utgående mva, høy sats',
      rateBp: 2500,
    });
    const kontooppsett: Kontooppsett = {
      ...KONTOOPPSETT,
      entries: KONTOOPPSETT.entries.map((entry) => (entry.key === 'sales_25' ? { ...entry, vatCode: 'H25' } : entry)),
    };
    await connector.postVoucher(voucherOf('2026-11-20', kontooppsett), 'kb1-mapped');
    expect(sandbox.vouchers()[0]?.lines.find((line) => line.account === '3000')?.vatCode).toBe('3');
  });

  it('maps a VAT code deleted in eAccounting after the lookup to vat_code_not_allowed, then refuses it up front', async () => {
    const { connector } = await connect(sandbox);
    await connector.fetchChart();
    sandbox.removeVatCode('31');
    const first = await failure(connector.postVoucher(voucherOf('2026-11-20'), 'kb1-deleted'));
    expect(first.code).toBe('vat_code_not_allowed');
    expect(first.targetMessage).toMatch(/^3000: ResourceNotFound: VatCode with id [0-9a-f-]{36} was not found\.$/);
    const second = await failure(connector.postVoucher(voucherOf('2026-11-20'), 'kb1-deleted'));
    expect(second.targetMessage).toMatch(/^Visma eAccounting has no VAT code 31;/);
    expect(sandbox.vouchers()).toHaveLength(0);
  });

  it('fetches accounts of the current fiscal year, VAT codes with rates and cost centers as departments', async () => {
    const { connector } = await connect(sandbox);
    sandbox.setAccount('1901', { active: false });
    const chart = await connector.fetchChart();
    expect(chart.accounts).toHaveLength(18);
    expect(chart.accounts.find((account) => account.number === '1901')).toEqual({
      number: '1901',
      name: 'Kassedifferanse',
      active: false,
      lockedVatCode: null,
    });
    expect(chart.vatCodes?.map((vat) => [vat.code, vat.rateBp])).toEqual([
      ['0', 0],
      ['1', 2500],
      ['3', 2500],
      ['31', 1500],
      ['33', 1200],
      ['5', 0],
      ['6', 0],
    ]);
    expect(chart.departments).toEqual([
      { code: '100', name: 'Butikk sentrum' },
      { code: '200', name: 'Butikk kjøpesenter' },
    ]);
  });

  it('maps a date without fiscal year (3001) to locked_period', async () => {
    const { connector } = await connect(sandbox);
    const error = await failure(connector.postVoucher(voucherOf('2031-01-02'), 'kb1-no-year'));
    expect(error.code).toBe('locked_period');
    expect(error.targetMessage).toBe('3001: FiscalYearDoesNotExist: no fiscal year for date 2031-01-02.');
  });

  it('maps a token without the ea:accounting scope (4006) to auth', async () => {
    const { connector } = await connect(sandbox);
    sandbox.withdrawAccountingScope();
    const error = await failure(connector.postVoucher(voucherOf('2026-11-20'), 'kb1-scope'));
    expect(error.code).toBe('auth');
    expect(error.targetMessage).toBe(
      '4006: NoAccessToScopes: the access token lacks the scope ea:accounting required here.',
    );
  });

  it('puts the department as cost center only on rows whose account allows one', async () => {
    const exchanges: Exchange[] = [];
    const { connector } = await connect(sandbox, { exchanges });
    await connector.postVoucher(voucherOf('2026-11-20'), 'kb1-dept-rows');
    const post = exchanges.find((exchange) => exchange.request.method === 'POST' && exchange.response?.status === 201);
    const rows = (post?.request.body as { Rows: { AccountNumber: number; CostCenterItemId1?: string }[] }).Rows;
    expect(rows.filter((row) => row.CostCenterItemId1 !== undefined).map((row) => row.AccountNumber)).toEqual([
      3000, 3001, 3100,
    ]);
  });

  it('refuses an account number eAccounting cannot hold (a Fiken sub-account) before sending', async () => {
    const { connector } = await connect(sandbox);
    const error = await failure(
      connector.postVoucher(voucherOf('2026-11-20', PRESETS['no-fiken'].kontooppsett), 'kb1-sub-account'),
    );
    expect(error.code).toBe('invalid_account');
    expect(error.targetMessage).toBe('Visma eAccounting account numbers are whole numbers; "1920:10001" is not one.');
    expect(sandbox.requestCount()).toBe(3);
  });

  it('refuses a department that is no cost center item, before sending', async () => {
    const { connector } = await connect(sandbox);
    const kontooppsett = { ...KONTOOPPSETT, departments: [{ location: '1', department: '999' }] };
    const error = await failure(connector.postVoucher(voucherOf('2026-11-20', kontooppsett), 'kb1-dept'));
    expect(error.code).toBe('bad_request');
    expect(error.targetMessage).toBe('Visma eAccounting has no active cost center item 999 (GET /costcenters).');
  });

  it('finds a voucher by its key across pages of 1000', async () => {
    await sandbox.close();
    sandbox = await startVismaSandbox({ rateLimit: { requests: 5_000, perMs: 1_000 } });
    const { connector } = await connect(sandbox, { tuning: { rateLimit: { requests: 5_000, perMs: 1_000 } } });
    const voucher = voucherOf('2026-11-20');
    const other = voucherOf('2026-11-21');
    for (let index = 0; index < 1_000; index += 1) await connector.postVoucher(voucher, `kb1-filler-${index}`);
    const last = await connector.postVoucher(voucher, 'kb1-on-page-two');
    await connector.postVoucher(other, 'kb1-other-day');
    expect(await connector.findExisting('kb1-on-page-two', voucher)).toEqual(last);
    expect(await connector.findExisting('kb1-other-day', voucher)).toBeNull();
  }, 60_000);
});

describe('Visma eAccounting OAuth', () => {
  let sandbox: VismaSandbox;
  beforeEach(async () => {
    sandbox = await startVismaSandbox();
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('connects through the authorize page, PKCE (S256) and a Basic-authenticated code exchange', async () => {
    const settings = { authorizeUrl: `${sandbox.url}/connect/authorize`, tokenUrl: `${sandbox.url}/connect/token` };
    const endpoints = vismaOAuth(settings);
    const pkce = pkcePair();
    const address = new URL(
      authorizeUrl(endpoints, {
        clientId: VISMA_SANDBOX_DEFAULTS.clientId,
        redirectUri: 'http://127.0.0.1:9/callback',
        state: 'abc',
        pkce,
      }),
    );
    expect(address.searchParams.get('scope')).toBe('ea:api offline_access ea:accounting');
    expect(address.searchParams.get('code_challenge')).toBe(pkce.challenge);
    expect(address.searchParams.get('code_challenge_method')).toBe('S256');
    // Google's and Fortnox's access_type is not Visma's.
    expect(address.searchParams.has('access_type')).toBe(false);
    const redirect = await fetch(address, { redirect: 'manual' });
    const back = new URL(redirect.headers.get('location') ?? '');
    expect(back.searchParams.get('state')).toBe('abc');
    const http = connectorHttp(
      { targetId: 'oauth', settings: {}, secrets: undefined as unknown as SecretStore, secretRef: '' },
      'visma-oauth-test',
      settings.tokenUrl,
      { requests: 10, perMs: 1_000 },
    );
    const tokens = await exchangeCode(
      http,
      endpoints,
      {
        clientId: VISMA_SANDBOX_DEFAULTS.clientId,
        clientSecret: VISMA_SANDBOX_DEFAULTS.clientSecret,
        code: back.searchParams.get('code') ?? '',
        redirectUri: 'http://127.0.0.1:9/callback',
        state: 'abc',
        codeVerifier: pkce.verifier,
      },
      () => new ConnectorError('auth', 'exchange failed'),
    );
    expect(Date.parse(tokens.accessExpiresAt ?? '') - Date.now()).toBeGreaterThan(3_500_000);
    expect(tokens.refreshToken).toMatch(/^[\w-]{20,}$/);
  });

  it('renews a token about to expire before using it, and persists the rotated refresh token first', async () => {
    const exchanges: Exchange[] = [];
    const { connector, secrets } = await connect(sandbox, {
      expiresAt: new Date(Date.now() + 30_000).toISOString(),
      exchanges,
    });
    const before = await secrets.get('visma');
    expect((await connector.testConnection()).company).toBe('Demo Butikk AS');
    // No 401 was met: the token request came first, then the call with the new token.
    expect(exchanges.map((exchange) => [exchange.request.method, exchange.response?.status])).toEqual([
      ['POST', 200],
      ['GET', 200],
    ]);
    const after = await secrets.get('visma');
    expect(after?.['refreshToken']).not.toBe(before?.['refreshToken']);
    expect(Date.parse(after?.['accessExpiresAt'] ?? '')).toBeGreaterThan(Date.now() + 3_500_000);
  });

  it('shares one renewal between parallel calls (a second refresh would spend the new token)', async () => {
    const exchanges: Exchange[] = [];
    const { connector } = await connect(sandbox, { expiresAt: new Date(0).toISOString(), exchanges });
    await Promise.all([connector.testConnection(), connector.fetchChart(), connector.testConnection()]);
    expect(exchanges.filter((exchange) => exchange.request.url.endsWith('/connect/token'))).toHaveLength(1);
  });

  it('maps a refresh token already spent by another process to auth with invalid_grant', async () => {
    const first = await connect(sandbox, { expiresAt: new Date(0).toISOString() });
    const stale = await first.secrets.get('visma');
    await first.connector.testConnection();
    const second = await connect(sandbox);
    await second.secrets.set('visma', { ...stale });
    const error = await failure(second.connector.testConnection());
    expect(error.code).toBe('auth');
    expect(error.targetMessage).toBe('invalid_grant: The refresh token is invalid or expired.');
  });

  it('waits out the per-endpoint quota (429, ErrorCode 4010) and continues', async () => {
    await sandbox.close();
    sandbox = await startVismaSandbox({ rateLimit: { requests: 2, perMs: 1_000 } });
    const exchanges: Exchange[] = [];
    const { connector } = await connect(sandbox, { exchanges });
    const started = Date.now();
    for (let call = 0; call < 3; call += 1) await connector.testConnection();
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    const limited = exchanges.find((exchange) => exchange.response?.status === 429);
    expect(limited?.response?.body).toMatchObject({
      ErrorCode: 4010,
      DeveloperErrorMessage: expect.stringMatching(
        /^API calls quota exceeded! maximum admitted 2 per 1000 ms\. Try again in 1 seconds\.$/,
      ),
    });
  });
});

describe('Visma eAccounting target module', () => {
  it('starts a sandbox whose settings and credentials work with the connector as they are', async () => {
    const sandbox = await vismaEaccountingTarget.startSandbox();
    try {
      const secrets = homeSecretStore(mkdtempSync(join(tmpdir(), 'kassebro-visma-')));
      await secrets.set(
        'visma',
        vismaEaccountingTarget.secretSchema.parse(sandbox.credentials()) as Record<string, string>,
      );
      const connector = vismaEaccountingTarget.createConnector({
        targetId: 'module',
        settings: vismaEaccountingTarget.settingsSchema.parse(sandbox.targetSettings()),
        secrets,
        secretRef: 'visma',
        tuning: CONTRACT_TUNING,
      });
      expect(await connector.testConnection()).toEqual({ company: 'Demo Butikk AS' });
      expect(vismaEaccountingTarget.oauth?.({})).toEqual({
        authorizeUrl: 'https://identity.vismaonline.com/connect/authorize',
        tokenUrl: 'https://identity.vismaonline.com/connect/token',
        scopes: ['ea:api', 'offline_access', 'ea:accounting'],
        clientAuth: 'basic',
        pkce: true,
        stateOnExchange: false,
      });
    } finally {
      await sandbox.close();
    }
  });
});
