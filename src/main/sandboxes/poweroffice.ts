import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { readChartFile } from '../mapping/chart-file';
import { resourcesDir } from '../paths';
import { powerOfficeInvoiceBook } from './poweroffice-invoices';
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

/** PowerOffice Go API v2 as described in specs/poweroffice-go.md, on 127.0.0.1. */
export interface PowerOfficeSandboxOptions {
  readonly port?: number;
  /** Access token lifetime; the real one is 20 minutes (`expires_in` 1200). */
  readonly tokenTtlMs?: number;
  /** Requests per window before 429; the real default subscription allows 10 per second. */
  readonly rateLimit?: { readonly requests: number; readonly perMs: number };
  /** The client's VAT codes (GET /VatCodes), e.g. one that lists no code 0. */
  readonly vatCodes?: readonly VatCode[];
}

export const POWEROFFICE_SANDBOX_DEFAULTS = {
  applicationKey: 'kassebro-sandbox-application-key',
  clientKey: 'kassebro-sandbox-client-key',
  subscriptionKey: 'kassebro-sandbox-subscription-key',
  clientId: 'b1c2d3e4-0000-4000-8000-000000004711',
  clientName: 'Demo Butikk AS',
} as const;

/** What an integration may be granted in Go; the connector needs these (spec §5–6, OpenAPI auth roles). */
export const POWEROFFICE_PRIVILEGES = [
  'ManualVoucher_Full',
  'GeneralLedgerAccount',
  'CommonServices',
  'Department',
  'AccountTransaction',
] as const;

/** Token errors use the RFC 6749 shape; this text is verbatim from PowerOffice's Authentication API spec. */
export const POWEROFFICE_INVALID_CLIENT =
  'Client integration not found. Please ensure the provided keys are matching the desired environment.';

export interface VatCode {
  Id: number;
  Code: string;
  Name: string;
  Rate: number;
  IsActive: boolean;
  ValidFrom: string;
  ValidTo: string | null;
}

/**
 * Ids differ from codes on purpose (the API takes Ids only), and code 3 also exists as an expired
 * version, so a client that picks the first "3" it sees posts with a code Go no longer accepts.
 */
export const POWEROFFICE_SANDBOX_VAT_CODES: readonly VatCode[] = [
  { Id: 1, Code: '0', Name: 'Ingen mva-behandling', Rate: 0, IsActive: true, ValidFrom: '2013-01-01', ValidTo: null },
  {
    Id: 7,
    Code: '3',
    Name: 'Utgående mva, alminnelig sats (gammel)',
    Rate: 0.25,
    IsActive: false,
    ValidFrom: '2013-01-01',
    ValidTo: '2016-12-31',
  },
  {
    Id: 17,
    Code: '3',
    Name: 'Utgående mva, alminnelig sats',
    Rate: 0.25,
    IsActive: true,
    ValidFrom: '2017-01-01',
    ValidTo: null,
  },
  {
    Id: 18,
    Code: '31',
    Name: 'Utgående mva, middels sats',
    Rate: 0.15,
    IsActive: true,
    ValidFrom: '2013-01-01',
    ValidTo: null,
  },
  {
    Id: 19,
    Code: '33',
    Name: 'Utgående mva, lav sats',
    Rate: 0.12,
    IsActive: true,
    ValidFrom: '2013-01-01',
    ValidTo: null,
  },
  {
    Id: 20,
    Code: '5',
    Name: 'Ingen utgående mva (innenfor mva-loven)',
    Rate: 0,
    IsActive: true,
    ValidFrom: '2013-01-01',
    ValidTo: null,
  },
  {
    Id: 21,
    Code: '6',
    Name: 'Omsetning utenfor mva-loven',
    Rate: 0,
    IsActive: true,
    ValidFrom: '2013-01-01',
    ValidTo: null,
  },
];

const DEPARTMENTS = [
  { Id: 301, Code: '1', Name: 'Butikk sentrum', IsActive: true },
  { Id: 302, Code: '2', Name: 'Butikk kjøpesenter', IsActive: true },
];

