import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { invoiceSale } from '../../../../test/fixtures/invoices';
import { norwegianDay } from '../../../../test/fixtures/settlements';
import { waitFor } from '../../../../test/helpers/wait-for';
import { ore } from '../../../shared/money';
import { TARGETS } from '../../../shared/targets';
import type { Exchange } from '../../http/client';
import { targetLines } from '../../invoices/target-lines';
import { PRESETS } from '../../mapping/presets';
import {
  accountNumberFilter,
  POWEROFFICE_INVALID_CLIENT,
  POWEROFFICE_SANDBOX_DEFAULTS,
  POWEROFFICE_SANDBOX_VAT_CODES,
  startPowerOfficeSandbox,
  type PowerOfficeSandbox,
  type PowerOfficeSandboxOptions,
} from '../../sandboxes/poweroffice';
import { homeSecretStore } from '../../secrets/secret-store';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../../vouchers/build';
import type { Voucher } from '../../vouchers/voucher';
import { CONTRACT_TUNING, runContractSuite } from '../contract-suite';
import { ConnectorError, explainError } from '../errors';
import type { InvoiceToSend, TargetCustomer } from '../invoice-connector';
import {
  createPowerOfficeConnector,
  POWEROFFICE_ENDPOINTS,
  powerOfficeEndpoints,
  powerOfficeSettingsSchema,
} from './connector';
import { powerOfficeError } from './errors';

const KEYS = {
  applicationKey: POWEROFFICE_SANDBOX_DEFAULTS.applicationKey,
  clientKey: POWEROFFICE_SANDBOX_DEFAULTS.clientKey,
  subscriptionKey: POWEROFFICE_SANDBOX_DEFAULTS.subscriptionKey,
};
let targets = 0;

async function connect(
  sandbox: PowerOfficeSandbox,
  keys: Record<string, string> = KEYS,
  onExchange?: (exchange: Exchange) => void,
) {
  const secrets = homeSecretStore(mkdtempSync(join(tmpdir(), 'kassebro-po-')));
  await secrets.set('poweroffice', keys);
  targets += 1;
  const connector = createPowerOfficeConnector({
    targetId: `po-${targets}`,
    settings: { baseUrl: `${sandbox.url}/v2` },
    secrets,
    secretRef: 'poweroffice',
    tuning: CONTRACT_TUNING,
    ...(onExchange ? { onExchange } : {}),
  });
  return { connector, secrets };
}

/** The Norwegian test day (gross 10 100.00) with its sales on department 1. */
function zVoucher(date: string): Voucher {
  const kontooppsett = { ...PRESETS['no-standard'].kontooppsett, departments: [{ location: '1', department: '1' }] };
  const result = buildVoucher(norwegianDay({ businessDate: date }), kontooppsett, {
    vatStyle: TARGETS.poweroffice.vatStyle,
    language: 'nb',
    chart: null,
    ...DEFAULT_RESIDUAL_LIMITS,
  });
  if (!result.voucher) throw new Error(JSON.stringify(result.problems));
  return result.voucher;
}

runContractSuite({
  target: 'poweroffice',
  language: 'nb',
  async start() {
    const sandbox = await startPowerOfficeSandbox();
    return { sandbox, connector: (await connect(sandbox)).connector };
  },
  voucher: zVoucher,
  accountOnVoucher: '1920',
  vatLock: { account: '3000', lockedTo: '31' },
  invoiceWords: {
    duplicate: /An outgoing invoice with invoice number 6001 already exists on this client/,
    missingAddress: /customer 100000 Fjord Bygg AS is missing a mail address/,
  },
  targetWords: {
    auth: /Client integration not found\. Please ensure the provided keys are matching the desired environment\./,
    invalid_account: /General ledger account (with id = \d+ not found|1920 .* is not active)/,
    vat_code_not_allowed: /General ledger account 3000 .* is locked to vat code 31; vat code 3 is not allowed/,
    locked_period: /is within a locked period/,
    duplicate: /ExternalImportReference 'kb1-twice' already exists/,
    unbalanced: /The voucher is not balanced: the sum of the voucher lines is 1\.00/,
    rate_limited: /Rate limit is exceeded\. Try again in 30 seconds\./,
    server_error: /Internal Server Error|Service Unavailable/,
    unknown_outcome: /fetch failed|aborted|timeout|socket/i,
    offline: /ECONNREFUSED|fetch failed/,
  },
});

