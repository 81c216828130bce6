import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { swedishDay } from '../../../../test/fixtures/settlements';
import { invoiceLine, invoiceSale, swedishInvoiceSale } from '../../../../test/fixtures/invoices';
import { waitFor } from '../../../../test/helpers/wait-for';
import type { InvoiceMode } from '../../invoices/config';
import { targetLines } from '../../invoices/target-lines';
import type { TargetCustomer } from '../invoice-connector';
import { TARGETS } from '../../../shared/targets';
import type { Exchange } from '../../http/client';
import { authorizeUrl, exchangeCode } from '../../http/oauth2';
import { connectorHttp } from '../connector';
import type { Kontooppsett } from '../../mapping/kontooppsett';
import { PRESETS } from '../../mapping/presets';
import { FORTNOX_SANDBOX_DEFAULTS, startFortnoxSandbox, type FortnoxSandboxOptions } from '../../sandboxes/fortnox';
import { homeSecretStore, type SecretStore } from '../../secrets/secret-store';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../../vouchers/build';
import { CONTRACT_TUNING, runContractSuite } from '../contract-suite';
import { ConnectorError, explainError } from '../errors';
import { createFortnoxConnector, fortnoxOAuth } from './connector';
import { classifyFortnoxError, FORTNOX_ERROR_CODES, fortnoxError, parseFortnoxError } from './errors';

const CLIENT = { clientId: FORTNOX_SANDBOX_DEFAULTS.clientId, clientSecret: FORTNOX_SANDBOX_DEFAULTS.clientSecret };
let targets = 0;

function voucherFor(date: string, kontooppsett: Kontooppsett = PRESETS['se-bas'].kontooppsett) {
  const result = buildVoucher(swedishDay({ businessDate: date, reportNumber: `Z-${date}` }), kontooppsett, {
    vatStyle: TARGETS.fortnox.vatStyle,
    language: 'sv',
    chart: null,
    ...DEFAULT_RESIDUAL_LIMITS,
  });
  if (!result.voucher) throw new Error(JSON.stringify(result.problems));
  return result.voucher;
}

interface Wired {
  sandbox: Awaited<ReturnType<typeof startFortnoxSandbox>>;
  secrets: SecretStore;
  exchanges: Exchange[];
  connector: ReturnType<typeof createFortnoxConnector>;
  connect: (secretRef: string, settings?: Record<string, unknown>) => ReturnType<typeof createFortnoxConnector>;
}

/** A sandbox and a connector with freshly issued tokens in a temporary secret store. */
async function wire(options: FortnoxSandboxOptions = {}, tuning = CONTRACT_TUNING): Promise<Wired> {
  const sandbox = await startFortnoxSandbox(options);
  const secrets = homeSecretStore(mkdtempSync(join(tmpdir(), 'kassebro-fortnox-')));
  await secrets.set('fortnox', { ...sandbox.issueTokens(), ...CLIENT });
  const exchanges: Exchange[] = [];
  const connect = (secretRef: string, settings: Record<string, unknown> = {}) => {
    targets += 1;
    return createFortnoxConnector({
      targetId: `fortnox-${targets}`,
      settings: { baseUrl: `${sandbox.url}/3`, tokenUrl: `${sandbox.url}/oauth-v1/token`, ...settings },
      secrets,
      secretRef,
      tuning,
      onExchange: (exchange) => exchanges.push(exchange),
    });
  };
  return { sandbox, secrets, exchanges, connector: connect('fortnox'), connect };
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
  target: 'fortnox',
  language: 'sv',
  async start() {
    const { sandbox, connector } = await wire();
    return { sandbox, connector };
  },
  voucher: (date) => voucherFor(date),
  accountOnVoucher: '1580',
  // Fortnox rows carry no VAT code; an account's VATCode is a proposal, never a lock.
  vatLock: null,
  invoiceWords: {
    duplicate: /^Fakturanummer 7001 används redan\./,
    missingAddress: /^Kund 100000 \(Fjällbygg AB\) saknar fakturaadress/,
  },
  // A Swedish sale (25/12/6 %), booked by Fortnox on BAS accounts with momskoder MP1/MP2/MP3.
  invoiceFixture: {
    sale: () => swedishInvoiceSale(),
    storedLines: [
      ['MP1', 80_000, 20_000],
      ['MP2', 10_000, 1_200],
      ['MP3', 5_000, 300],
      ['MP1', 3_900, 975],
    ],
    otherOrganizationNumber: '556036-0793',
    unknownOrganizationNumber: '999999-9999',
  },
  targetWords: {
    auth: /invalid_grant: The refresh token is invalid or expired/,
    invalid_account: /^(Kunde inte hitta konto \(Fortnox 2001304\)|Konto 1580 är inte aktivt)/,
    locked_period: /^Användaren har låst perioden t\.o\.m\. 2026-10-\d\d\. Lås upp perioden .*\(Fortnox 2000401\)$/,
    duplicate: /^Fortnox already holds voucher F 1 of 2026-10-\d\d with Kassebro-ref: kb1-twice/,
    unbalanced: /^Verifikationen är inte i balans \(debet \d+(\.\d+)?, kredit \d+(\.\d+)?\)/,
    rate_limited: /Too Many Requests/,
    server_error: /System exception \(Fortnox 1000003\)|Service Unavailable/,
    unknown_outcome: /fetch failed|aborted|timeout|socket/i,
    offline: /ECONNREFUSED|fetch failed/,
  },
});

