import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { FORTNOX_KEY_MARKER } from '../connectors/fortnox/connector';
import { fortnoxInvoiceBook } from './fortnox-invoices';
import { SandboxOAuth } from './oauth';
import {
  FaultQueue,
  serveSandbox,
  statusFaultReply,
  type SandboxControl,
  type SandboxReply,
  type SandboxRequest,
  type SandboxVoucher,
} from './server';

/** Fortnox API v3 as described in specs/fortnox.md: OAuth with rotating refresh tokens, SEK decimals, BAS. */
export const FORTNOX_SANDBOX_DEFAULTS = {
  clientId: 'kassebro-fortnox-client',
  clientSecret: 'kassebro-fortnox-secret',
  companyName: 'Demo Butik AB',
  organizationNumber: '556677-8899',
} as const;

type Setting = 'ALLOWED' | 'MANDATORY' | 'NOTALLOWED';

/** BAS 2024 accounts a Swedish shop's Z-report touches (the se-bas preset) plus a few neighbours. */
const ACCOUNTS: readonly (readonly [number, string, string?])[] = [
  [1460, 'Lager av handelsvaror'],
  [1510, 'Kundfordringar'],
  [1580, 'Fordringar för kontokort och kuponger'],
  [1910, 'Kassa'],
  [1920, 'PlusGiro'],
  [1930, 'Företagskonto / affärskonto'],
  [2420, 'Förskott från kunder'],
  [2611, 'Utgående moms på försäljning inom Sverige, 25 %', 'MP1'],
  [2621, 'Utgående moms på försäljning inom Sverige, 12 %', 'MP2'],
  [2631, 'Utgående moms på försäljning inom Sverige, 6 %', 'MP3'],
  [2640, 'Ingående moms'],
  [2890, 'Övriga kortfristiga skulder'],
  [3001, 'Försäljning inom Sverige, 25 % moms', 'MP1'],
  [3002, 'Försäljning inom Sverige, 12 % moms', 'MP2'],
  [3003, 'Försäljning inom Sverige, 6 % moms', 'MP3'],
  [3004, 'Försäljning inom Sverige, momsfri', 'MF'],
  [3740, 'Öres- och kronutjämning'],
  [4990, 'Förändring av lager'],
];

const SERIES: readonly (readonly [string, string, boolean])[] = [
  ['A', 'Redovisning', true],
  ['B', 'Kundfakturor', false],
  ['F', 'Kassa', true],
];

const COST_CENTERS: readonly (readonly [string, string])[] = [
  ['1', 'Butik 1'],
  ['2', 'Butik 2'],
];

/**
 * Error codes the spec lists as '?' (UNCONFIRMED): the sandbox needs some number, so these are its
 * own; the connector recognises these cases by their text, never by these codes.
 */
const UNCONFIRMED_CODE = {
  inactiveAccount: 2099001,
  seriesNotManual: 2099002,
  noFinancialYear: 2099003,
  unbalanced: 2099004,
  unknownSeries: 2099005,
  costCenterRule: 2099006,
  unknownCostCenter: 2099007,
  tooFewRows: 2099008,
} as const;

interface Account {
  number: number;
  description: string;
  active: boolean;
  vatCode: string;
  costCenterSettings: Setting;
}
interface FinancialYear {
  readonly id: number;
  readonly from: string;
  readonly to: string;
}
interface Series {
  readonly code: string;
  readonly description: string;
  manual: boolean;
  next: number;
}
interface Row {
  readonly account: number;
  readonly debitOre: number;
  readonly creditOre: number;
  readonly text: string;
  readonly costCenter: string;
}
interface StoredVoucher {
  readonly series: string;
  readonly number: number;
  readonly year: number;
  readonly date: string;
  readonly description: string;
  readonly comments: string;
  readonly costCenter: string;
  readonly rows: readonly Row[];
}

const amountSchema = z.number().min(0).max(999_999_999_999.99);
const ROW_FIELDS = new Set([
  'Account',
  'Debit',
  'Credit',
  'TransactionInformation',
  'CostCenter',
  'Project',
  'Quantity',
]);
const VOUCHER_FIELDS = new Set([
  'VoucherSeries',
  'TransactionDate',
  'Description',
  'Comments',
  'CostCenter',
  'Project',
  'VoucherRows',
]);
const QUERY_PARAMS = new Set([
  'limit',
  'page',
  'offset',
  'sortby',
  'sortorder',
  'lastmodified',
  'financialyear',
  'financialyeardate',
  'fromdate',
  'todate',
  'date',
  'filter',
]);