describe('PowerOffice Go connector', () => {
  let sandbox: PowerOfficeSandbox;
  const start = async (options: PowerOfficeSandboxOptions = {}) => {
    sandbox = await startPowerOfficeSandbox(options);
    return sandbox;
  };
  afterEach(async () => {
    await sandbox.close();
  });

  it('posts gross amounts with VAT code Ids, the current version of code 3, department Ids and the key', async () => {
    await start();
    const { connector } = await connect(sandbox);
    const posted = await connector.postVoucher(zVoucher('2026-11-20'), 'kb1-shape');
    expect(posted).toEqual({ externalId: expect.stringMatching(/^[0-9a-f-]{36}$/), number: '1' });
    const [stored] = sandbox.vouchers();
    expect(stored?.idempotencyKey).toBe('kb1-shape');
    const byAccount = Object.fromEntries(
      (stored?.lines ?? []).map((line) => [line.account, [line.amountOre, line.vatCode]]),
    );
    // Sales gross and credited with their VAT codes; payments debited with the "no VAT" code 0.
    expect(byAccount).toEqual({
      '3000': [-875_000, '3'],
      '3001': [-125_000, '31'],
      '3100': [-10_000, '5'],
      '1920': [812_500, '0'],
      '1900': [135_000, '0'],
      '1515': [62_500, '0'],
    });
    const rows = await fetch(`${sandbox.url}/_sandbox/vouchers`).then((response) => response.json());
    expect(rows).toHaveLength(1);
  });

  it('fetches accounts, the current VAT codes (rates in basis points) and departments', async () => {
    await start();
    const { connector } = await connect(sandbox);
    const chart = await connector.fetchChart();
    expect(chart.accounts.find((account) => account.number === '3001')).toEqual({
      number: '3001',
      name: 'Salgsinntekt, næringsmidler 15 %',
      active: true,
      lockedVatCode: '31',
    });
    expect(chart.accounts.find((account) => account.number === '2910')?.active).toBe(false);
    expect(chart.vatCodes?.filter((vat) => vat.code === '3')).toEqual([
      { code: '3', description: 'Utgående mva, alminnelig sats', rateBp: 2500 },
    ]);
    expect(chart.departments).toEqual([
      { code: '1', name: 'Butikk sentrum' },
      { code: '2', name: 'Butikk kjøpesenter' },
    ]);
  });

  it('pages through long lists (1000 per page) and takes the 204 of an empty day as nothing found', async () => {
    await start();
    const exchanges: Exchange[] = [];
    const { connector } = await connect(sandbox, KEYS, (exchange) => exchanges.push(exchange));
    // A voucher with 1001 lines on bank account 1920: 1001 account transactions, two pages.
    const template = zVoucher('2026-11-21');
    const [first] = template.lines;
    if (!first) throw new Error('empty voucher');
    const line = (amount: number) => ({
      ...first,
      account: '1920',
      vatCode: null,
      department: null,
      amount: ore(amount),
    });
    const wide = { ...template, lines: [...Array.from({ length: 1000 }, () => line(100)), line(-100_000)] };
    await connector.postVoucher(wide, 'kb1-wide');
    expect(await connector.findExisting('kb1-wide', wide)).toMatchObject({ number: '1' });
    const pages = exchanges.filter((exchange) => exchange.request.url.includes('/AccountTransactions'));
    expect(pages.map((exchange) => new URL(exchange.request.url).searchParams.get('PageNumber'))).toEqual(['1', '2']);
    expect(new URL(pages[0]?.request.url ?? '').searchParams.get('accountNos')).toBe('1920');
    expect(await connector.findExisting('kb1-wide', zVoucher('2026-11-22'))).toBeNull();
    expect(exchanges.at(-1)?.response?.status).toBe(204);
  });

  it('renews the access token before it expires, without meeting a 401', async () => {
    await start({ tokenTtlMs: 2_000 });
    const exchanges: Exchange[] = [];
    const { connector, secrets } = await connect(sandbox, KEYS, (exchange) => exchanges.push(exchange));
    await connector.testConnection();
    const first = (await secrets.get('poweroffice'))?.['accessToken'];
    await connector.testConnection();
    expect(sandbox.tokensIssued()).toBe(1);
    // Renewed halfway through a 2 s token, so the second token is fetched before the first dies.
    const renewAfter = Date.parse(String((await secrets.get('poweroffice'))?.['accessRenewAfter']));
    await waitFor(() => Date.now() > renewAfter, 'the stored renew-after time');
    await connector.testConnection();
    expect(sandbox.tokensIssued()).toBe(2);
    expect((await secrets.get('poweroffice'))?.['accessToken']).not.toBe(first);
    expect(exchanges.filter((exchange) => exchange.response?.status === 401)).toHaveLength(0);
    // The token never reaches the captured exchanges.
    expect(JSON.stringify(exchanges)).not.toContain(String(first));
  });

  it('shares one stored token between two connectors of the same shop', async () => {
    await start();
    const { connector, secrets } = await connect(sandbox);
    await connector.testConnection();
    const second = createPowerOfficeConnector({
      targetId: 'po-second',
      settings: { baseUrl: `${sandbox.url}/v2` },
      secrets,
      secretRef: 'poweroffice',
      tuning: CONTRACT_TUNING,
    });
    await second.fetchChart();
    expect(sandbox.tokensIssued()).toBe(1);
  });

  it('never reuses a stored token after the keys change (another company) or the environment changes', async () => {
    await start();
    const { connector, secrets } = await connect(sandbox);
    await connector.testConnection();
    const stored = await secrets.get('poweroffice');
    // The technician enters another shop's client key; the old token must not post for it.
    await secrets.set('poweroffice', { ...stored, clientKey: 'another-shops-client-key' });
    await expect(connector.testConnection()).rejects.toMatchObject({
      code: 'auth',
      targetMessage: POWEROFFICE_INVALID_CLIENT,
    });
    await secrets.set('poweroffice', { ...stored });
    // Switched to the demo environment: the production token is not sent there, a demo token is asked for.
    const exchanges: Exchange[] = [];
    const demo = createPowerOfficeConnector({
      targetId: 'po-demo',
      settings: { baseUrl: `${sandbox.url}/v2`, tokenUrl: `${sandbox.url}/Demo/OAuth/Token` },
      secrets,
      secretRef: 'poweroffice',
      tuning: CONTRACT_TUNING,
      onExchange: (exchange) => exchanges.push(exchange),
    });
    await expect(demo.testConnection()).rejects.toMatchObject({ code: 'auth' });
    expect(exchanges[0]?.request.url).toBe(`${sandbox.url}/Demo/OAuth/Token`);
    expect(sandbox.tokensIssued()).toBe(1);
  });

  it('renews after an early 401 once, and parallel calls share one token request', async () => {
    await start();
    const { connector } = await connect(sandbox);
    await connector.testConnection();
    sandbox.expireTokens();
    await Promise.all([connector.testConnection(), connector.fetchChart(), connector.testConnection()]);
    expect(sandbox.tokensIssued()).toBe(2);
  });

  it('explains keys from the other environment or a wrong client key as auth, in Go’s words', async () => {
    await start();
    const { connector } = await connect(sandbox, { ...KEYS, clientKey: 'a-demo-client-key' });
    const error = await connector.testConnection().catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: 'auth', targetMessage: POWEROFFICE_INVALID_CLIENT });
    const explained = explainError(error as ConnectorError, 'nb');
    expect(explained.targetMessage).toContain('matching the desired environment');
    expect(explained.explanation).toMatch(/godtok ikke innloggingen/);
  });

  it('does not log in again with keys Go refused until they change or a person tests the connection', async () => {
    await start();
    const { connector, secrets } = await connect(sandbox, { ...KEYS, clientKey: 'a-deactivated-client-key' });
    const refused = { code: 'auth', targetMessage: POWEROFFICE_INVALID_CLIENT };
    await expect(connector.postVoucher(zVoucher('2026-11-26'), 'kb1-refused')).rejects.toMatchObject(refused);
    const asked = sandbox.requestCount();
    // The next sync run: refused at home with Go's words, Go is not asked.
    await expect(connector.postVoucher(zVoucher('2026-11-26'), 'kb1-refused')).rejects.toMatchObject(refused);
    expect(sandbox.requestCount()).toBe(asked);
    // A person testing the connection always gets a real attempt.
    await expect(connector.testConnection()).rejects.toMatchObject(refused);
    expect(sandbox.requestCount()).toBe(asked + 1);
    // Corrected keys are tried at once.
    await secrets.set('poweroffice', { ...(await secrets.get('poweroffice')), clientKey: KEYS.clientKey });
    await connector.postVoucher(zVoucher('2026-11-26'), 'kb1-refused');
    expect(sandbox.vouchers()).toHaveLength(1);
    expect(await secrets.get('poweroffice')).not.toHaveProperty('refusedKeys');
  });

  it('explains a wrong subscription key with the gateway’s message', async () => {
    await start();
    const { connector } = await connect(sandbox, { ...KEYS, subscriptionKey: 'not-ours' });
    await expect(connector.testConnection()).rejects.toMatchObject({
      code: 'auth',
      targetMessage:
        'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
    });
  });

  it('names missing privileges at the connection test, and maps the 403 on posting to auth', async () => {
    await start();
    const { connector } = await connect(sandbox);
    sandbox.revokePrivilege('ManualVoucher_Full');
    await expect(connector.testConnection()).rejects.toMatchObject({
      code: 'auth',
      targetMessage: expect.stringContaining('lacks the privilege(s) ManualVoucher_Full for Demo Butikk AS'),
    });
    await expect(connector.postVoucher(zVoucher('2026-11-23'), 'kb1-403')).rejects.toMatchObject({
      code: 'auth',
      targetMessage: expect.stringMatching(/^HTTP 403 Forbidden/),
    });
  });

  it('refuses an unknown department before sending', async () => {
    await start();
    const { connector } = await connect(sandbox);
    const voucher = zVoucher('2026-11-24');
    const odd = { ...voucher, lines: voucher.lines.map((line) => ({ ...line, department: '9' })) };
    await expect(connector.postVoucher(odd, 'kb1-dept')).rejects.toMatchObject({
      code: 'bad_request',
      targetMessage: 'PowerOffice Go has no department 9 (GET /Departments).',
    });
    // One token request and the three lookups; nothing was posted.
    expect(sandbox.requestCount()).toBe(4);
    expect(sandbox.vouchers()).toHaveLength(0);
  });

  it('never sends a line without a VAT code: a client listing no code 0 is told so, nothing is posted', async () => {
    await start({ vatCodes: POWEROFFICE_SANDBOX_VAT_CODES.filter((vat) => vat.Code !== '0') });
    const { connector } = await connect(sandbox);
    await expect(connector.postVoucher(zVoucher('2026-11-24'), 'kb1-no-zero')).rejects.toMatchObject({
      code: 'vat_code_not_allowed',
      targetMessage: expect.stringMatching(
        /lists no VAT code 0 \(no VAT\) valid on 2026-11-24, which account 19\d\d needs/,
      ),
    });
    expect(sandbox.vouchers()).toHaveLength(0);
  });

  it('resolves a 429 on the token call and a duplicate after a lost answer', async () => {
    await start();
    const { connector } = await connect(sandbox);
    sandbox.inject('auth', { kind: 'status', status: 429, retryAfterSeconds: 0 });
    const voucher = zVoucher('2026-11-25');
    sandbox.inject('post', { kind: 'drop-after-store' });
    await expect(connector.postVoucher(voucher, 'kb1-lost')).rejects.toMatchObject({ code: 'unknown_outcome' });
    // Sending again is refused by Go's own duplicate check; the engine then finds it by its key.
    await expect(connector.postVoucher(voucher, 'kb1-lost')).rejects.toMatchObject({ code: 'duplicate' });
    expect(await connector.findExisting('kb1-lost', voucher)).toEqual({
      externalId: sandbox.vouchers()[0]?.id,
      number: '1',
    });
  });
});