interface Account {
  Id: number;
  AccountNo: number;
  Name: string;
  IsActive: boolean;
  VatCodeId: number;
  IsVatCodeLocked: boolean;
  exists: boolean;
}

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const lineSchema = z.object({
  AccountId: z.number().int(),
  PostingDate: date,
  // Required on ManualVoucherLinePostDto (vendor OpenAPI); the OpenAPI also marks it nullable, but
  // what Go does with null is UNCONFIRMED (specs/poweroffice-go.md §5), so the sandbox refuses it.
  VatId: z.number().int(),
  CurrencyAmount: z.number(),
  Description: z.string().nullish(),
  DepartmentId: z.number().int().nullish(),
});
/** ManualVoucherPostDto; ASP.NET reports missing required members as a validation ProblemDetails. */
const voucherSchema = z.object({
  VoucherDate: date,
  CurrencyCode: z.string().length(3),
  Description: z.string().nullish(),
  ExternalImportReference: z.string().nullish(),
  ImportedVoucherNo: z.number().int().nullish(),
  VoucherLines: z.array(lineSchema),
});

interface StoredVoucher {
  Id: string;
  VoucherNo: number;
  VoucherDate: string;
  Description: string | null;
  ExternalImportReference: string | null;
  CreatedDateTimeOffset: string;
  lines: (z.infer<typeof lineSchema> & { Id: number })[];
}

/** RFC 7807 ProblemDetails with the lower-case keys of the spec's examples (ASP.NET's default). */
const problem = (status: number, title: string, detail: string): SandboxReply => ({
  status,
  body: { type: null, title, status, detail, instance: null },
});
const invalidVoucher = (detail: string) => problem(400, 'Voucher validation error(s)', detail);

/** Azure API Management answers these itself, before the request reaches Go (spec §2–3). */
const apim = (status: number, message: string): SandboxReply => ({ status, body: { statusCode: status, message } });
const throttled = (seconds: number): SandboxReply => ({
  status: 429,
  body: { statusCode: '429', message: `Rate limit is exceeded. Try again in ${seconds} seconds.` },
  headers: { 'retry-after': String(seconds) },
});

/** Amounts arrive as JSON numbers with two decimals; the sandbox books them in øre. */
const toOre = (amount: number): number => Math.round(amount * 100);

/** Query values by name regardless of case or the `resourceParameter.` prefix (spec §6, UNCONFIRMED binding). */
function queryValue(url: URL, name: string): string | null {
  const wanted = name.toLowerCase();
  for (const [key, value] of url.searchParams) {
    const bare = key.toLowerCase().replace(/^resourceparameters?\./, '');
    if (bare === wanted) return value;
  }
  return null;
}

/** The `accountNos` filter: "1000-1999, 2500, 3000-" (ranges inclusive, open-ended); null = all. */
export function accountNumberFilter(text: string | null): (accountNo: number) => boolean {
  if (text === null || text.trim() === '') return () => true;
  const ranges = text.split(',').map((part) => {
    const [from = '', to] = part.trim().split('-');
    return { from: Number(from), to: to === undefined ? Number(from) : to === '' ? Infinity : Number(to) };
  });
  return (accountNo) => ranges.some((range) => accountNo >= range.from && accountNo <= range.to);
}

/** One page of a list endpoint: a bare JSON array, or 204 when the page is empty. */
function page(values: readonly unknown[], url: URL): SandboxReply {
  const number = Math.max(1, Number(queryValue(url, 'PageNumber') ?? 1));
  const size = Math.min(20_000, Math.max(1, Number(queryValue(url, 'PageSize') ?? 5000)));
  const slice = values.slice((number - 1) * size, number * size);
  return slice.length === 0 ? { status: 204 } : { status: 200, body: slice };
}

export type PowerOfficeSandbox = SandboxControl & {
  /** Tokens issued so far (proactive renewal shows up here without any 401). */
  tokensIssued(): number;
  /** Withdraws a privilege from the integration, as a Go user can in the integration settings. */
  revokePrivilege(name: string): void;
  /** Go delivers sent invoices in the background: each appears after this many sentState polls. */
  deliverAfterPolls(polls: number): void;
};

