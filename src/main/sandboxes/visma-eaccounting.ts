import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { SandboxOAuth } from './oauth';
import {
  FaultQueue,
  serveSandbox,
  statusFaultReply,
  WindowLimit,
  type SandboxControl,
  type SandboxReply,
  type SandboxRequest,
  type SandboxVoucher,
} from './server';

/**
 * Visma eAccounting API v2 as described in specs/visma-eaccounting.md: an IdentityServer with
 * Basic client auth and one-time refresh tokens, PascalCase JSON in paginated envelopes, vouchers
 * with decimal Debit/Credit amounts and VAT codes referenced by GUID, errors as
 * `{ErrorCode, DeveloperErrorMessage, ErrorId}`.
 */
export const VISMA_SANDBOX_DEFAULTS = {
  companyName: 'Demo Butikk AS',
  clientId: 'kassebro-visma-client',
  clientSecret: 'kassebro-visma-secret',
  /** Visma's documented quota: 600 calls per minute, counted per endpoint. */
  rateLimit: { requests: 600, perMs: 60_000 },
  /** IdentityServer's access-token lifetime (`expires_in` 3600). */
  accessTtlMs: 3_600_000,
} as const;

const ACCOUNTS: readonly (readonly [number, string, string | null])[] = [
  [1460, 'Innkjøpte varer for videresalg', null],
  [1500, 'Kundefordringer', null],
  [1515, 'Vipps', null],
  [1530, 'Opptjent, ikke fakturert inntekt', null],
  [1900, 'Kontanter', null],
  [1901, 'Kassedifferanse', null],
  [1920, 'Bankinnskudd', null],
  [2700, 'Utgående merverdiavgift, høy sats', null],
  [2701, 'Utgående merverdiavgift, middels sats', null],
  [2702, 'Utgående merverdiavgift, lav sats', null],
  [2900, 'Forskudd fra kunder', null],
  [3000, 'Salgsinntekt, avgiftspliktig', '3'],
  [3001, 'Salgsinntekt, næringsmidler', '31'],
  [3002, 'Salgsinntekt, lav sats', '33'],
  [3100, 'Salgsinntekt, avgiftsfri', '5'],
  [3905, 'Tips', null],
  [4390, 'Beholdningsendring', null],
  [7740, 'Øreavrunding', null],
];

/** Norwegian SAF-T codes as eAccounting NO lists them; `VatRate` as a fraction (UNCONFIRMED in the spec). */
const VAT_CODES: readonly (readonly [string, string, number, number | null])[] = [
  ['0', 'Ingen mva-behandling', 0, null],
  ['1', 'Inngående mva, høy sats', 0.25, 2710],
  ['3', 'Utgående mva, høy sats', 0.25, 2700],
  ['31', 'Utgående mva, middels sats', 0.15, 2701],
  ['33', 'Utgående mva, lav sats', 0.12, 2702],
  ['5', 'Innenlands omsetning, fritatt for mva', 0, null],
  ['6', 'Omsetning utenfor mva-loven', 0, null],
];

const COST_CENTER_ITEMS: readonly (readonly [string, string])[] = [
  ['100', 'Butikk sentrum'],
  ['200', 'Butikk kjøpesenter'],
];

/** As in a standard eAccounting NO chart: cost centers on result accounts (3000–8999) only. */
const costCenterAllowed = (account: number) => account >= 3000;

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A decimal with at most two places, as øre; null when it has more. */
function toOre(value: number): number | null {
  const ore = Math.round(value * 100);
  return Math.abs(value * 100 - ore) < 1e-6 ? ore : null;
}

const rowSchema = z.object({
  AccountNumber: z.number().int(),
  DebitAmount: z.number().nonnegative().optional(),
  CreditAmount: z.number().nonnegative().optional(),
  TransactionText: z.string().max(60, 'TransactionText may not be longer than 60 characters.').optional(),
  VatCodeId: z.string().regex(GUID, 'VatCodeId must be a GUID.').optional(),
  CostCenterItemId1: z.string().regex(GUID, 'CostCenterItemId1 must be a GUID.').optional(),
});
const voucherSchema = z.object({
  VoucherDate: z.string().regex(DATE, 'VoucherDate must be a date (yyyy-MM-dd).'),
  VoucherText: z
    .string('VoucherText is required.')
    .min(1, 'VoucherText is required.')
    .max(1000, 'VoucherText may not be longer than 1000 characters.'),
  Rows: z.array(rowSchema).min(1, 'Rows is required.'),
  NumberSeries: z.string().optional(),
});