describe('Fortnox connector', () => {
  let wired: Wired | undefined;
  afterEach(async () => {
    await wired?.sandbox.close();
    wired = undefined;
  });

  it('posts explicit VAT rows in SEK to series F with the key in Comments, numbered per series and year', async () => {
    wired = await wire({ financialYears: [2025, 2026] });
    const first = await wired.connector.postVoucher(voucherFor('2025-06-02'), 'kb1-first');
    const second = await wired.connector.postVoucher(voucherFor('2026-03-14'), 'kb1-second');
    expect(first).toEqual({ externalId: 'F/1/1', number: 'F 1' });
    expect(second).toEqual({ externalId: 'F/1/2', number: 'F 1' });
    const posted = wired.exchanges.find((exchange) => exchange.request.method === 'POST');
    expect(posted?.request.url).toMatch(/\/3\/vouchers$/);
    expect(posted?.request.body).toEqual({
      Voucher: {
        VoucherSeries: 'F',
        TransactionDate: '2025-06-02',
        Description: 'Dagsavslut Z-2025-06-02 2025-06-02',
        Comments: 'Kassebro-ref: kb1-first',
        VoucherRows: expect.arrayContaining([
          expect.objectContaining({ Account: 1580, Debit: 8125, Credit: 0 }),
          expect.objectContaining({ Account: 3001, Debit: 0, Credit: 7000 }),
          expect.objectContaining({ Account: 2611, Debit: 0, Credit: 1750 }),
          expect.objectContaining({ Account: 3002, Debit: 0, Credit: 1116.07 }),
          expect.objectContaining({ Account: 2621, Debit: 0, Credit: 133.93 }),
        ]),
      },
    });
    const stored = wired.sandbox.vouchers()[0];
    expect(stored?.idempotencyKey).toBe('kb1-first');
    expect(stored?.lines.find((line) => line.account === '3002')?.amountOre).toBe(-111_607);
    expect(stored?.lines.reduce((total, line) => total + line.amountOre, 0)).toBe(0);
  });

  it('refuses a date outside every financial year before posting (the new year not created yet)', async () => {
    wired = await wire({ financialYears: [2025, 2026] });
    const error = await failure(wired.connector.postVoucher(voucherFor('2027-01-04'), 'kb1-january'));
    expect(error.code).toBe('locked_period');
    // Wording and code UNCONFIRMED (spec §6.2): the sandbox's, recognised by "räkenskapsår".
    expect(error.targetMessage).toBe('Det finns inget räkenskapsår för datumet 2027-01-04. (Fortnox 2099003)');
    expect(explainError(error, 'sv').hint).toMatch(/skapa räkenskapsåret/);
    expect(wired.exchanges.some((exchange) => exchange.request.method === 'POST')).toBe(false);
    expect(await wired.connector.findExisting('kb1-january', voucherFor('2027-01-04'))).toBeNull();
  });

  it('checks accounts in the voucher’s own financial year and names the missing or inactive ones', async () => {
    wired = await wire({ financialYears: [2025, 2026] });
    wired.sandbox.setAccountInYear(2026, '1580', { exists: false });
    wired.sandbox.setAccountInYear(2026, '1930', { active: false });
    await wired.connector.postVoucher(voucherFor('2025-12-30'), 'kb1-old-year');
    const error = await failure(wired.connector.postVoucher(voucherFor('2026-01-02'), 'kb1-new-year'));
    expect(error.code).toBe('invalid_account');
    expect(error.targetMessage).toBe(
      'Kunde inte hitta konto (Fortnox 2001304) — in the financial year of 2026-01-02: missing 1580; inactive 1930',
    );
    expect(wired.sandbox.vouchers().map((voucher) => voucher.date)).toEqual(['2025-12-30']);
  });

  it('maps the sandbox refusing a date outside every year by its words (code UNCONFIRMED)', () => {
    expect(classifyFortnoxError(400, 'Det finns inget räkenskapsår för datumet 2027-01-04.', 2099003)).toBe(
      'locked_period',
    );
  });

  it('explains a series that does not take manual vouchers, or does not exist, in Fortnox’s words', async () => {
    wired = await wire();
    wired.sandbox.setSeriesManual('F', false);
    const notManual = await failure(wired.connector.postVoucher(voucherFor('2026-10-01'), 'kb1-series'));
    expect(notManual.code).toBe('bad_request');
    expect(notManual.targetMessage).toBe('Verifikationsserien är inte manuell (F) (Fortnox 2099002)');
    const unknown = wired.connect('fortnox', { voucherSeries: 'X' });
    const missing = await failure(unknown.postVoucher(voucherFor('2026-10-01'), 'kb1-series'));
    expect(missing.targetMessage).toBe("Verifikationsserien 'X' finns inte (Fortnox 2099005)");
    expect(wired.sandbox.vouchers()).toHaveLength(0);
  });

  it('fetches the chart of the current year: accounts, manual voucher series, active cost centers', async () => {
    wired = await wire({ maxPageSize: 5 });
    wired.sandbox.setCostCenterActive('2', false);
    const chart = await wired.connector.fetchChart();
    expect(chart.accounts).toHaveLength(18);
    expect(chart.accounts.find((account) => account.number === '2611')).toEqual({
      number: '2611',
      name: 'Utgående moms på försäljning inom Sverige, 25 %',
      active: true,
      lockedVatCode: null,
    });
    expect(chart.voucherSeries).toEqual([
      { code: 'A', name: 'Redovisning' },
      { code: 'F', name: 'Kassa' },
    ]);
    expect(chart.departments).toEqual([{ code: '1', name: 'Butik 1' }]);
    expect(chart.vatCodes).toBeNull();
    // 18 accounts at 5 per page = 4 requests.
    expect(wired.exchanges.filter((exchange) => exchange.request.url.includes('/3/accounts?'))).toHaveLength(4);
  });

  it('finds its voucher on a later page among many of the same day', async () => {
    wired = await wire({ maxPageSize: 2 });
    const date = '2026-10-07';
    for (let index = 1; index <= 5; index += 1) await wired.connector.postVoucher(voucherFor(date), `kb1-day-${index}`);
    expect(await wired.connector.findExisting('kb1-day-5', voucherFor(date))).toEqual({
      externalId: 'F/5/7',
      number: 'F 5',
    });
    expect(await wired.connector.findExisting('kb1-day-6', voucherFor(date))).toBeNull();
  });

  it('sends the department as the row cost center; Fortnox’s cost-center rules apply', async () => {
    wired = await wire();
    const withDepartment = { ...PRESETS['se-bas'].kontooppsett, departments: [{ location: '1', department: '1' }] };
    wired.sandbox.setCostCenterSettings('1580', 'MANDATORY');
    const without = await failure(wired.connector.postVoucher(voucherFor('2026-10-02'), 'kb1-no-cc'));
    expect(without.targetMessage).toBe('Kostnadsställe är obligatoriskt (Fortnox 2099006)');
    await wired.connector.postVoucher(voucherFor('2026-10-02', withDepartment), 'kb1-cc');
    expect(wired.sandbox.vouchers()).toHaveLength(1);
    wired.sandbox.setCostCenterActive('1', false);
    const inactive = await failure(wired.connector.postVoucher(voucherFor('2026-10-03', withDepartment), 'kb1-cc2'));
    expect(inactive.code).toBe('bad_request');
    expect(inactive.targetMessage).toBe('Kostnadsstället 1 är inaktivt (Fortnox 2000947)');
  });

  it('maps a missing API licence (403) to auth with Fortnox’s words', async () => {
    wired = await wire();
    wired.sandbox.inject('any', { kind: 'status', status: 403 });
    const error = await failure(wired.connector.testConnection());
    expect(error.code).toBe('auth');
    expect(error.targetMessage).toBe('Api-licens saknas. (Fortnox 2001103)');
  });

  it('reads capitalised error bodies with string codes, and accepts 200 for a created voucher', async () => {
    wired = await wire({ errorKeys: 'capitalised', createStatus: 200 });
    await wired.connector.postVoucher(voucherFor('2026-10-04'), 'kb1-200');
    expect(wired.sandbox.vouchers()).toHaveLength(1);
    wired.sandbox.setAccount('1910', { exists: false });
    const error = await failure(wired.connector.postVoucher(voucherFor('2026-10-05'), 'kb1-caps'));
    expect(error.code).toBe('invalid_account');
    expect(error.targetMessage).toBe(
      'Kunde inte hitta konto (Fortnox 2001304) — in the financial year of 2026-10-05: missing 1910',
    );
  });
});