export interface FortnoxSandboxOptions {
  readonly port?: number;
  /** Access-token lifetime; Fortnox's is one hour. */
  readonly accessTtlMs?: number;
  /** Fortnox's documented limit: 25 requests in any 5-second window, then 429. */
  readonly rateLimit?: { readonly requests: number; readonly perMs: number };
  /** Calendar years with a financial year; default 2020 through next year. */
  readonly financialYears?: readonly number[];
  /** The live create status is UNCONFIRMED (OpenAPI says 200, conventions 201). */
  readonly createStatus?: 200 | 201;
  /** Some Fortnox endpoints answer `Error/Message/Code` with a string code instead of `error/message/code`. */
  readonly errorKeys?: 'lowercase' | 'capitalised';
  /** Largest page served (Fortnox: 500); small values make tests meet paging. */
  readonly maxPageSize?: number;
}

export type FortnoxSandbox = SandboxControl & {
  issueTokens(): { accessToken: string; refreshToken: string };
  /** Makes a voucher series (non-)manual in every year, as the user ticks "Manuell kontering". */
  setSeriesManual(code: string, manual: boolean): void;
  /** Sets an account's cost-center rule in every year. */
  setCostCenterSettings(account: string, setting: Setting): void;
  setCostCenterActive(code: string, active: boolean): void;
  /** Like setAccount, in one calendar year's chart only (each financial year has its own chart). */
  setAccountInYear(year: number, account: string, change: Parameters<SandboxControl['setAccount']>[1]): void;
};

/** A sliding window (Fortnox counts the last 5 seconds), unlike the fixed windows of other targets. */
class SlidingWindow {
  private readonly stamps: number[] = [];
  constructor(private readonly limit: { readonly requests: number; readonly perMs: number }) {}

  allow(now = Date.now()): boolean {
    while (this.stamps.length > 0 && (this.stamps[0] ?? 0) <= now - this.limit.perMs) this.stamps.shift();
    if (this.stamps.length >= this.limit.requests) return false;
    this.stamps.push(now);
    return true;
  }
}

