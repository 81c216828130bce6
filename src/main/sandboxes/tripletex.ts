import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { readChartFile } from '../mapping/chart-file';
import { resourcesDir } from '../paths';
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
import { tripletexInvoiceBook } from './tripletex-invoices';

/** Tripletex API v2 as described in specs/tripletex.md, on 127.0.0.1. */
export interface TripletexSandboxOptions {
  readonly port?: number;
  readonly consumerToken?: string;
  readonly employeeToken?: string;
  /** Session lifetime; the real one lasts until its expirationDate, tests make it short. */
  readonly sessionTtlMs?: number;
  /** Requests per window before 429 (the real quota is unpublished; 100 per 60 s is the spec's guess). */
  readonly rateLimit?: { readonly requests: number; readonly perMs: number };
}

export const TRIPLETEX_SANDBOX_DEFAULTS = {
  consumerToken: 'test-consumer-kassebro',
  employeeToken: 'test-employee-demo',
  companyId: 4711,
  companyName: 'Demo Butikk AS',
} as const;

interface Account {
  id: number;
  number: number;
  name: string;
  vatTypeId: number;
  vatLocked: boolean;
  isInactive: boolean;
  exists: boolean;
}

/** Ids differ from numbers on purpose, as in live Tripletex (id 32 is code "33"). */
const VAT_TYPES = [
  { id: 6, number: '0', name: 'Ingen avgiftsbehandling', percentage: 0 },
  { id: 3, number: '3', name: 'Utgående avgift, høy sats', percentage: 25 },
  { id: 31, number: '31', name: 'Utgående avgift, middels sats', percentage: 15 },
  { id: 32, number: '33', name: 'Utgående avgift, lav sats', percentage: 12 },
  { id: 5, number: '5', name: 'Ingen utgående avgift (innenfor mva-loven)', percentage: 0 },
  { id: 7, number: '6', name: 'Ingen utgående avgift (utenfor mva-loven)', percentage: 0 },
];

const DEPARTMENTS = [
  { id: 7, departmentNumber: '1', name: 'Butikk sentrum' },
  { id: 8, departmentNumber: '2', name: 'Butikk kjøpesenter' },
];

const postingSchema = z.object({
  row: z.number().int(),
  account: z.object({ id: z.number().int(), name: z.string().nullish() }),
  amountGross: z.number(),
  amountGrossCurrency: z.number().optional(),
  description: z.string().optional(),
  vatType: z.object({ id: z.number().int() }).nullish(),
  department: z.object({ id: z.number().int() }).nullish(),
});
const voucherSchema = z.object({
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  description: z.string(),
  externalVoucherNumber: z.string().optional(),
  postings: z.array(postingSchema),
});

interface StoredVoucher {
  id: number;
  number: number;
  year: number;
  date: string;
  description: string;
  externalVoucherNumber: string | null;
  postings: z.infer<typeof postingSchema>[];
}

function envelope(status: number, code: number, message: string, validation?: { field: string; message: string }[]) {
  return {
    status,
    code,
    message,
    link: 'https://tripletex.no/v2-docs/',
    developerMessage: validation ? 'VALIDATION_ERROR' : null,
    validationMessages: validation ? validation.map((item) => ({ ...item, path: null, rootId: null })) : null,
    requestId: randomUUID(),
  };
}

const validationFailed = (field: string, message: string): SandboxReply => ({
  status: 422,
  body: envelope(422, 18000, 'Validering feilet.', [{ field, message }]),
});

function errorBodyFor(status: number): unknown {
  if (status === 429) return envelope(429, 0, 'Too Many Requests');
  if (status >= 500) return envelope(status, 1000, status === 503 ? 'Service Unavailable' : 'Internal Server Error');
  return envelope(status, 4000, 'Bad Request');
}

/** Amounts arrive as JSON numbers with two decimals; the sandbox books them in øre. */
const toOre = (amount: number): number => Math.round(amount * 100);