describe('Fortnox OAuth', () => {
  let wired: Wired | undefined;
  afterEach(async () => {
    await wired?.sandbox.close();
    wired = undefined;
  });

  it('connects through the authorize page and a single-use code (client id/secret as Basic auth)', async () => {
    wired = await wire();
    const endpoints = fortnoxOAuth({ tokenUrl: `${wired.sandbox.url}/oauth-v1/token` });
    expect(endpoints.authorizeUrl).toBe(`${wired.sandbox.url}/oauth-v1/auth`);
    const redirectUri = 'http://127.0.0.1:1/callback';
    const page = authorizeUrl(endpoints, { clientId: CLIENT.clientId, redirectUri, state: 'st-1' });
    expect(new URL(page).searchParams.get('scope')).toBe(
      'bookkeeping companyinformation costcenter customer article invoice',
    );
    // Fortnox's own parameter for a refresh token usable without the user; no PKCE (not documented).
    expect(new URL(page).searchParams.get('access_type')).toBe('offline');
    expect(new URL(page).searchParams.has('code_challenge')).toBe(false);
    const answer = await fetch(page, { redirect: 'manual' });
    const back = new URL(answer.headers.get('location') ?? '');
    expect(back.searchParams.get('state')).toBe('st-1');
    const code = back.searchParams.get('code') ?? '';
    const http = connectorHttp(
      { targetId: 'oauth', settings: {}, secrets: wired.secrets, secretRef: 'x' },
      'o',
      endpoints.tokenUrl,
      {
        requests: 100,
        perMs: 1_000,
      },
    );
    const secret = await exchangeCode(http, endpoints, { ...CLIENT, code, redirectUri, state: 'st-1' }, fortnoxError);
    await wired.secrets.set('connected', secret);
    expect(Date.parse(secret.accessExpiresAt ?? '')).toBeGreaterThan(Date.now() + 3_500_000);
    expect((await wired.connect('connected').testConnection()).company).toBe('Demo Butik AB');
    const again = await failure(
      exchangeCode(http, endpoints, { ...CLIENT, code, redirectUri, state: 'st-1' }, fortnoxError),
    );
    expect(again.code).toBe('auth');
  });

  it('persists the rotated refresh token before using the new access token; a spent one means reconnect', async () => {
    wired = await wire();
    const issued = await wired.secrets.get('fortnox');
    wired.sandbox.expireTokens();
    expect((await wired.connector.testConnection()).company).toBe('Demo Butik AB');
    const rotated = await wired.secrets.get('fortnox');
    expect(rotated?.['refreshToken']).not.toBe(issued?.['refreshToken']);
    expect(rotated?.['accessToken']).not.toBe(issued?.['accessToken']);
    // A second installation still holding the old pair: its refresh token is spent.
    await wired.secrets.set('stale', { ...issued });
    wired.sandbox.expireTokens();
    const error = await failure(wired.connect('stale').testConnection());
    expect(error.code).toBe('auth');
    expect(error.targetMessage).toBe('invalid_grant: The refresh token is invalid or expired.');
    expect(explainError(error, 'sv').hint).toMatch(/anslut igen/);
    // The owner of the rotated token is unaffected.
    expect((await wired.connector.testConnection()).company).toBe('Demo Butik AB');
  });

  it('two connections of one target renewing at once: the loser takes the winner’s stored pair', async () => {
    wired = await wire();
    const daemon = wired.connector;
    const technician = wired.connect('fortnox');
    wired.sandbox.expireTokens();
    const [first, second] = await Promise.all([daemon.testConnection(), technician.testConnection()]);
    expect([first.company, second.company]).toEqual(['Demo Butik AB', 'Demo Butik AB']);
    const refused = wired.exchanges.filter(
      (exchange) => exchange.request.url.endsWith('/oauth-v1/token') && exchange.response?.status === 400,
    );
    // Both tried with the same single-use token; one was refused and still carried on.
    expect(refused).toHaveLength(1);
  });

  it('renews a stale access token before calling, without meeting a 401', async () => {
    wired = await wire();
    const stored = await wired.secrets.get('fortnox');
    await wired.secrets.set('fortnox', { ...stored, accessExpiresAt: new Date(Date.now() + 30_000).toISOString() });
    await wired.connector.testConnection();
    expect(wired.exchanges.map((exchange) => exchange.response?.status)).toEqual([200, 200]);
    expect(wired.exchanges[0]?.request.url).toMatch(/\/oauth-v1\/token$/);
    const renewed = await wired.secrets.get('fortnox');
    expect(Date.parse(renewed?.['accessExpiresAt'] ?? '')).toBeGreaterThan(Date.now() + 3_500_000);
  });

  it('says "connect first" when only the client id/secret are stored', async () => {
    wired = await wire();
    await wired.secrets.set('new', CLIENT);
    const error = await failure(wired.connect('new').testConnection());
    expect(error.code).toBe('auth');
    expect(error.targetMessage).toMatch(/no refresh token stored; connect the target again/);
  });
});