interface StoredRow {
  readonly account: number;
  /** Signed øre: debit positive. */
  readonly ore: number;
  readonly text: string | null;
  readonly vatCodeId: string | null;
  readonly costCenterItemId: string | null;
}

interface StoredVoucher {
  readonly id: string;
  readonly number: number;
  readonly fiscalYearId: string;
  readonly date: string;
  readonly text: string;
  readonly rows: readonly StoredRow[];
  readonly createdUtc: string;
}

/** Visma's error envelope; the codes and texts are the spec's (texts UNCONFIRMED unless listed there). */
const vismaError = (status: number, code: number, message: string): SandboxReply => ({
  status,
  body: { ErrorCode: code, DeveloperErrorMessage: message, ErrorId: randomUUID(), Errors: [] },
});

export interface VismaSandboxOptions {
  readonly port?: number;
  readonly accessTtlMs?: number;
  /** Requests per window per endpoint before 429 / ErrorCode 4010. */
  readonly rateLimit?: { readonly requests: number; readonly perMs: number };
}

export interface VismaSandbox extends SandboxControl {
  issueTokens(): { accessToken: string; refreshToken: string };
  /** Removes a VAT code from the company (as if the accountant deleted it): its id becomes unknown. */
  removeVatCode(code: string): void;
  /** Tokens lack `ea:accounting` from now on (the user connected with read-only rights): writes get 4006. */
  withdrawAccountingScope(): void;
}