export async function startTripletexSandbox(options: TripletexSandboxOptions = {}): Promise<SandboxControl> {
  const consumerToken = options.consumerToken ?? TRIPLETEX_SANDBOX_DEFAULTS.consumerToken;
  let employeeToken = options.employeeToken ?? TRIPLETEX_SANDBOX_DEFAULTS.employeeToken;
  const sessionTtlMs = options.sessionTtlMs ?? 24 * 3600_000;
  const limit = new WindowLimit(options.rateLimit?.requests ?? 100, options.rateLimit?.perMs ?? 60_000);
  const faults = new FaultQueue();
  const sessions = new Map<string, number>();
  const vouchers: StoredVoucher[] = [];
  let lockedThrough: string | null = null;
  let rejectDuplicates = false;
  const invoiceBook = tripletexInvoiceBook(VAT_TYPES, envelope);

  const chart = readChartFile(join(resourcesDir(), 'demo', 'chart-no-standard.json'));
  const vatIdOf = (code: string | null): number => VAT_TYPES.find((vat) => vat.number === (code ?? '0'))?.id ?? 6;
  const accounts: Account[] = chart.accounts.map((account, index) => ({
    id: 50_000 + index * 13,
    number: Number(account.number),
    name: account.name,
    vatTypeId: vatIdOf(account.lockedVatCode),
    vatLocked: account.lockedVatCode !== null,
    isInactive: !account.active,
    exists: true,
  }));

  const authorised = (request: SandboxRequest): boolean => {
    const header = request.headers.authorization ?? '';
    const match = /^Basic (.+)$/.exec(header);
    if (!match?.[1]) return false;
    const [, token] = Buffer.from(match[1], 'base64').toString('utf8').split(':');
    const expires = token ? sessions.get(token) : undefined;
    return expires !== undefined && expires > Date.now();
  };

  const list = (values: unknown[], url: URL): SandboxReply => {
    const from = Number(url.searchParams.get('from') ?? 0);
    const count = Number(url.searchParams.get('count') ?? 1000);
    const page = values.slice(from, from + count);
    return {
      status: 200,
      body: { fullResultSize: values.length, from, count: page.length, versionDigest: null, values: page },
    };
  };

  const voucherJson = (voucher: StoredVoucher) => ({
    id: voucher.id,
    version: 0,
    url: `tripletex.no/v2/ledger/voucher/${voucher.id}`,
    date: voucher.date,
    number: voucher.number,
    year: voucher.year,
    description: voucher.description,
    externalVoucherNumber: voucher.externalVoucherNumber,
    postings: voucher.postings.map((posting) => ({ ...posting, id: voucher.id * 100 + posting.row })),
  });

  const createSession = (url: URL): SandboxReply => {
    const params = url.searchParams;
    if (params.get('consumerToken') !== consumerToken) {
      return { status: 401, body: envelope(401, 3000, 'The consumer token is invalid or does not exist.') };
    }
    if (params.get('employeeToken') !== employeeToken) {
      return { status: 401, body: envelope(401, 3000, 'The employee token is invalid or does not exist.') };
    }
    if (!/^\d{4}-\d{2}-\d{2}$/.test(params.get('expirationDate') ?? '')) {
      return {
        status: 422,
        body: envelope(422, 21000, 'Validering feilet.', [{ field: 'expirationDate', message: 'Kan ikke være null.' }]),
      };
    }
    const token = `test-${randomUUID()}`;
    sessions.set(token, Date.now() + sessionTtlMs);
    return {
      status: 200,
      body: { value: { id: sessions.size, version: 0, expirationDate: params.get('expirationDate'), token } },
    };
  };

  /** Validates like Tripletex does, in the order its messages appear in captures. */
  const postVoucher = (body: unknown): SandboxReply => {
    const parsed = voucherSchema.safeParse(body);
    if (!parsed.success) return { status: 422, body: envelope(422, 22000, 'Request JSON is invalid.') };
    const voucher = parsed.data;
    if (voucher.postings.length === 0) {
      return validationFailed('postings', 'Et bilag kan ikke registreres uten posteringer.');
    }
    for (const [index, posting] of voucher.postings.entries()) {
      if (posting.row < 1) {
        return validationFailed(
          `postings[${index}].row`,
          'Posteringene på rad 0 (guiRow 0) er systemgenererte og kan ikke opprettes eller endres.',
        );
      }
      // Some tenants refuse a posting whose account is given by id alone (tripletex-api2 issue #112);
      // the sandbox is always such a tenant, so a connector that passes here passes there.
      if (!posting.account.name) return validationFailed('postings.account.name', 'Kan ikke være null.');
      const account = accounts.find((candidate) => candidate.id === posting.account.id && candidate.exists);
      if (!account) return validationFailed('postings.account.id', 'Regnskapskontoen finnes ikke.');
      if (account.isInactive) {
        return validationFailed('postings.account.id', `Kontoen ${account.number} ${account.name} er inaktiv.`);
      }
      const vatTypeId = posting.vatType?.id ?? account.vatTypeId;
      if (account.vatLocked && vatTypeId !== account.vatTypeId) {
        const locked = VAT_TYPES.find((vat) => vat.id === account.vatTypeId);
        return validationFailed(
          'postings.vatType.id',
          `Kontoen ${account.number} ${account.name} er låst til mva-kode ${locked?.number ?? '0'}: ${locked?.name ?? ''}.`,
        );
      }
      if (!VAT_TYPES.some((vat) => vat.id === vatTypeId))
        return validationFailed('postings.vatType.id', 'Ugyldig mva-kode.');
    }
    const total = voucher.postings.reduce((sum, posting) => sum + toOre(posting.amountGross), 0);
    if (total !== 0) return validationFailed('postings', `Summen av posteringene for ${voucher.date} er ikke lik 0.`);
    if (lockedThrough !== null && voucher.date <= lockedThrough) {
      return validationFailed('date', `Regnskapet er låst for mva-posteringer på følgende dato: ${voucher.date}.`);
    }
    if (
      rejectDuplicates &&
      voucher.externalVoucherNumber &&
      vouchers.some((stored) => stored.externalVoucherNumber === voucher.externalVoucherNumber)
    ) {
      return {
        status: 409,
        body: envelope(409, 14000, `Validering feilet. Nummeret er allerede i bruk: ${voucher.externalVoucherNumber}.`),
      };
    }
    const year = Number(voucher.date.slice(0, 4));
    const stored: StoredVoucher = {
      id: 900_000 + vouchers.length + 1,
      number: vouchers.filter((existing) => existing.year === year).length + 1,
      year,
      date: voucher.date,
      description: voucher.description,
      externalVoucherNumber: voucher.externalVoucherNumber ?? null,
      postings: voucher.postings,
    };
    vouchers.push(stored);
    return { status: 201, body: { value: voucherJson(stored) } };
  };

  const routes = async (request: SandboxRequest): Promise<SandboxReply | null> => {
    const { method, url } = request;
    const path = decodeURIComponent(url.pathname);
    const isAuth = path === '/v2/token/session/:create';
    // Creating a voucher, an invoice or a customer: what 'post' faults (drop-after-store…) apply to.
    const isPost = method === 'POST' && ['/v2/ledger/voucher', '/v2/invoice', '/v2/customer'].includes(path);
    const fault = faults.take(isAuth ? 'auth' : isPost ? 'post' : 'other');
    if (fault?.kind === 'delay') await sleep(fault.ms);
    if (fault?.kind === 'drop-before-store') {
      request.drop();
      return null;
    }
    const quota = limit.take();
    const rateHeaders = {
      'x-rate-limit-limit': String(limit.requests),
      'x-rate-limit-remaining': String(quota.remaining),
      'x-rate-limit-reset': String(Math.ceil(quota.resetMs / 1000)),
      'x-tlx-request-id': randomUUID(),
    };
    // Bug-compatible with Tripletex issue #103: the 429 itself carries no reset header.
    if (!quota.allowed) return { status: 429, body: envelope(429, 0, 'Too Many Requests') };
    if (fault?.kind === 'status') return statusFaultReply(fault, errorBodyFor(fault.status));
    const answer = await answerRoute(request, path);
    if (isPost && answer.status === 201 && fault?.kind === 'drop-after-store') {
      request.drop();
      return null;
    }
    return { ...answer, headers: { ...rateHeaders, ...answer.headers } };
  };

  const answerRoute = (request: SandboxRequest, path: string): Promise<SandboxReply> | SandboxReply => {
    const { method, url } = request;
    if (method === 'PUT' && path === '/v2/token/session/:create') return createSession(url);
    if (!authorised(request)) return { status: 401, body: envelope(401, 3000, 'Unauthorized') };
    if (method === 'GET' && path === '/v2/token/session/>whoAmI') {
      return { status: 200, body: { value: { employeeId: 1, companyId: TRIPLETEX_SANDBOX_DEFAULTS.companyId } } };
    }
    if (method === 'GET' && path === `/v2/company/${TRIPLETEX_SANDBOX_DEFAULTS.companyId}`) {
      return {
        status: 200,
        body: { value: { id: TRIPLETEX_SANDBOX_DEFAULTS.companyId, name: TRIPLETEX_SANDBOX_DEFAULTS.companyName } },
      };
    }
    if (method === 'GET' && path === '/v2/ledger/account') {
      const numbers = url.searchParams.get('number')?.split(',').map(Number);
      const values = accounts
        .filter((account) => account.exists && (!numbers || numbers.includes(account.number)))
        .map((account) => ({
          id: account.id,
          number: account.number,
          name: account.name,
          vatType: { id: account.vatTypeId },
          vatLocked: account.vatLocked,
          isInactive: account.isInactive,
        }));
      return list(values, url);
    }
    if (method === 'GET' && path === '/v2/ledger/vatType') return list(VAT_TYPES, url);
    if (method === 'GET' && path === '/v2/department') return list(DEPARTMENTS, url);
    if (method === 'POST' && path === '/v2/ledger/voucher') {
      if (url.searchParams.get('sendToLedger') !== 'true') {
        return validationFailed('sendToLedger', 'Kassebro-sandkassen støtter bare sendToLedger=true.');
      }
      return postVoucher(request.body);
    }
    if (method === 'GET' && path === '/v2/ledger/voucher/>externalVoucherNumber') {
      const wanted = url.searchParams.get('externalVoucherNumber');
      return list(vouchers.filter((voucher) => voucher.externalVoucherNumber === wanted).map(voucherJson), url);
    }
    if (method === 'GET' && path === '/v2/ledger/voucher') {
      const from = url.searchParams.get('dateFrom');
      const to = url.searchParams.get('dateTo');
      if (!from || !to) return validationFailed('dateFrom', 'Kan ikke være null.');
      return list(vouchers.filter((voucher) => voucher.date >= from && voucher.date < to).map(voucherJson), url);
    }
    return invoiceBook.route(request, path) ?? { status: 404, body: envelope(404, 6000, 'Object not found') };
  };

  const accountNumberOf = (id: number): string => String(accounts.find((account) => account.id === id)?.number ?? id);
  const vatNumberOf = (id: number | undefined): string | null =>
    id === undefined ? null : (VAT_TYPES.find((vat) => vat.id === id)?.number ?? null);

  const control: Omit<SandboxControl, 'url' | 'close' | 'requestCount' | 'inFlight'> = {
    inject: (scope, fault, times) => faults.add(scope, fault, times),
    vouchers: (): SandboxVoucher[] =>
      vouchers.map((voucher) => ({
        id: String(voucher.id),
        number: `${voucher.year}-${voucher.number}`,
        idempotencyKey: voucher.externalVoucherNumber,
        date: voucher.date,
        description: voucher.description,
        lines: voucher.postings.map((posting) => ({
          account: accountNumberOf(posting.account.id),
          amountOre: toOre(posting.amountGross),
          vatCode: vatNumberOf(posting.vatType?.id),
        })),
      })),
    setAccount: (number, change) => {
      const account = accounts.find((candidate) => candidate.number === Number(number));
      if (!account) throw new Error(`Sandbox has no account ${number}`);
      if (change.active !== undefined) account.isInactive = !change.active;
      if (change.exists !== undefined) account.exists = change.exists;
      if (change.lockedVatCode !== undefined) {
        account.vatLocked = change.lockedVatCode !== null;
        account.vatTypeId = vatIdOf(change.lockedVatCode);
      }
    },
    lockPeriodThrough: (date) => {
      lockedThrough = date;
    },
    expireTokens: () => sessions.clear(),
    revokeCredentials: () => {
      sessions.clear();
      employeeToken = `revoked-${randomUUID()}`;
    },
    rejectDuplicates: (on) => {
      rejectDuplicates = on;
    },
    invoicing: invoiceBook.control,
  };
  const served = await serveSandbox(options.port ?? 0, routes, control);
  return {
    ...control,
    url: served.url,
    close: served.close,
    requestCount: served.requestCount,
    inFlight: served.inFlight,
  };
}