describe('Fortnox rate limit', () => {
  it('the sandbox counts a sliding window and answers 429; the connector spaced below it never meets one', async () => {
    const wired = await wire(
      { rateLimit: { requests: 5, perMs: 500 } },
      { ...CONTRACT_TUNING, rateLimit: { requests: 4, perMs: 500 } },
    );
    try {
      const { accessToken } = wired.sandbox.issueTokens();
      const burst = await Promise.all(
        Array.from({ length: 8 }, () =>
          fetch(`${wired.sandbox.url}/3/companyinformation`, { headers: { authorization: `Bearer ${accessToken}` } }),
        ),
      );
      expect(burst.map((response) => response.status).sort()).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
      expect(await burst.find((response) => response.status === 429)?.json()).toEqual({ message: 'Too Many Requests' });
      // The sandbox forgets a request one window (500 ms) after it arrived: all arrived before now.
      const burstAnswered = Date.now();
      await waitFor(() => Date.now() - burstAnswered >= 500, 'the sandbox rate window to pass');
      for (let index = 0; index < 12; index += 1) await wired.connector.testConnection();
      expect(wired.exchanges.filter((exchange) => exchange.response?.status === 429)).toHaveLength(0);
    } finally {
      await wired.sandbox.close();
    }
  });
});

describe('Fortnox invoices', () => {
  let wired: Wired | undefined;
  afterEach(async () => {
    await wired?.sandbox.close();
    wired = undefined;
  });
  const toSend = (customer: TargetCustomer, mode: InvoiceMode, key: string, sale = swedishInvoiceSale()) => ({
    sale,
    mode,
    customer,
    idempotencyKey: key,
    lines: targetLines(sale, 'net' as const),
  });

  it('sends net SEK prices with the VAT % per row, our key in ExternalInvoiceReference1, and creates each article once', async () => {
    wired = await wire();
    const invoices = wired.connector.invoices!;
    const customer = await invoices.createCustomer(swedishInvoiceSale().customer, '100000');
    await invoices.postInvoice(toSend(customer, 'invoice-in-target', 'kbi1-first'));
    await invoices.postInvoice(
      toSend(customer, 'invoice-in-target', 'kbi1-second', swedishInvoiceSale({ posNumber: '7002' })),
    );
    const posts = wired.exchanges.filter((exchange) => exchange.request.method === 'POST');
    expect(posts.map((exchange) => new URL(exchange.request.url).pathname.replace(/^.*\/3/, ''))).toEqual([
      '/customers',
      '/articles',
      '/articles',
      '/articles',
      '/articles',
      '/invoices',
      '/invoices',
    ]);
    expect(posts[0]?.request.body).toEqual({
      Customer: {
        CustomerNumber: '100000',
        Name: 'Fjällbygg AB',
        Type: 'COMPANY',
        OrganisationNumber: '559012-3456',
        Email: 'faktura@fjallbygg.se',
        Address1: 'Storgatan 12',
        ZipCode: '411 18',
        City: 'Göteborg',
        CountryCode: 'SE',
      },
    });
    expect(posts.slice(1, 5).map((exchange) => exchange.request.body)).toEqual([
      { Article: expect.objectContaining({ ArticleNumber: 'KB-VARE-25', VAT: 25, SalesAccount: 3001 }) },
      { Article: expect.objectContaining({ ArticleNumber: 'KB-VARE-12', VAT: 12, SalesAccount: 3002 }) },
      { Article: expect.objectContaining({ ArticleNumber: 'KB-VARE-6', VAT: 6, SalesAccount: 3003 }) },
      { Article: expect.objectContaining({ ArticleNumber: 'KB-GEBYR-25', VAT: 25, SalesAccount: 3001 }) },
    ]);
    expect(posts[5]?.request.body).toEqual({
      Invoice: {
        CustomerNumber: '100000',
        InvoiceDate: '2026-11-20',
        DueDate: '2026-12-04',
        Currency: 'SEK',
        VATIncluded: false,
        ExternalInvoiceReference1: 'kbi1-first',
        YourOrderNumber: '7001',
        OurReference: 'Karin',
        InvoiceRows: [
          { ArticleNumber: 'KB-VARE-25', Description: 'Varer (04003)', DeliveredQuantity: 1, Price: 800, VAT: 25 },
          {
            ArticleNumber: 'KB-VARE-12',
            Description: 'Livsmedel (04006)',
            DeliveredQuantity: 1,
            Price: 100,
            VAT: 12,
          },
          { ArticleNumber: 'KB-VARE-6', Description: 'Böcker (04010)', DeliveredQuantity: 1, Price: 50, VAT: 6 },
          { ArticleNumber: 'KB-GEBYR-25', Description: 'Fakturaavgift', DeliveredQuantity: 1, Price: 39, VAT: 25 },
        ],
      },
    });
    expect(wired.sandbox.invoicing!.invoices().map((invoice) => invoice.number)).toEqual(['1', '2']);
  });

  it('a tip goes on an article without VAT booked to 2890, never counted as revenue', async () => {
    wired = await wire();
    const invoices = wired.connector.invoices!;
    const customer = await invoices.createCustomer(swedishInvoiceSale().customer, '100000');
    const sale = swedishInvoiceSale({
      lines: [...swedishInvoiceSale().lines, invoiceLine('20.00', '0', 0, { kind: 'tip', description: 'Dricks' })],
    });
    await invoices.postInvoice(toSend(customer, 'invoice-in-target', 'kbi1-tip', sale));
    const [stored] = wired.sandbox.invoicing!.invoices();
    expect(stored?.lines.at(-1)).toEqual({ productNumber: 'KB-TIPS', vatCode: '', netOre: 2_000, vatOre: 0 });
  });

  it('finds a customer whose organisation number was typed with or without the dash (the filter matches where the value begins)', async () => {
    wired = await wire();
    const added = wired.sandbox.invoicing!.addCustomer({
      customerNumber: '17',
      name: 'Fjällbygg AB',
      organizationNumber: '5590123456',
      email: null,
      hasAddress: true,
    });
    for (const value of ['559012-3456', '5590123456']) {
      const found = await wired.connector.invoices!.findCustomers({ field: 'organization_number', value });
      expect(found.map((customer) => customer.externalId)).toEqual([added.customerNumber]);
    }
    expect(
      await wired.connector.invoices!.findCustomers({ field: 'organization_number', value: '559012-3457' }),
    ).toEqual([]);
  });

  it("refuses what Fortnox cannot take before sending: a Norwegian sale, a POS number that is not a number; a customer number in use is Fortnox's duplicate", async () => {
    wired = await wire();
    const invoices = wired.connector.invoices!;
    const customer = await invoices.createCustomer(swedishInvoiceSale().customer, '100000');
    const norwegian = await failure(
      invoices.postInvoice(toSend(customer, 'invoice-in-target', 'kbi1-no', invoiceSale())),
    );
    expect([norwegian.code, norwegian.targetMessage]).toEqual([
      'bad_request',
      'Fortnox takes Swedish invoice sales in SEK; invoice 6001 is from a NO shop.',
    ]);
    const lettered = await failure(
      invoices.postInvoice(toSend(customer, 'pos-issued', 'kbi1-b', swedishInvoiceSale({ posNumber: '7001-b' }))),
    );
    expect(lettered.targetMessage).toBe(
      `Fortnox invoice numbers are whole numbers; the POS's number "7001-b" cannot be used as one.`,
    );
    const taken = await failure(invoices.createCustomer(swedishInvoiceSale().customer, '100000'));
    expect([taken.code, taken.targetMessage]).toEqual([
      'duplicate',
      'Kundnummer 100000 används redan. Kundnumret har redan använts men blivit raderat. (Fortnox 2000637)',
    ]);
    expect(wired.sandbox.invoicing!.invoices()).toEqual([]);
    expect(await invoices.nextInvoiceNumber()).toBeNull();
  });
});