describe('PowerOffice Go endpoints and error mapping', () => {
  it('maps the end point mode to the real addresses, and a sandbox base URL to its token URL', () => {
    expect(powerOfficeEndpoints(powerOfficeSettingsSchema.parse({}))).toEqual(POWEROFFICE_ENDPOINTS.production);
    expect(powerOfficeEndpoints(powerOfficeSettingsSchema.parse({ endpointMode: 'demo' }))).toEqual({
      baseUrl: 'https://goapi.poweroffice.net/Demo/v2',
      tokenUrl: 'https://goapi.poweroffice.net/Demo/OAuth/Token',
    });
    expect(powerOfficeEndpoints(powerOfficeSettingsSchema.parse({ baseUrl: 'http://127.0.0.1:9000/v2' }))).toEqual({
      baseUrl: 'http://127.0.0.1:9000/v2',
      tokenUrl: 'http://127.0.0.1:9000/oauth/Token',
    });
    expect(() => powerOfficeSettingsSchema.parse({ endpointMode: 'test' })).toThrow();
  });

  it('the sandbox filters account numbers the way the spec writes them', () => {
    const wanted = accountNumberFilter('1000-1999, 2500, 3000-');
    expect([999, 1000, 1999, 2000, 2500, 2501, 3000, 9999].filter(wanted)).toEqual([1000, 1999, 2500, 3000, 9999]);
    expect([1, 9999].filter(accountNumberFilter(null))).toEqual([1, 9999]);
  });

  const response = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
    status,
    body,
    headers: new Headers(headers),
  });

  it('reads ProblemDetails in PascalCase (the spec) as well as camelCase (ASP.NET)', () => {
    const pascal = powerOfficeError(
      response(400, {
        Type: null,
        Title: 'Object(s) not found',
        Status: 400,
        Detail: 'General ledger account with id = 4711 not found.',
      }),
    );
    expect(pascal).toMatchObject({
      code: 'invalid_account',
      targetMessage: 'Object(s) not found General ledger account with id = 4711 not found.',
    });
    const validation = powerOfficeError(
      response(400, {
        title: 'One or more validation errors occurred.',
        errors: { CurrencyCode: ['The CurrencyCode field is required.'] },
      }),
    );
    expect(validation).toMatchObject({
      code: 'bad_request',
      targetMessage: 'One or more validation errors occurred. CurrencyCode: The CurrencyCode field is required.',
    });
  });

  it('takes the wait from "Try again in N seconds" when a 429 has no Retry-After header', () => {
    const error = powerOfficeError(
      response(429, { statusCode: '429', message: 'Rate limit is exceeded. Try again in 7 seconds.' }),
    );
    expect(error).toMatchObject({ code: 'rate_limited', detail: { retryAfterMs: 7_000 } });
    expect(powerOfficeError(response(429, null, { 'retry-after': '3' })).detail.retryAfterMs).toBe(3_000);
  });

  it('says what an empty 401 means instead of an empty message', () => {
    expect(powerOfficeError(response(401, null))).toMatchObject({
      code: 'auth',
      targetMessage: 'HTTP 401 Unauthorized (no body: the access token was missing, invalid or expired)',
    });
    expect(powerOfficeError(response(503, null)).code).toBe('server_error');
  });
});

