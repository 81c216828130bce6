import { mkdtempSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { norwegianDay } from '../../../../test/fixtures/settlements';
import { TARGETS, type VatStyle } from '../../../shared/targets';
import { ledgerRevenueByRate } from '../../demo/ledger-check';
import { salesByRate } from '../../demo/run-demo';
import { PRESETS } from '../../mapping/presets';
import { startTfsoSandbox, TFSO_SANDBOX_DEFAULTS } from '../../sandboxes/24sevenoffice';
import { homeSecretStore } from '../../secrets/secret-store';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../../vouchers/build';
import type { Voucher } from '../../vouchers/voucher';
import type { Exchange } from '../../http/client';
import type { ConnectorContext } from '../connector';
import { ConnectorError, explainError } from '../errors';
import { CONTRACT_TUNING, runContractSuite } from '../contract-suite';
import { create24SevenOfficeConnector } from './connector';

let targets = 0;

export function tfsoVoucher(
  date: string,
  departments = [{ location: '1', department: '1' }],
  vatStyle: VatStyle = TARGETS['24sevenoffice'].vatStyle,
): Voucher {
  const kontooppsett = { ...PRESETS['no-standard'].kontooppsett, departments };
  const result = buildVoucher(norwegianDay({ businessDate: date }), kontooppsett, {
    vatStyle,
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

const failure = async (promise: Promise<unknown>): Promise<ConnectorError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
};

describe('24SevenOffice session and company', () => {
  let sandbox: Awaited<ReturnType<typeof startTfsoSandbox>>;
  beforeEach(async () => {
    sandbox = await startTfsoSandbox();
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('reuses the stored session across connectors, logging in only once', async () => {
    const { connector, secrets } = await tfsoConnector(sandbox.url);
    await connector.testConnection();
    const sessionId = (await secrets.get('24so'))?.['sessionId'];
    expect(sessionId).toMatch(/^\w{24}$/);
    const second = create24SevenOfficeConnector({
      targetId: 'second',
      settings: { baseUrl: sandbox.url },
      secrets,
      secretRef: '24so',
      tuning: CONTRACT_TUNING,
    });
    expect((await second.testConnection()).company).toBe('Demo Butikk AS');
    expect(sandbox.logins()).toBe(1);
    // An expired session: one new Login, stored before use, then the call goes through.
    sandbox.expireTokens();
    await second.fetchChart();
    expect(sandbox.logins()).toBe(2);
    expect((await secrets.get('24so'))?.['sessionId']).not.toBe(sessionId);
  });

  it('switches to the chosen company with SetIdentityById and lists the companies to choose from', async () => {
    const other = TFSO_SANDBOX_DEFAULTS.identities[1];
    const { connector } = await tfsoConnector(sandbox.url, {}, { identityId: other.id });
    expect(await connector.testConnection()).toEqual({ company: 'Demo Butikk Kjøpesenter AS' });
    const identities = await connector.identities();
    expect(identities.map((identity) => [identity.company, identity.current, identity.isDefault])).toEqual([
      ['Demo Butikk AS', false, true],
      ['Demo Butikk Kjøpesenter AS', true, false],
    ]);
  });

  it('explains "The provided IdentityId is not valid" as a company the user cannot reach', async () => {
    const { connector } = await tfsoConnector(sandbox.url, {}, { identityId: '1d000000-0000-4000-8000-0000000000ff' });
    const error = await failure(connector.testConnection());
    expect(error.code).toBe('auth');
    expect(error.targetMessage).toBe('Server was unable to process request. ---> The provided IdentityId is not valid');
    expect(explainError(error, 'nb').explanation).toMatch(/tilgang til det valgte firmaet/);
    expect(explainError(error, 'sv').hint).toMatch(/Välj bolag igen/);
    expect(explainError(error, 'en').hint).toMatch(/Choose the company again/);
  });

  it('explains "not authenticated" when even a fresh session is refused, after exactly one renewal', async () => {
    await sandbox.close();
    sandbox = await startTfsoSandbox({ sessionTtlMs: 0 });
    const { connector } = await tfsoConnector(sandbox.url);
    const error = await failure(connector.fetchChart());
    expect(error.code).toBe('auth');
    expect(error.targetMessage).toBe(
      'Server was unable to process request. ---> The request to \\Economy\\Account\\V004\\Accountservice.asmx is not authenticated. ---> Authentication failed.',
    );
    expect(explainError(error, 'nb').explanation).toMatch(/godtok ikke økten/);
    expect(explainError(error, 'en').hint).toMatch(/throttled/);
    expect(sandbox.logins()).toBe(2);
  });

  it('renews a session that SaveBundleList reports as NotAuthenticated and posts once', async () => {
    const { connector } = await tfsoConnector(sandbox.url);
    await connector.fetchChart();
    sandbox.expireTokens();
    const posted = await connector.postVoucher(tfsoVoucher('2026-11-02'), 'kb1-renewed');
    expect(posted).toEqual({ externalId: '2026-10001', number: '10001' });
    expect(sandbox.vouchers().map((voucher) => voucher.idempotencyKey)).toEqual(['kb1-renewed']);
  });
});

describe('24SevenOffice vouchers and errors', () => {
  let sandbox: Awaited<ReturnType<typeof startTfsoSandbox>>;
  beforeEach(async () => {
    sandbox = await startTfsoSandbox();
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it("posts net amounts with TaxNo and their VAT on the tax codes' accounts per department, without secrets in the capture", async () => {
    const exchanges: Exchange[] = [];
    const { connector, secrets } = await tfsoConnector(sandbox.url, { onExchange: (item) => exchanges.push(item) });
    const voucher = tfsoVoucher('2026-11-03', [{ location: '1', department: '2' }]);
    await connector.postVoucher(voucher, 'kb1-department');
    const [stored] = sandbox.vouchers();
    expect(stored?.lines).toEqual([
      { account: '1920', amountOre: 812_500, vatCode: null },
      { account: '1515', amountOre: 62_500, vatCode: null },
      { account: '1900', amountOre: 135_000, vatCode: null },
      { account: '3000', amountOre: -700_000, vatCode: '3' },
      { account: '2700', amountOre: -175_000, vatCode: '3' },
      { account: '3001', amountOre: -108_696, vatCode: '31' },
      { account: '2701', amountOre: -16_304, vatCode: '31' },
      { account: '3100', amountOre: -10_000, vatCode: '5' },
    ]);
    // The demo's ledger check: revenue incl. VAT per rate, as the ledger holds it, is the POS report's.
    const pos = salesByRate(norwegianDay({ businessDate: '2026-11-03' }).lines);
    expect(ledgerRevenueByRate(sandbox.vouchers(), [])).toEqual(new Map(pos.map((rate) => [rate.rateBp, rate.gross])));
    const save = exchanges.find((item) => String(item.request.body).includes('SaveBundleList'));
    const sent = String(save?.request.body);
    expect(sent.match(/<DepartmentId>2<\/DepartmentId>/g)).toHaveLength(8);
    expect(sent).toContain('<Amount>-7000.00</Amount>');
    expect(sent).toContain('<AccountNo>2700</AccountNo><Date>2026-11-03T00:00:00</Date><Amount>-1750.00</Amount>');
    expect(sent).not.toContain('IgnoreWarnings');
    expect(sent).toContain('<SaveOption>0</SaveOption>');
    const sessionId = String((await secrets.get('24so'))?.['sessionId']);
    const everything = JSON.stringify(exchanges);
    expect(everything).not.toContain(TFSO_SANDBOX_DEFAULTS.password);
    expect(everything).not.toContain(sessionId);
    expect(everything).toContain('<Password>[redacted]</Password>');
    expect(everything).toContain('<LoginResult>[redacted]</LoginResult>');
  });

  it('is refused with vatisnotinbalance when coded revenue comes without its VAT entries (gross lines)', async () => {
    const { connector } = await tfsoConnector(sandbox.url);
    const grossOnly = tfsoVoucher('2026-11-03', undefined, { kind: 'code-on-line', amountBasis: 'gross' });
    const error = await failure(connector.postVoucher(grossOnly, 'kb1-gross'));
    expect(error.code).toBe('bad_request');
    expect(error.targetMessage).toMatch(/^NotSaved: vatisnotinbalance: .*TaxNo '3'/);
    expect(sandbox.vouchers()).toHaveLength(0);
  });

  it('maps "AccountNo \'0\' does not exist!" to an unmapped key, with the explanation to fix the mapping', async () => {
    const { connector } = await tfsoConnector(sandbox.url);
    const voucher = tfsoVoucher('2026-11-04');
    const unmapped = {
      ...voucher,
      lines: voucher.lines.map((line, index) => (index === 0 ? { ...line, account: '0' } : line)),
    };
    const error = await failure(connector.postVoucher(unmapped, 'kb1-unmapped'));
    expect(error.code).toBe('invalid_account');
    expect(error.targetMessage).toBe("Exception: AccountNo '0' does not exist!");
    expect(explainError(error, 'nb').explanation).toMatch(/ingen konto i kontooppsettet/);
    expect(explainError(error, 'sv').hint).toMatch(/konteringen/);
    expect(sandbox.vouchers()).toHaveLength(0);
  });

  it('maps the quarantine fault to rate_limited with the wait until the quarantine ends', async () => {
    await sandbox.close();
    sandbox = await startTfsoSandbox({ rateLimit: { requests: 3, perMs: 60_000 } });
    const { connector } = await tfsoConnector(sandbox.url);
    const error = await failure(connector.fetchChart());
    expect(error.code).toBe('rate_limited');
    expect(error.targetMessage).toMatch(/^Limit exceeded by 1\. Request is blocked\. Quarantine ends at \d{4}-/);
    expect(error.detail.retryAfterMs).toBeGreaterThan(55_000);
    expect(error.detail.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('guesses the next TransactionNo after its own save and asks GetEntryId again when someone took it', async () => {
    const { connector } = await tfsoConnector(sandbox.url);
    const { connector: colleague } = await tfsoConnector(sandbox.url);
    await connector.postVoucher(tfsoVoucher('2026-11-08'), 'kb1-a');
    const before = sandbox.requestCount();
    await connector.postVoucher(tfsoVoucher('2026-11-09'), 'kb1-b');
    // One SaveBundleList, no GetEntryId: the number followed from the last save.
    expect(sandbox.requestCount() - before).toBe(1);
    await colleague.postVoucher(tfsoVoucher('2026-11-10'), 'kb1-colleague');
    // Its guess (10003) is taken: DuplicateData → not ours by key → GetEntryId → 10004.
    const taken = await connector.postVoucher(tfsoVoucher('2026-11-11'), 'kb1-c');
    expect(taken).toEqual({ externalId: '2026-10004', number: '10004' });
    expect(sandbox.vouchers().map((voucher) => [voucher.number, voucher.idempotencyKey])).toEqual([
      ['10001', 'kb1-a'],
      ['10002', 'kb1-b'],
      ['10003', 'kb1-colleague'],
      ['10004', 'kb1-c'],
    ]);
  });

  it('refuses a department that is not a DepartmentId before sending anything', async () => {
    const { connector } = await tfsoConnector(sandbox.url);
    const error = await failure(
      connector.postVoucher(tfsoVoucher('2026-11-05', [{ location: '1', department: 'BUTIKK' }]), 'kb1-dept'),
    );
    expect(error.code).toBe('bad_request');
    expect(error.targetMessage).toMatch(/DepartmentId 'BUTIKK' is not a number/);
    expect(sandbox.requestCount()).toBe(0);
  });

  it('numbers vouchers from GetEntryId in the chosen voucher type and reads the voucher types as series', async () => {
    const { connector } = await tfsoConnector(sandbox.url, {}, { typeNo: 5 });
    const chart = await connector.fetchChart();
    expect(chart.voucherSeries).toEqual([
      { code: '3', name: 'Inngående faktura' },
      { code: '5', name: 'Bank' },
      { code: '9', name: 'Dagsoppgjør kasse' },
    ]);
    expect(chart.vatCodes?.find((code) => code.code === '31')).toEqual({
      code: '31',
      description: 'Utgående mva, middels sats',
      rateBp: 1500,
    });
    expect(chart.accounts.find((account) => account.number === '3000')?.lockedVatCode).toBe('3');
    const first = await connector.postVoucher(tfsoVoucher('2026-11-06'), 'kb1-first');
    const second = await connector.postVoucher(tfsoVoucher('2026-11-07'), 'kb1-second');
    expect([first.number, second.number]).toEqual(['10001', '10002']);
    expect(await connector.findExisting('kb1-second', tfsoVoucher('2026-11-07'))).toEqual(second);
    expect(await connector.findExisting('kb1-second', tfsoVoucher('2026-11-06'))).toBeNull();
  });

  it('never posts a Z-report with the first voucher type listed (an invoice type) when none is chosen', async () => {
    const invoiceFirst = await startTfsoSandbox({
      voucherTypes: [
        { TypeId: 101, Title: 'Utgående faktura', EntrySeriesId: 1, TypeNo: 1 },
        { TypeId: 102, Title: 'Bank', EntrySeriesId: 5, TypeNo: 5 },
      ],
    });
    try {
      const { connector } = await tfsoConnector(invoiceFirst.url);
      const error = await failure(connector.postVoucher(tfsoVoucher('2026-11-06'), 'kb1-type'));
      expect(error.code).toBe('bad_request');
      expect(error.targetMessage).toMatch(
        /no voucher type for the till.*choose one in the setup.*1 Utgående faktura, 5 Bank/,
      );
      expect(invoiceFirst.vouchers()).toHaveLength(0);
      // Chosen in setup, the same voucher goes through with that type.
      const chosen = await tfsoConnector(invoiceFirst.url, {}, { typeNo: 5 });
      await chosen.connector.postVoucher(tfsoVoucher('2026-11-06'), 'kb1-type');
      expect(invoiceFirst.vouchers()).toHaveLength(1);
    } finally {
      await invoiceFirst.close();
    }
  });
});