describe('Fortnox error mapping', () => {
  it('maps every documented error code', () => {
    const expected: Record<string, string> = {
      1000003: 'server_error',
      2000310: 'auth',
      2000311: 'auth',
      2000663: 'auth',
      2001101: 'auth',
      2001103: 'auth',
      2001304: 'invalid_account',
      2000401: 'locked_period',
      2002141: 'locked_period',
      2000947: 'bad_request',
      2000588: 'bad_request',
      2000637: 'duplicate',
      2001399: 'bad_request',
      2002115: 'bad_request',
      1000030: 'bad_request',
      1000031: 'bad_request',
      2000106: 'bad_request',
      2000108: 'bad_request',
      2000134: 'bad_request',
      2000359: 'bad_request',
      2000729: 'bad_request',
      2001392: 'bad_request',
    };
    expect(
      Object.fromEntries(Object.keys(FORTNOX_ERROR_CODES).map((code) => [code, FORTNOX_ERROR_CODES[Number(code)]])),
    ).toEqual(expected);
    // The code decides even when the status would say otherwise (a 403 with a licence code is still auth; a 400 lock is a lock).
    expect(classifyFortnoxError(400, 'Användaren har låst perioden t.o.m. 2026-09-30.', 2000401)).toBe('locked_period');
  });

  it('maps the cases known only by their text', () => {
    expect(classifyFortnoxError(400, 'Konto 1910 är inte aktivt', 1)).toBe('invalid_account');
    expect(classifyFortnoxError(400, 'Verifikationen är inte i balans (debet 1, kredit 2).', null)).toBe('unbalanced');
    expect(classifyFortnoxError(400, 'invalid_grant: The refresh token is invalid or expired.', null)).toBe('auth');
    expect(classifyFortnoxError(429, 'Too Many Requests', null)).toBe('rate_limited');
    expect(classifyFortnoxError(401, 'unauthorized', null)).toBe('auth');
    expect(classifyFortnoxError(502, 'Bad Gateway', null)).toBe('server_error');
    expect(classifyFortnoxError(400, "Verifikationsserien 'X' finns inte", 2099005)).toBe('bad_request');
  });

  it('parses the body variants Fortnox sends', () => {
    expect(
      parseFortnoxError({ ErrorInformation: { error: 1, message: 'Kunde inte hitta konto', code: 2001304 } }),
    ).toEqual({
      message: 'Kunde inte hitta konto',
      code: 2001304,
    });
    expect(
      parseFortnoxError({ ErrorInformation: { Error: 1, Message: 'Ogiltig parameter i anropet.', Code: '2000588' } }),
    ).toEqual({
      message: 'Ogiltig parameter i anropet.',
      code: 2000588,
    });
    expect(parseFortnoxError({ message: 'unauthorized' })).toEqual({ message: 'unauthorized', code: null });
    expect(parseFortnoxError({ error: 'invalid_grant', error_description: 'Invalid refresh token' })).toEqual({
      message: 'invalid_grant: Invalid refresh token',
      code: null,
    });
    expect(parseFortnoxError(null)).toBeNull();
  });
});