export async function startPowerOfficeSandbox(options: PowerOfficeSandboxOptions = {}): Promise<PowerOfficeSandbox> {
  const defaults = POWEROFFICE_SANDBOX_DEFAULTS;
  const tokenTtlMs = options.tokenTtlMs ?? 1_200_000;
  const limit = new WindowLimit(options.rateLimit?.requests ?? 10, options.rateLimit?.perMs ?? 1_000);
  const faults = new FaultQueue();
  const tokens = new Map<string, number>();
  const vouchers: StoredVoucher[] = [];
  const privileges = new Set<string>(POWEROFFICE_PRIVILEGES);
  let clientKey: string = defaults.clientKey;
  let issued = 0;
  let lockedThrough: string | null = null;
  // Go itself always refuses a second voucher with the same ExternalImportReference (spec §5).
  let rejectDuplicates = true;

  const vatCodes = options.vatCodes ?? POWEROFFICE_SANDBOX_VAT_CODES;
  const chart = readChartFile(join(resourcesDir(), 'demo', 'chart-no-standard.json'));
  const currentVatId = (code: string | null): number =>
    vatCodes.find((vat) => vat.Code === (code ?? '0') && vat.ValidTo === null)?.Id ?? 1;
  const accounts: Account[] = chart.accounts.map((account, index) => ({
    Id: 70_000 + index * 7,
    AccountNo: Number(account.number),
    Name: account.name,
    IsActive: account.active,
    VatCodeId: currentVatId(account.lockedVatCode),
    IsVatCodeLocked: account.lockedVatCode !== null,
    exists: true,
  }));
  const vatById = (id: number | null) => vatCodes.find((vat) => vat.Id === id);
  const invoiceBook = powerOfficeInvoiceBook({
    account: ({ id, number }) =>
      accounts.find((account) => account.exists && (account.Id === id || account.AccountNo === number)),
    vat: (id) => vatById(id),
    problem,
    page,
    queryValue,
  });

  const token = (request: SandboxRequest): SandboxReply => {
    const form = z.object({ grant_type: z.string().optional() }).safeParse(request.body);
    if (!form.success || form.data.grant_type !== 'client_credentials') {
      return {
        status: 400,
        body: { error: 'unsupported_grant_type', error_description: 'grant_type must be client_credentials' },
      };
    }
    const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const [appKey, key] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    if (appKey !== defaults.applicationKey || key !== clientKey) {
      return { status: 400, body: { error: 'invalid_client', error_description: POWEROFFICE_INVALID_CLIENT } };
    }
    const accessToken = `test-po-${randomUUID()}`;
    tokens.set(accessToken, Date.now() + tokenTtlMs);
    issued += 1;
    return {
      status: 200,
      body: { access_token: accessToken, token_type: 'bearer', expires_in: Math.max(1, Math.round(tokenTtlMs / 1000)) },
    };
  };

  const voucherDto = (voucher: StoredVoucher) => ({
    Id: voucher.Id,
    VoucherNo: voucher.VoucherNo,
    VoucherDate: voucher.VoucherDate,
    CurrencyCode: 'NOK',
    Description: voucher.Description,
    ExternalImportReference: voucher.ExternalImportReference,
    IsReversed: false,
    CreatedDateTimeOffset: voucher.CreatedDateTimeOffset,
    VoucherLines: voucher.lines,
  });

  /** Validates in the order the spec lists Go's checks; the texts are ours (UNCONFIRMED in the spec). */
  const postVoucher = (body: unknown): SandboxReply => {
    const parsed = voucherSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') ?? '';
      return {
        status: 400,
        body: {
          type: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
          title: 'One or more validation errors occurred.',
          status: 400,
          errors: { [field]: [`The ${field} field is required.`] },
        },
      };
    }
    const voucher = parsed.data;
    if (voucher.VoucherLines.length === 0) return invalidVoucher('The voucher must have at least one voucher line.');
    for (const line of voucher.VoucherLines) {
      if (toOre(line.CurrencyAmount) === 0) {
        return invalidVoucher('The amount of a voucher line must be either positive or negative, not 0.');
      }
      const account = accounts.find((candidate) => candidate.Id === line.AccountId && candidate.exists);
      if (!account)
        return problem(400, 'Object(s) not found', `General ledger account with id = ${line.AccountId} not found.`);
      if (!account.IsActive) {
        return invalidVoucher(`General ledger account ${account.AccountNo} ${account.Name} is not active.`);
      }
      const vat = vatById(line.VatId);
      if (!vat) return problem(400, 'Object(s) not found', `Vat code with id = ${line.VatId} not found.`);
      if (
        !vat.IsActive ||
        vat.ValidFrom > line.PostingDate ||
        (vat.ValidTo !== null && vat.ValidTo < line.PostingDate)
      ) {
        return invalidVoucher(`Vat code ${vat.Code} (id = ${vat.Id}) is not valid on ${line.PostingDate}.`);
      }
      if (account.IsVatCodeLocked && vat.Id !== account.VatCodeId) {
        const locked = vatById(account.VatCodeId);
        return invalidVoucher(
          `General ledger account ${account.AccountNo} ${account.Name} is locked to vat code ${locked?.Code ?? '0'}; vat code ${vat.Code} is not allowed.`,
        );
      }
      if (line.DepartmentId !== null && line.DepartmentId !== undefined) {
        if (!DEPARTMENTS.some((department) => department.Id === line.DepartmentId)) {
          return problem(400, 'Object(s) not found', `Department with id = ${line.DepartmentId} not found.`);
        }
      }
    }
    const total = voucher.VoucherLines.reduce((sum, line) => sum + toOre(line.CurrencyAmount), 0);
    if (total !== 0) {
      return invalidVoucher(
        `The voucher is not balanced: the sum of the voucher lines is ${(total / 100).toFixed(2)}.`,
      );
    }
    const lockedDate = voucher.VoucherLines.map((line) => line.PostingDate).find(
      (posting) => lockedThrough !== null && posting <= lockedThrough,
    );
    if (lockedDate !== undefined) {
      return invalidVoucher(
        `Posting date ${lockedDate} is within a locked period: the accounts are locked up to and including ${lockedThrough ?? ''}.`,
      );
    }
    const reference = voucher.ExternalImportReference ?? null;
    if (rejectDuplicates && reference && vouchers.some((stored) => stored.ExternalImportReference === reference)) {
      return invalidVoucher(`A voucher with ExternalImportReference '${reference}' already exists on this client.`);
    }
    const stored: StoredVoucher = {
      Id: randomUUID(),
      VoucherNo: vouchers.length + 1,
      VoucherDate: voucher.VoucherDate,
      Description: voucher.Description ?? null,
      ExternalImportReference: reference,
      CreatedDateTimeOffset: new Date().toISOString(),
      lines: voucher.VoucherLines.map((line, index) => ({ ...line, Id: 500_000 + vouchers.length * 100 + index })),
    };
    vouchers.push(stored);
    return { status: 201, body: voucherDto(stored) };
  };

  /** One AccountTransactionDto per voucher line, as GET /AccountTransactions returns them. */
  const transactions = (from: string, to: string, accountWanted: (accountNo: number) => boolean) =>
    vouchers.flatMap((voucher) =>
      voucher.lines
        .filter(
          (line) =>
            line.PostingDate >= from &&
            line.PostingDate <= to &&
            accountWanted(accounts.find((account) => account.Id === line.AccountId)?.AccountNo ?? 0),
        )
        .map((line) => {
          const account = accounts.find((candidate) => candidate.Id === line.AccountId);
          const vat = vatById(line.VatId);
          return {
            Id: line.Id,
            AccountId: line.AccountId,
            AccountNo: account?.AccountNo ?? 0,
            Amount: line.CurrencyAmount,
            CurrencyAmount: line.CurrencyAmount,
            CurrencyCode: 'NOK',
            Description: line.Description ?? null,
            DepartmentId: line.DepartmentId ?? null,
            DepartmentCode: DEPARTMENTS.find((department) => department.Id === line.DepartmentId)?.Code ?? null,
            VatId: line.VatId,
            VatCode: vat?.Code ?? null,
            VatRate: vat?.Rate ?? 0,
            PostingDate: line.PostingDate,
            VoucherDate: voucher.VoucherDate,
            VoucherDescription: voucher.Description,
            VoucherId: voucher.Id,
            VoucherNo: voucher.VoucherNo,
            VoucherType: 'ManualVoucher',
            ExternalImportReference: voucher.ExternalImportReference,
            IsReversed: false,
            CreatedDateTimeOffset: voucher.CreatedDateTimeOffset,
            LastChangedDateTimeOffset: voucher.CreatedDateTimeOffset,
          };
        }),
    );

  const api = (request: SandboxRequest, path: string): SandboxReply => {
    const bearer = /^Bearer (.+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const expires = bearer ? tokens.get(bearer) : undefined;
    // The spec documents 401 with an empty body for a missing, invalid or expired token.
    if (expires === undefined || expires <= Date.now()) return { status: 401 };
    const { method, url } = request;
    const needs = (privilege: string): SandboxReply | null => (privileges.has(privilege) ? null : { status: 403 });
    if (method === 'GET' && path === '/v2/clientintegrationinformation') {
      return {
        status: 200,
        body: {
          ClientId: defaults.clientId,
          ClientName: defaults.clientName,
          ValidPrivileges: [...privileges],
          InvalidPrivileges: POWEROFFICE_PRIVILEGES.filter((name) => !privileges.has(name)),
          ActiveClientSubscriptions: ['Accounting'],
        },
      };
    }
    if (method === 'GET' && path === '/v2/generalledgeraccounts') {
      return (
        needs('GeneralLedgerAccount') ??
        page(
          accounts
            .filter((account) => account.exists)
            .map((account) => ({
              Id: account.Id,
              AccountNo: account.AccountNo,
              Name: account.Name,
              IsActive: account.IsActive,
              VatCodeId: account.VatCodeId,
              VatCode: vatById(account.VatCodeId)?.Code ?? null,
              IsVatCodeLocked: account.IsVatCodeLocked,
              IsDepartmentRequired: false,
              IsProjectRequired: false,
              CurrencyCode: 'NOK',
              GeneralLedgerAccountType:
                account.AccountNo < 2000
                  ? 'Asset'
                  : account.AccountNo < 3000
                    ? 'Liability'
                    : account.AccountNo < 4000
                      ? 'Income'
                      : 'Expense',
            })),
          url,
        )
      );
    }
    if (method === 'GET' && path === '/v2/vatcodes') return needs('CommonServices') ?? page(vatCodes, url);
    if (method === 'GET' && path === '/v2/departments') return needs('Department') ?? page(DEPARTMENTS, url);
    if (method === 'POST' && path === '/v2/vouchers/manualjournals') {
      return needs('ManualVoucher_Full') ?? postVoucher(request.body);
    }
    const single = /^\/v2\/vouchers\/manualjournals\/([0-9a-f-]{36})$/.exec(path);
    if (method === 'GET' && single) {
      const found = vouchers.find((voucher) => voucher.Id === single[1]);
      return found
        ? { status: 200, body: voucherDto(found) }
        : problem(404, 'Object(s) not found', `Manual voucher with id = ${single[1]} not found.`);
    }
    if (method === 'GET' && path === '/v2/accounttransactions') {
      const from = queryValue(url, 'fromDate');
      const to = queryValue(url, 'toDate');
      if (!from || !to) return problem(400, 'Invalid query', 'fromDate and toDate are required.');
      return (
        needs('AccountTransaction') ??
        page(transactions(from, to, accountNumberFilter(queryValue(url, 'accountNos'))), url)
      );
    }
    return invoiceBook.route(request, path) ?? problem(404, 'Not found', `No resource at ${method} ${url.pathname}.`);
  };

  const routes = async (request: SandboxRequest): Promise<SandboxReply | null> => {
    // Working clients spell the paths differently ("Demo/OAuth/Token", "oauth/token"): match any case.
    const path = decodeURIComponent(request.url.pathname).toLowerCase();
    const isAuth = path === '/oauth/token';
    // Posting a voucher, a customer or an invoice: what 'post' faults (drop-after-store…) apply to.
    const isPost =
      (request.method === 'POST' && path === '/v2/vouchers/manualjournals') ||
      invoiceBook.isInvoicePost(request.method, path);
    const subscription =
      request.headers['ocp-apim-subscription-key'] ?? queryValue(request.url, 'subscription-key') ?? undefined;
    if (subscription === undefined) {
      return apim(
        401,
        'Access denied due to missing subscription key. Make sure to include subscription key when making requests to an API.',
      );
    }
    if (subscription !== defaults.subscriptionKey) {
      return apim(
        401,
        'Access denied due to invalid subscription key. Make sure to provide a valid key for an active subscription.',
      );
    }
    const quota = limit.take();
    if (!quota.allowed) return throttled(Math.max(1, Math.ceil(quota.resetMs / 1000)));
    // Taken only by requests the gateway let through: a throttled request never reached Go.
    const fault = faults.take(isAuth ? 'auth' : isPost ? 'post' : 'other');
    if (fault?.kind === 'delay') await sleep(fault.ms);
    if (fault?.kind === 'drop-before-store') {
      request.drop();
      return null;
    }
    if (fault?.kind === 'status') {
      const seconds = fault.retryAfterSeconds ?? 1;
      return fault.status === 429
        ? statusFaultReply(fault, throttled(seconds).body)
        : statusFaultReply(
            fault,
            problem(
              fault.status,
              fault.status === 503 ? 'Service Unavailable' : 'Internal Server Error',
              'An unexpected error occurred.',
            ).body,
          );
    }
    if (isAuth) return request.method === 'POST' ? token(request) : problem(405, 'Method Not Allowed', 'Use POST.');
    const answer = api(request, path);
    // Sending a sales order answers 202 Accepted; stored all the same.
    if (isPost && answer.status >= 200 && answer.status < 300 && fault?.kind === 'drop-after-store') {
      request.drop();
      return null;
    }
    return answer;
  };

  const accountNo = (id: number): string => String(accounts.find((account) => account.Id === id)?.AccountNo ?? id);
  const control: Omit<SandboxControl, 'url' | 'close' | 'requestCount' | 'inFlight'> = {
    inject: (scope, fault, times) => faults.add(scope, fault, times),
    vouchers: (): SandboxVoucher[] =>
      vouchers.map((voucher) => ({
        id: voucher.Id,
        number: String(voucher.VoucherNo),
        idempotencyKey: voucher.ExternalImportReference,
        date: voucher.VoucherDate,
        description: voucher.Description ?? '',
        lines: voucher.lines.map((line) => ({
          account: accountNo(line.AccountId),
          amountOre: toOre(line.CurrencyAmount),
          vatCode: vatById(line.VatId)?.Code ?? null,
        })),
      })),
    setAccount: (number, change) => {
      const account = accounts.find((candidate) => candidate.AccountNo === Number(number));
      if (!account) throw new Error(`Sandbox has no account ${number}`);
      if (change.active !== undefined) account.IsActive = change.active;
      if (change.exists !== undefined) account.exists = change.exists;
      if (change.lockedVatCode !== undefined) {
        account.IsVatCodeLocked = change.lockedVatCode !== null;
        account.VatCodeId = currentVatId(change.lockedVatCode);
      }
    },
    lockPeriodThrough: (through) => {
      lockedThrough = through;
    },
    expireTokens: () => tokens.clear(),
    // The customer deactivates the integration in Go: the client key stops working.
    revokeCredentials: () => {
      tokens.clear();
      clientKey = `revoked-${randomUUID()}`;
    },
    rejectDuplicates: (on) => {
      rejectDuplicates = on;
    },
    invoicing: invoiceBook.control,
  };
  const served = await serveSandbox(options.port ?? 0, routes, control);
  return {
    ...control,
    tokensIssued: () => issued,
    revokePrivilege: (name) => privileges.delete(name),
    deliverAfterPolls: invoiceBook.deliverAfterPolls,
    url: served.url,
    close: served.close,
    requestCount: served.requestCount,
    inFlight: served.inFlight,
  };
}