describe('PowerOffice Go invoices delivered in the background (createAndSendInvoice → 202)', () => {
  let sandbox: PowerOfficeSandbox;
  afterEach(async () => {
    await sandbox.close();
  });
  const toSend = (customer: TargetCustomer, key: string): InvoiceToSend => ({
    sale: invoiceSale(),
    mode: 'invoice-in-target',
    customer,
    idempotencyKey: key,
    lines: targetLines(invoiceSale(), 'net'),
  });
  const start = async (polls: number, withAddress = true) => {
    sandbox = await startPowerOfficeSandbox();
    sandbox.deliverAfterPolls(polls);
    const invoices = (await connect(sandbox)).connector.invoices!;
    const customer = { ...invoiceSale().customer, ...(withAddress ? {} : { address: null }) };
    return { invoices, customer: await invoices.createCustomer(customer, '100000') };
  };

  it('waits for the number Go gives the invoice on its way', async () => {
    const { invoices, customer } = await start(3);
    expect(await invoices.postInvoice(toSend(customer, 'kbi1-later'))).toEqual({
      externalId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      number: '10001',
    });
    expect(sandbox.invoicing!.invoices()).toHaveLength(1);
  });

  it("a delivery Go reports as failed is refused in Go's words; the fixed draft is sent once", async () => {
    const { invoices, customer } = await start(2, false);
    sandbox.invoicing!.requireCustomerAddress(true);
    await expect(invoices.postInvoice(toSend(customer, 'kbi1-async'))).rejects.toMatchObject({
      code: 'bad_request',
      targetMessage: expect.stringMatching(/^The invoice cannot be sent: customer 100000 .* missing a mail address/),
    });
    expect(sandbox.invoicing!.invoices()).toHaveLength(0);
    sandbox.invoicing!.setCustomerAddress('100000');
    expect((await invoices.postInvoice(toSend(customer, 'kbi1-async'))).number).toBe('10001');
    expect(sandbox.invoicing!.invoices()).toHaveLength(1);
  });

  it('a send whose answer was lost while Go was still delivering is waited for, not sent again', async () => {
    const { invoices, customer } = await start(2);
    sandbox.inject('post', { kind: 'drop-after-store' });
    await expect(invoices.postInvoice(toSend(customer, 'kbi1-lost-async'))).rejects.toMatchObject({
      code: 'unknown_outcome',
    });
    // Still on its way: not among the outgoing invoices yet, so the sync sends again — and meets the draft.
    expect(await invoices.findExistingInvoice(toSend(customer, 'kbi1-lost-async'))).toBeNull();
    expect((await invoices.postInvoice(toSend(customer, 'kbi1-lost-async'))).number).toBe('10001');
    expect(sandbox.invoicing!.invoices()).toHaveLength(1);
  });
});