export async function startFortnoxSandbox(options: FortnoxSandboxOptions = {}): Promise<FortnoxSandbox> {
  const thisYear = new Date().getUTCFullYear();
  const calendarYears = options.financialYears ?? Array.from({ length: thisYear + 2 - 2020 }, (_, i) => 2020 + i);
  const years: FinancialYear[] = calendarYears.map((year, index) => ({
    id: index + 1,
    from: `${year}-01-01`,
    to: `${year}-12-31`,
  }));
  const accounts = new Map<number, Map<number, Account>>(
    years.map((year) => [
      year.id,
      new Map(
        ACCOUNTS.map(([number, description, vatCode = '']) => [
          number,
          { number, description, active: true, vatCode, costCenterSettings: 'ALLOWED' as Setting },
        ]),
      ),
    ]),
  );
  const series = new Map<number, Map<string, Series>>(
    years.map((year) => [
      year.id,
      new Map(SERIES.map(([code, description, manual]) => [code, { code, description, manual, next: 1 }])),
    ]),
  );
  const costCenters = new Map(COST_CENTERS.map(([code, description]) => [code, { code, description, active: true }]));
  const vouchers: StoredVoucher[] = [];
  const faults = new FaultQueue();
  const window = new SlidingWindow(options.rateLimit ?? { requests: 25, perMs: 5_000 });
  const oauth = new SandboxOAuth({
    clientId: FORTNOX_SANDBOX_DEFAULTS.clientId,
    clientSecret: FORTNOX_SANDBOX_DEFAULTS.clientSecret,
    accessTtlMs: options.accessTtlMs ?? 3_600_000,
    clientAuth: 'basic',
    // developer.fortnox.se "Get Authorization-Code": scope, access_type, account_type besides the
    // standard parameters; the token call takes grant_type, code and redirect_uri; no PKCE is documented.
    authorizeParams: ['scope', 'access_type', 'account_type'],
    pkce: false,
    stateOnExchange: false,
  });
  const maxPageSize = options.maxPageSize ?? 500;
  let lockedThrough: string | null = null;

  const fail = (status: number, code: number, message: string): SandboxReply => ({
    status,
    body:
      options.errorKeys === 'capitalised'
        ? { ErrorInformation: { Error: 1, Message: message, Code: String(code) } }
        : { ErrorInformation: { error: 1, message, code } },
  });
  const invalid = (code: number, message: string) => fail(400, code, message);

  const yearOfDate = (date: string) => years.find((year) => year.from <= date && date <= year.to);
  /** The year a list call means: `financialyear` (Id), `financialyeardate` (no year holds it: an error), or today's. */
  const requestedYear = (query: URLSearchParams): FinancialYear | SandboxReply => {
    const id = query.get('financialyear');
    if (id !== null) {
      const found = years.find((year) => String(year.id) === id);
      return found ?? invalid(2000729, 'A valid identifier was not provided.');
    }
    const date = query.get('financialyeardate');
    if (date !== null) return yearOfDate(date) ?? invalid(UNCONFIRMED_CODE.noFinancialYear, noYearText(date));
    const today = new Date().toISOString().slice(0, 10);
    return yearOfDate(today) ?? years.at(-1) ?? invalid(UNCONFIRMED_CODE.noFinancialYear, noYearText(today));
  };

  const page = (key: string, items: readonly unknown[], query: URLSearchParams): SandboxReply => {
    const limit = Math.min(Number(query.get('limit') ?? 100), maxPageSize);
    const current = Number(query.get('page') ?? 1);
    if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(current) || current < 1) {
      return invalid(2000588, 'Ogiltig parameter i anropet.');
    }
    const pages = Math.max(1, Math.ceil(items.length / limit));
    return {
      status: 200,
      body: {
        MetaInformation: { '@TotalResources': items.length, '@TotalPages': pages, '@CurrentPage': current },
        [key]: items.slice((current - 1) * limit, current * limit),
      },
    };
  };

  const invoiceBook = fortnoxInvoiceBook({
    fail,
    page,
    accountVatCode: (number, date) => {
      const year = yearOfDate(date);
      return year ? accounts.get(year.id)?.get(number)?.vatCode : undefined;
    },
    createStatus: options.createStatus ?? 201,
  });

  const yearJson = (year: FinancialYear) => ({
    '@url': `/3/financialyears/${year.id}`,
    Id: year.id,
    FromDate: year.from,
    ToDate: year.to,
    // The chart's field name differs between sources (spec §5.1); both are sent.
    AccountChartType: 'BAS 2024',
    accountCharts: 'BAS 2024',
    AccountingMethod: 'ACCRUAL',
  });
  const accountJson = (year: number, account: Account) => ({
    '@url': `/3/accounts/${account.number}?financialyear=${year}`,
    Number: account.number,
    Description: account.description,
    Active: account.active,
    VATCode: account.vatCode,
    Year: year,
    SRU: 0,
    BalanceBroughtForward: 0,
    CostCenterSettings: account.costCenterSettings,
    ProjectSettings: 'ALLOWED',
    TransactionInformationSettings: 'ALLOWED',
  });
  const voucherListJson = (voucher: StoredVoucher) => ({
    '@url': `/3/vouchers/${voucher.series}/${voucher.number}?financialyear=${voucher.year}`,
    Comments: voucher.comments,
    Description: voucher.description,
    ReferenceNumber: '',
    ReferenceType: 'MANUAL',
    TransactionDate: voucher.date,
    VoucherNumber: voucher.number,
    VoucherSeries: voucher.series,
    Year: voucher.year,
    ApprovalState: 0,
  });
  const voucherJson = (voucher: StoredVoucher) => ({
    ...voucherListJson(voucher),
    CostCenter: voucher.costCenter,
    Project: '',
    VoucherRows: voucher.rows.map((row) => ({
      Account: row.account,
      Debit: row.debitOre / 100,
      Credit: row.creditOre / 100,
      TransactionInformation: row.text,
      CostCenter: row.costCenter,
      Project: '',
      Description: accounts.get(voucher.year)?.get(row.account)?.description ?? '',
      Removed: false,
    })),
  });

  /** An injected status answered the way Fortnox answers it. */
  const faultBody = (status: number): unknown => {
    if (status === 429) return { message: 'Too Many Requests' };
    if (status === 503) return { message: 'Service Unavailable' };
    if (status === 401) return fail(status, 2000310, 'Ogiltig inloggning').body;
    if (status === 403) return fail(status, 2001103, 'Api-licens saknas.').body;
    return fail(status, 1000003, 'System exception').body;
  };

  const createVoucher = (request: SandboxRequest): SandboxReply => {
    if (!request.headers['content-type']?.includes('application/json')) {
      return invalid(1000031, 'Invalid content type');
    }
    if (request.body === undefined) return invalid(2001392, 'Ingen eller felaktig typ av data.');
    if (typeof request.body === 'string') return invalid(2002115, 'Error deserializing JSON: JSON_ERROR_SYNTAX');
    const envelope = z
      .object({ Voucher: z.record(z.string(), z.unknown()) })
      .strict()
      .safeParse(request.body);
    if (!envelope.success) return invalid(2001399, 'Felaktigt fältnamn');
    const body = envelope.data.Voucher;
    if (Object.keys(body).some((field) => !VOUCHER_FIELDS.has(field))) return invalid(2001399, 'Felaktigt fältnamn');
    const head = z
      .object({
        VoucherSeries: z.string().min(1),
        TransactionDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
        Description: z.string().default(''),
        Comments: z.string().default(''),
        CostCenter: z.string().default(''),
        VoucherRows: z.array(z.record(z.string(), z.unknown())),
      })
      .safeParse(body);
    if (!head.success) return invalid(2001392, 'Ingen eller felaktig typ av data.');
    const voucher = head.data;
    const year = yearOfDate(voucher.TransactionDate);
    if (!year) return invalid(UNCONFIRMED_CODE.noFinancialYear, noYearText(voucher.TransactionDate));
    const askedYear = request.url.searchParams.get('financialyear');
    if (askedYear !== null && askedYear !== String(year.id)) {
      return invalid(UNCONFIRMED_CODE.noFinancialYear, noYearText(voucher.TransactionDate));
    }
    if (lockedThrough !== null && voucher.TransactionDate <= lockedThrough) {
      return invalid(
        2000401,
        `Användaren har låst perioden t.o.m. ${lockedThrough}. Lås upp perioden för att fortsätta.`,
      );
    }
    const seriesOfYear = series.get(year.id)?.get(voucher.VoucherSeries);
    if (!seriesOfYear) {
      return invalid(UNCONFIRMED_CODE.unknownSeries, `Verifikationsserien '${voucher.VoucherSeries}' finns inte`);
    }
    if (!seriesOfYear.manual) {
      return invalid(UNCONFIRMED_CODE.seriesNotManual, `Verifikationsserien är inte manuell (${seriesOfYear.code})`);
    }
    if (voucher.VoucherRows.length < 2) {
      return invalid(UNCONFIRMED_CODE.tooFewRows, 'En verifikation måste ha minst två rader.');
    }
    const rows: Row[] = [];
    for (const raw of voucher.VoucherRows) {
      if (Object.keys(raw).some((field) => !ROW_FIELDS.has(field))) return invalid(2001399, 'Felaktigt fältnamn');
      const number = raw['Account'];
      if (typeof number !== 'number' || !Number.isInteger(number)) {
        return invalid(2000108, `Värdet måste vara numeriskt (${String(number)})`);
      }
      const debit = amountSchema.safeParse(raw['Debit'] ?? 0);
      const credit = amountSchema.safeParse(raw['Credit'] ?? 0);
      if (!debit.success || !credit.success) {
        return invalid(2000108, `Värdet måste vara numeriskt (${String(raw['Debit'])}/${String(raw['Credit'])})`);
      }
      const account = accounts.get(year.id)?.get(number);
      if (!account) return invalid(2001304, 'Kunde inte hitta konto');
      if (!account.active) return invalid(UNCONFIRMED_CODE.inactiveAccount, `Konto ${number} är inte aktivt`);
      const costCenter = typeof raw['CostCenter'] === 'string' ? raw['CostCenter'] : voucher.CostCenter;
      if (costCenter) {
        const center = costCenters.get(costCenter);
        if (!center) return invalid(UNCONFIRMED_CODE.unknownCostCenter, `Kostnadsstället ${costCenter} finns inte`);
        if (!center.active) return invalid(2000947, `Kostnadsstället ${costCenter} är inaktivt`);
      }
      if (account.costCenterSettings === 'MANDATORY' && !costCenter) {
        return invalid(UNCONFIRMED_CODE.costCenterRule, 'Kostnadsställe är obligatoriskt');
      }
      if (account.costCenterSettings === 'NOTALLOWED' && costCenter) {
        return invalid(UNCONFIRMED_CODE.costCenterRule, `Kostnadsställe är inte tillåtet för konto ${number}`);
      }
      rows.push({
        account: number,
        debitOre: Math.round(debit.data * 100),
        creditOre: Math.round(credit.data * 100),
        text: typeof raw['TransactionInformation'] === 'string' ? raw['TransactionInformation'] : '',
        costCenter,
      });
    }
    const debit = rows.reduce((total, row) => total + row.debitOre, 0);
    const credit = rows.reduce((total, row) => total + row.creditOre, 0);
    if (debit !== credit) {
      return invalid(
        UNCONFIRMED_CODE.unbalanced,
        `Verifikationen är inte i balans (debet ${debit / 100}, kredit ${credit / 100}).`,
      );
    }
    const stored: StoredVoucher = {
      series: seriesOfYear.code,
      number: seriesOfYear.next++,
      year: year.id,
      date: voucher.TransactionDate,
      description: voucher.Description,
      comments: voucher.Comments,
      costCenter: voucher.CostCenter,
      rows,
    };
    vouchers.push(stored);
    return { status: options.createStatus ?? 201, body: { Voucher: voucherJson(stored) } };
  };

  const api = (request: SandboxRequest, path: string): SandboxReply => {
    const query = request.url.searchParams;
    const accept = request.headers.accept;
    if (accept && !/json|\*\/\*/.test(accept)) return invalid(1000030, 'Invalid response type');
    const booked = invoiceBook.route(request, path);
    if (booked) return booked;
    if ([...query.keys()].some((name) => !QUERY_PARAMS.has(name))) {
      return invalid(2000588, 'Ogiltig parameter i anropet.');
    }
    if (request.method === 'POST' && path === '/3/vouchers') return createVoucher(request);
    if (request.method !== 'GET') return fail(404, 2000729, 'A valid identifier was not provided.');
    if (path === '/3/companyinformation') {
      return {
        status: 200,
        body: {
          CompanyInformation: {
            CompanyName: FORTNOX_SANDBOX_DEFAULTS.companyName,
            OrganizationNumber: FORTNOX_SANDBOX_DEFAULTS.organizationNumber,
            Address: 'Storgatan 1',
            City: 'Stockholm',
            CountryCode: 'SE',
          },
        },
      };
    }
    if (path === '/3/financialyears') {
      const date = query.get('date');
      return page(
        'FinancialYears',
        years.filter((year) => !date || (year.from <= date && date <= year.to)).map(yearJson),
        query,
      );
    }
    if (path === '/3/settings/lockedperiod')
      return { status: 200, body: { LockedPeriod: { EndDate: lockedThrough ?? '' } } };
    if (path === '/3/costcenters') {
      return page(
        'CostCenters',
        [...costCenters.values()].map((center) => ({
          '@url': `/3/costcenters/${center.code}`,
          Code: center.code,
          Description: center.description,
          Note: '',
          Active: center.active,
        })),
        query,
      );
    }
    const year = requestedYear(query);
    if (!('id' in year)) return year;
    if (path === '/3/accounts') {
      return page(
        'Accounts',
        [...(accounts.get(year.id)?.values() ?? [])].map((account) => accountJson(year.id, account)),
        query,
      );
    }
    if (path === '/3/voucherseries') {
      return page(
        'VoucherSeriesCollection',
        [...(series.get(year.id)?.values() ?? [])].map((item) => ({
          '@url': `/3/voucherseries/${item.code}`,
          Code: item.code,
          Description: item.description,
          Manual: item.manual,
          NextVoucherNumber: item.next,
          Year: year.id,
        })),
        query,
      );
    }
    const sublist = /^\/3\/vouchers(?:\/sublist\/([^/]+))?$/.exec(path);
    if (sublist) {
      const from = query.get('fromdate') ?? '0000-00-00';
      const to = query.get('todate') ?? '9999-99-99';
      const listed = vouchers.filter(
        (voucher) =>
          voucher.year === year.id &&
          (!sublist[1] || voucher.series === decodeURIComponent(sublist[1])) &&
          from <= voucher.date &&
          voucher.date <= to,
      );
      return page('Vouchers', listed.map(voucherListJson), query);
    }
    const single = /^\/3\/vouchers\/([^/]+)\/(\d+)$/.exec(path);
    const found = single
      ? vouchers.find(
          (voucher) =>
            voucher.year === year.id &&
            voucher.series === decodeURIComponent(single[1] ?? '') &&
            voucher.number === Number(single[2]),
        )
      : undefined;
    if (found) return { status: 200, body: { Voucher: voucherJson(found) } };
    return fail(404, 2000729, 'A valid identifier was not provided.');
  };

  const routes = async (request: SandboxRequest): Promise<SandboxReply | null> => {
    const path = request.url.pathname.replace(/\/$/, '');
    if (request.method === 'GET' && path === '/oauth-v1/auth') return oauth.authorize(request);
    const isAuth = path === '/oauth-v1/token';
    // Creating a voucher, an invoice or a customer: what 'post' faults (drop-after-store…) apply to.
    const isPost = request.method === 'POST' && /^\/3\/(vouchers|invoices|customers)$/.test(path);
    if (!isAuth && !path.startsWith('/3/')) return fail(404, 2000729, 'A valid identifier was not provided.');
    const fault = faults.take(isAuth ? 'auth' : isPost ? 'post' : 'other');
    if (fault?.kind === 'delay') await sleep(fault.ms);
    if (fault?.kind === 'drop-before-store') {
      request.drop();
      return null;
    }
    if (fault?.kind === 'status') {
      return statusFaultReply(fault, faultBody(fault.status));
    }
    if (isAuth) return oauth.token(request);
    // Per access token = per client and tenant; this sandbox has one of each. No Retry-After is documented.
    if (!window.allow()) return { status: 429, body: { message: 'Too Many Requests' } };
    if (!oauth.authorized(request)) return fail(401, 2000310, 'Ogiltig inloggning');
    const answer = api(request, path);
    if (isPost && answer.status < 300 && fault?.kind === 'drop-after-store') {
      request.drop();
      return null;
    }
    return answer;
  };

  /** Accounts are per financial year: a change applies to the given years' charts. */
  const changeAccount = (
    charts: Map<number, Account>[],
    number: string,
    change: Parameters<SandboxControl['setAccount']>[1],
  ) => {
    const holding = charts.filter((chart) => chart.has(Number(number)));
    if (holding.length === 0) throw new Error(`Sandbox has no account ${number}`);
    for (const chart of holding) {
      const account = chart.get(Number(number)) as Account;
      if (change.exists === false) chart.delete(account.number);
      if (change.active !== undefined) account.active = change.active;
      // Fortnox's VATCode is informative only (rows carry no VAT), so a "lock" just changes it.
      if (change.lockedVatCode !== undefined) account.vatCode = change.lockedVatCode ?? '';
    }
  };
  const control: Omit<SandboxControl, 'url' | 'close' | 'requestCount' | 'inFlight'> = {
    inject: (scope, fault, times) => faults.add(scope, fault, times),
    vouchers: (): SandboxVoucher[] =>
      vouchers.map((voucher) => ({
        id: `${voucher.series}/${voucher.number}/${voucher.year}`,
        number: `${voucher.series} ${voucher.number}`,
        idempotencyKey: FORTNOX_KEY_MARKER.exec(voucher.comments)?.[1] ?? null,
        date: voucher.date,
        description: voucher.description,
        lines: voucher.rows.map((row) => ({
          account: String(row.account),
          amountOre: row.debitOre - row.creditOre,
          vatCode: null,
        })),
      })),
    setAccount: (number, change) => changeAccount([...accounts.values()], number, change),
    lockPeriodThrough: (date) => {
      lockedThrough = date;
    },
    expireTokens: () => oauth.expireAccess(),
    revokeCredentials: () => oauth.revokeAll(),
    // Fortnox has no duplicate check of its own (spec §7): the connector looks for its key before posting.
    rejectDuplicates: () => undefined,
    invoicing: invoiceBook.control,
  };
  const served = await serveSandbox(options.port ?? 0, routes, control);
  return {
    ...control,
    issueTokens: () => oauth.issueTokens(),
    setSeriesManual: (code, manual) => {
      for (const item of series.values()) {
        const found = item.get(code);
        if (found) found.manual = manual;
      }
    },
    setCostCenterSettings: (number, setting) => {
      for (const chart of accounts.values()) {
        const account = chart.get(Number(number));
        if (account) account.costCenterSettings = setting;
      }
    },
    setAccountInYear: (calendarYear, number, change) => {
      const year = years.find((candidate) => candidate.from.startsWith(`${calendarYear}-`));
      const chart = year ? accounts.get(year.id) : undefined;
      if (!chart) throw new Error(`Sandbox has no financial year ${calendarYear}`);
      changeAccount([chart], number, change);
    },
    setCostCenterActive: (code, active) => {
      const center = costCenters.get(code);
      if (center) center.active = active;
    },
    url: served.url,
    close: served.close,
    requestCount: served.requestCount,
    inFlight: served.inFlight,
  };
}

/** Wording UNCONFIRMED (spec §6.2 lists the case without its text). */
function noYearText(date: string): string {
  return `Det finns inget räkenskapsår för datumet ${date}.`;
}