export async function startVismaSandbox(options: VismaSandboxOptions = {}): Promise<VismaSandbox> {
  const faults = new FaultQueue();
  const oauth = new SandboxOAuth({
    clientId: VISMA_SANDBOX_DEFAULTS.clientId,
    clientSecret: VISMA_SANDBOX_DEFAULTS.clientSecret,
    accessTtlMs: options.accessTtlMs ?? VISMA_SANDBOX_DEFAULTS.accessTtlMs,
    clientAuth: 'basic',
    // Visma Connect (IdentityServer): scope and prompt besides the standard parameters, and PKCE (S256).
    authorizeParams: ['scope', 'prompt'],
    pkce: true,
    stateOnExchange: false,
  });
  const quota = options.rateLimit ?? VISMA_SANDBOX_DEFAULTS.rateLimit;
  const limits = new Map<string, WindowLimit>();

  // Calendar fiscal years 2020–2030: long backlogs (the SIGKILL test's hundreds of days) stay inside one.
  const fiscalYears = Array.from({ length: 11 }, (_, index) => 2020 + index).map((year) => ({
    Id: randomUUID(),
    StartDate: `${year}-01-01`,
    EndDate: `${year}-12-31`,
    IsLockedForAccounting: false,
    BookkeepingMethod: 0,
  }));
  const vatCodes = new Map(
    VAT_CODES.map(([code, description, rate, account]) => [
      code,
      { Id: randomUUID(), Code: code, Description: description, VatRate: rate, account },
    ]),
  );
  const vatCodeById = (id: string) => [...vatCodes.values()].find((vat) => vat.Id === id);
  const accounts = new Map(
    ACCOUNTS.map(([number, name, vatCode]) => [
      number,
      { name, active: true, vatCodeId: vatCode === null ? null : (vatCodes.get(vatCode)?.Id ?? null) },
    ]),
  );
  const costCenter = {
    Id: randomUUID(),
    Name: 'Avdeling',
    Number: 1,
    IsActive: true,
    Items: COST_CENTER_ITEMS.map(([short, name]) => ({
      Id: randomUUID(),
      ShortName: short,
      Name: name,
      IsActive: true,
    })),
  };
  const vouchers: StoredVoucher[] = [];
  let lockedThrough: string | null = null;
  let rejectDuplicates = false;
  let accountingScope = true;

  const post = (request: SandboxRequest): SandboxReply => {
    const query = request.url.searchParams;
    const parsed = voucherSchema.safeParse(request.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return vismaError(400, 2000, `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
    }
    const body = parsed.data;
    if (query.get('useAutomaticVatCalculation') === 'true') {
      return vismaError(400, 2000, 'The sandbox only books explicit VAT rows (useAutomaticVatCalculation=false).');
    }
    const year = fiscalYears.find((fy) => fy.StartDate <= body.VoucherDate && body.VoucherDate <= fy.EndDate);
    if (!year) return vismaError(400, 3001, `FiscalYearDoesNotExist: no fiscal year for date ${body.VoucherDate}.`);
    if (year.IsLockedForAccounting || (lockedThrough !== null && body.VoucherDate <= lockedThrough)) {
      return vismaError(
        400,
        4026,
        `The voucher date ${body.VoucherDate} is in a locked bookkeeping period. Vouchers can not be created in a locked period.`,
      );
    }
    const rows: StoredRow[] = [];
    for (const [index, row] of body.Rows.entries()) {
      const both = row.DebitAmount !== undefined && row.CreditAmount !== undefined;
      const none = row.DebitAmount === undefined && row.CreditAmount === undefined;
      if (both || none)
        return vismaError(400, 2000, `Rows[${index}]: exactly one of DebitAmount and CreditAmount must be given.`);
      const ore = toOre(row.DebitAmount ?? row.CreditAmount ?? 0);
      if (ore === null) return vismaError(400, 2000, `Rows[${index}]: amounts may have at most 2 decimals.`);
      const account = accounts.get(row.AccountNumber);
      if (!account)
        return vismaError(
          400,
          3002,
          `AccountNotFound: account ${row.AccountNumber} does not exist in the chart of accounts for the fiscal year.`,
        );
      if (!account.active)
        return vismaError(
          400,
          4002,
          `CanNotBeCreatedOrUpdated: account ${row.AccountNumber} ${account.name} is not active.`,
        );
      if (row.VatCodeId !== undefined && !vatCodeById(row.VatCodeId))
        return vismaError(400, 3000, `ResourceNotFound: VatCode with id ${row.VatCodeId} was not found.`);
      if (row.CostCenterItemId1 !== undefined && !costCenter.Items.some((item) => item.Id === row.CostCenterItemId1))
        return vismaError(
          400,
          3000,
          `ResourceNotFound: CostCenterItem with id ${row.CostCenterItemId1} was not found.`,
        );
      if (row.CostCenterItemId1 !== undefined && !costCenterAllowed(row.AccountNumber))
        return vismaError(400, 2000, `Cost center is not allowed on account ${row.AccountNumber}.`);
      rows.push({
        account: row.AccountNumber,
        ore: row.DebitAmount !== undefined ? ore : -ore,
        text: row.TransactionText ?? null,
        // useDefaultVatCodes (default true) puts the account's own code on the row instead.
        vatCodeId: query.get('useDefaultVatCodes') === 'false' ? (row.VatCodeId ?? null) : account.vatCodeId,
        costCenterItemId: row.CostCenterItemId1 ?? null,
      });
    }
    const debit = rows.filter((row) => row.ore > 0).reduce((sum, row) => sum + row.ore, 0);
    const credit = -rows.filter((row) => row.ore < 0).reduce((sum, row) => sum + row.ore, 0);
    if (debit !== credit) {
      return vismaError(
        400,
        2000,
        `The voucher is not balanced: sum of DebitAmount ${(debit / 100).toFixed(2)} does not equal sum of CreditAmount ${(credit / 100).toFixed(2)}.`,
      );
    }
    if (rejectDuplicates && vouchers.some((existing) => existing.text === body.VoucherText)) {
      return vismaError(400, 4000, `Conflict: a voucher with VoucherText "${body.VoucherText}" already exists.`);
    }
    const stored: StoredVoucher = {
      id: randomUUID(),
      number: vouchers.length + 1,
      fiscalYearId: year.Id,
      date: body.VoucherDate,
      text: body.VoucherText,
      rows,
      createdUtc: new Date().toISOString(),
    };
    vouchers.push(stored);
    return { status: 201, body: voucherJson(stored) };
  };

  const voucherJson = (voucher: StoredVoucher) => ({
    Id: voucher.id,
    VoucherDate: voucher.date,
    VoucherText: voucher.text,
    NumberAndNumberSeries: `A${voucher.number}`,
    NumberSeries: 'A',
    FiscalYearId: voucher.fiscalYearId,
    VoucherType: 2,
    CreatedUtc: voucher.createdUtc,
    ModifiedUtc: voucher.createdUtc,
    Rows: voucher.rows.map((row) => ({
      AccountNumber: row.account,
      AccountDescription: accounts.get(row.account)?.name ?? '',
      ...(row.ore > 0 ? { DebitAmount: row.ore / 100 } : { CreditAmount: -row.ore / 100 }),
      TransactionText: row.text,
      VatCodeId: row.vatCodeId,
      CostCenterItemId1: row.costCenterItemId,
    })),
  });

  /** OData paging as eAccounting does it: `$page` from 1, `$pagesize` 50 by default, at most 1000. */
  const page = (request: SandboxRequest, values: readonly unknown[]): SandboxReply => {
    const number = Number(request.url.searchParams.get('$page') ?? 1);
    const size = Number(request.url.searchParams.get('$pagesize') ?? 50);
    if (!Number.isInteger(number) || number < 1 || !Number.isInteger(size) || size < 1 || size > 1000) {
      return vismaError(400, 2000, '$page must be 1 or more and $pagesize between 1 and 1000.');
    }
    return {
      status: 200,
      body: {
        Meta: {
          CurrentPage: number,
          PageSize: size,
          TotalNumberOfPages: Math.max(1, Math.ceil(values.length / size)),
          TotalNumberOfResults: values.length,
          ServerTimeUtc: new Date().toISOString(),
        },
        Data: values.slice((number - 1) * size, number * size),
      },
    };
  };

  const accountsJson = (fiscalYearId: string) =>
    [...accounts].map(([number, account]) => {
      const vat = account.vatCodeId ? vatCodeById(account.vatCodeId) : undefined;
      return {
        Number: String(number),
        Name: account.name,
        FiscalYearId: fiscalYearId,
        VatCodeId: account.vatCodeId,
        VatCodeDescription: vat?.Description ?? null,
        IsActive: account.active,
        IsProjectAllowed: true,
        IsCostCenterAllowed: costCenterAllowed(number),
        IsBlockedForManualBooking: false,
      };
    });

  const api = (request: SandboxRequest, path: string): SandboxReply => {
    if (!oauth.authorized(request)) {
      return vismaError(401, 4005, 'NotAuthorized: the access token is missing, invalid or expired.');
    }
    const get = request.method === 'GET';
    if (get && path === '/v2/companysettings') {
      return {
        status: 200,
        body: {
          Name: VISMA_SANDBOX_DEFAULTS.companyName,
          CorporateIdentityNumber: '999999999',
          CountryCode: 'NO',
          CurrencyCode: 'NOK',
          AccountingLockedTo: lockedThrough,
        },
      };
    }
    if (get && path === '/v2/fiscalyears') return page(request, fiscalYears);
    const accountsOfYear = /^\/v2\/accounts\/([^/]+)$/.exec(path);
    if (get && accountsOfYear) {
      const year = fiscalYears.find((fy) => fy.Id === accountsOfYear[1]);
      if (!year) return vismaError(404, 3001, `FiscalYearDoesNotExist: no fiscal year with id ${accountsOfYear[1]}.`);
      return page(request, accountsJson(year.Id));
    }
    if (get && path === '/v2/vatcodes') {
      return page(
        request,
        [...vatCodes.values()].map(({ account, ...vat }) => ({
          ...vat,
          OssCodeType: 0,
          RelatedAccounts: { AccountNumber1: account, AccountNumber2: null, AccountNumber3: null },
        })),
      );
    }
    if (get && path === '/v2/costcenters') return page(request, [costCenter]);
    if (request.method === 'POST' && path === '/v2/vouchers') {
      if (!accountingScope) {
        return vismaError(403, 4006, 'NoAccessToScopes: the access token lacks the scope ea:accounting required here.');
      }
      return post(request);
    }
    if (get && path === '/v2/vouchers') {
      const filter = voucherDateFilter(request.url.searchParams.get('$filter'));
      if (filter === 'invalid') return vismaError(400, 2000, 'The $filter is not supported by the sandbox.');
      return page(request, vouchers.filter((voucher) => filter(voucher.date)).map(voucherJson));
    }
    const single = /^\/v2\/vouchers\/([^/]+)\/([^/]+)$/.exec(path);
    const found = single && vouchers.find((v) => v.fiscalYearId === single[1] && v.id === single[2]);
    if (get && found) return { status: 200, body: voucherJson(found) };
    return vismaError(404, 3000, `ResourceNotFound: ${request.method} ${path}`);
  };

  const routes = async (request: SandboxRequest): Promise<SandboxReply | null> => {
    const path = request.url.pathname;
    if (request.method === 'GET' && path === '/connect/authorize') return oauth.authorize(request);
    const isAuth = path === '/connect/token';
    const isPost = request.method === 'POST' && path === '/v2/vouchers';
    const fault = faults.take(isAuth ? 'auth' : isPost ? 'post' : 'other');
    if (fault?.kind === 'delay') await sleep(fault.ms);
    if (fault?.kind === 'drop-before-store') {
      request.drop();
      return null;
    }
    if (fault?.kind === 'status') {
      const reply =
        fault.status === 429
          ? quotaExceeded(fault.retryAfterSeconds ?? 55)
          : vismaError(fault.status, 0, 'An unexpected error occurred. Please try again later.');
      return statusFaultReply(fault, reply.body);
    }
    if (isAuth) return oauth.token(request);
    // The quota counts per client and per endpoint (URL path).
    const limit = limits.get(path) ?? new WindowLimit(quota.requests, quota.perMs);
    limits.set(path, limit);
    const taken = limit.take();
    if (!taken.allowed) {
      const seconds = Math.ceil(taken.resetMs / 1000);
      return { ...quotaExceeded(seconds), headers: { 'retry-after': String(seconds) } };
    }
    const answer = api(request, path);
    if (isPost && answer.status === 201 && fault?.kind === 'drop-after-store') {
      request.drop();
      return null;
    }
    return answer;
  };

  const quotaExceeded = (seconds: number) =>
    vismaError(
      429,
      4010,
      `API calls quota exceeded! maximum admitted ${quota.requests} per ${quota.perMs === 60_000 ? 'Minute' : `${quota.perMs} ms`}. Try again in ${seconds} seconds.`,
    );

  const control: Omit<SandboxControl, 'url' | 'close' | 'requestCount' | 'inFlight'> = {
    inject: (scope, fault, times) => faults.add(scope, fault, times),
    vouchers: (): SandboxVoucher[] =>
      vouchers.map((voucher) => ({
        id: voucher.id,
        number: `A${voucher.number}`,
        idempotencyKey: /\[(kb1-[^\]]+)\]/.exec(voucher.text)?.[1] ?? null,
        date: voucher.date,
        description: voucher.text,
        lines: voucher.rows.map((row) => ({
          account: String(row.account),
          amountOre: row.ore,
          vatCode: row.vatCodeId ? (vatCodeById(row.vatCodeId)?.Code ?? null) : null,
        })),
      })),
    setAccount: (number, change) => {
      const key = Number(number);
      const account = accounts.get(key);
      if (!account) throw new Error(`Sandbox has no account ${number}`);
      if (change.exists === false) accounts.delete(key);
      if (change.active !== undefined) account.active = change.active;
      // eAccounting has no VAT lock: an account's VAT code is a default that useDefaultVatCodes=false overrides.
      if (change.lockedVatCode !== undefined)
        account.vatCodeId = change.lockedVatCode === null ? null : (vatCodes.get(change.lockedVatCode)?.Id ?? null);
    },
    lockPeriodThrough: (date) => {
      lockedThrough = date;
    },
    expireTokens: () => oauth.expireAccess(),
    revokeCredentials: () => oauth.revokeAll(),
    rejectDuplicates: (on) => {
      rejectDuplicates = on;
    },
  };
  const served = await serveSandbox(options.port ?? 0, routes, control);
  return {
    ...control,
    issueTokens: () => oauth.issueTokens(),
    removeVatCode: (code) => {
      vatCodes.delete(code);
    },
    withdrawAccountingScope: () => {
      accountingScope = false;
    },
    url: served.url,
    close: served.close,
    requestCount: served.requestCount,
    inFlight: served.inFlight,
  };
}

/**
 * The one `$filter` the connector sends on vouchers: `VoucherDate ge X and VoucherDate lt Y`
 * (dates as in the spec's example, `2024-05-01T00:00:00.00Z`). Anything else is refused.
 */
function voucherDateFilter(filter: string | null): ((date: string) => boolean) | 'invalid' {
  if (filter === null) return () => true;
  const tests: ((date: string) => boolean)[] = [];
  for (const clause of filter.split(/\s+and\s+/i)) {
    const match = /^VoucherDate\s+(ge|gt|le|lt|eq)\s+(\d{4}-\d{2}-\d{2})(T[\d:.]+Z?)?$/.exec(clause.trim());
    if (!match) return 'invalid';
    const [, op, value = ''] = match;
    tests.push((date) =>
      op === 'ge'
        ? date >= value
        : op === 'gt'
          ? date > value
          : op === 'le'
            ? date <= value
            : op === 'lt'
              ? date < value
              : date === value,
    );
  }
  return (date) => tests.every((test) => test(date));
}
