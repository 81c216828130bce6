import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { ore, vatOnNet } from '../../shared/money';
import {
  FaultQueue,
  serveSandbox,
  statusFaultReply,
  type SandboxControl,
  type SandboxReply,
  type SandboxRequest,
  type SandboxVoucher,
} from './server';
import { fikenInvoiceBook } from './fiken-invoices';
import { SandboxOAuth } from './oauth';

/** Fiken API v2 as described in specs/fiken.md: OAuth with rotating refresh tokens, øre amounts, one-sided lines. */
export const FIKEN_SANDBOX_DEFAULTS = {
  companySlug: 'demo-butikk-as',
  companyName: 'Demo Butikk AS',
  clientId: 'kassebro-test-client',
  clientSecret: 'kassebro-test-secret',
} as const;

/** Fiken prefixes every description it stores (counts towards the 200 characters). */
export const FIKEN_DESCRIPTION_PREFIX = 'Fri postering registrert via API: ';

const ACCOUNTS = [
  ['1460', 'Innkjøpte varer for videresalg'],
  ['1500:10001', 'Kunde Kasseoppgjør'],
  ['1900', 'Kontanter'],
  ['1901', 'Kassedifferanse'],
  ['1920:10001', 'Bank: Driftskonto'],
  ['1920:10002', 'Bank: Vipps'],
  ['2900', 'Forskudd fra kunder'],
  ['3000', 'Salgsinntekt, avgiftspliktig'],
  ['3001', 'Salgsinntekt, næringsmidler'],
  ['3002', 'Salgsinntekt, lav sats'],
  ['3100', 'Salgsinntekt, avgiftsfri'],
  ['3905', 'Tips'],
  ['4390', 'Beholdningsendring'],
  ['7740', 'Øreavrunding'],
] as const;
const SALE_VAT_CODES = [0, 3, 31, 32, 33, 5, 6, 51, 52];
/** Output-VAT rates of Fiken's sale codes (basis points); the others carry no VAT. */
const VAT_RATE_BP: Readonly<Record<number, number>> = { 3: 2500, 31: 1500, 32: 1111, 33: 1200 };

/**
 * A line's gross effect in Fiken's ledger. Fiken's OpenAPI (journalEntryLine.amount): "the net
 * amount (excluding VAT) for debitAccount lines and gross amount (including VAT) for creditAccount
 * lines", because Fiken derives the VAT from debitVatCode/creditVatCode.
 */
function grossOf(line: {
  amount: number;
  debitAccount?: string | undefined;
  debitVatCode?: number | undefined;
}): number {
  if (!line.debitAccount || line.debitVatCode === undefined) return line.amount;
  return line.amount + vatOnNet(ore(line.amount), VAT_RATE_BP[line.debitVatCode] ?? 0);
}

const lineSchema = z
  .object({
    amount: z.number().int().positive(),
    debitAccount: z.string().optional(),
    debitVatCode: z.number().int().optional(),
    creditAccount: z.string().optional(),
    creditVatCode: z.number().int().optional(),
  })
  .strict();
const requestSchema = z
  .object({
    description: z.string().max(200 - FIKEN_DESCRIPTION_PREFIX.length),
    open: z.boolean().optional(),
    journalEntries: z
      .array(
        z
          .object({
            description: z.string().max(200 - FIKEN_DESCRIPTION_PREFIX.length),
            date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
            lines: z.array(lineSchema).min(1),
          })
          .strict(),
      )
      .length(1),
  })
  .strict();

interface Entry {
  journalEntryId: number;
  journalEntryNumber: number;
  date: string;
  description: string;
  lines: z.infer<typeof lineSchema>[];
}

const problem = (status: number, description: string): SandboxReply => ({
  status,
  body: { error: status === 400 ? 'validation_error' : 'error', error_description: description },
});

export interface FikenSandboxOptions {
  readonly port?: number;
  readonly accessTtlMs?: number;
}

export async function startFikenSandbox(
  options: FikenSandboxOptions = {},
): Promise<
  SandboxControl & { issueTokens(): { accessToken: string; refreshToken: string }; issuePersonalToken(): string }
> {
  const accessTtlMs = options.accessTtlMs ?? 86_157_000;
  const faults = new FaultQueue();
  const oauth = new SandboxOAuth({
    clientId: FIKEN_SANDBOX_DEFAULTS.clientId,
    clientSecret: FIKEN_SANDBOX_DEFAULTS.clientSecret,
    accessTtlMs,
    clientAuth: 'basic',
    // Fiken's OpenAPI description: authorize takes response_type, client_id, redirect_uri and state;
    // the code exchange lists state as required; no PKCE is documented.
    authorizeParams: [],
    pkce: false,
    stateOnExchange: true,
  });
  const entries: Entry[] = [];
  const accounts = new Map<string, { name: string; inactive: boolean }>(
    ACCOUNTS.map(([code, name]) => [code, { name, inactive: false }]),
  );
  let lockedThrough: string | null = null;
  let rejectDuplicates = false;
  let busy = false;

  const post = (body: unknown): SandboxReply => {
    const parsed = requestSchema.safeParse(body);
    if (!parsed.success) return problem(400, `Ugyldig forespørsel: ${parsed.error.issues[0]?.message ?? ''}`);
    const [entry] = parsed.data.journalEntries;
    if (!entry) return problem(400, 'journalEntries mangler');
    let debit = 0;
    let credit = 0;
    for (const line of entry.lines) {
      for (const [code, vat] of [
        [line.debitAccount, line.debitVatCode],
        [line.creditAccount, line.creditVatCode],
      ] as const) {
        if (code === undefined) continue;
        const account = accounts.get(code);
        if (!account) return problem(400, `Kontoen ${code} finnes ikke.`);
        if (account.inactive) return problem(400, `Bankkontoen ${code} ${account.name} er inaktiv.`);
        if (vat !== undefined && !SALE_VAT_CODES.includes(vat))
          return problem(400, `Ugyldig mva-kode ${vat} for konto ${code}.`);
      }
      if (line.debitAccount && !line.creditAccount) debit += grossOf(line);
      if (line.creditAccount && !line.debitAccount) credit += line.amount;
    }
    if (debit !== credit) return problem(400, `Debet (${debit}) og kredit (${credit}) er ikke like.`);
    if (lockedThrough !== null && entry.date <= lockedThrough) {
      return problem(
        400,
        `Perioden er låst. Du kan ikke føre bilag med dato ${entry.date} etter årsavslutning eller innsendt mva-melding.`,
      );
    }
    const description = FIKEN_DESCRIPTION_PREFIX + entry.description;
    if (rejectDuplicates && entries.some((existing) => existing.description === description)) {
      return problem(400, `Bilaget finnes allerede: ${entry.description}`);
    }
    const stored: Entry = {
      journalEntryId: 7_000 + entries.length + 1,
      journalEntryNumber: entries.length + 1,
      date: entry.date,
      description,
      lines: entry.lines,
    };
    entries.push(stored);
    return {
      status: 201,
      headers: {
        location: `/api/v2/companies/${FIKEN_SANDBOX_DEFAULTS.companySlug}/journalEntries/${stored.journalEntryId}`,
      },
    };
  };

  const entryJson = (entry: Entry) => ({
    journalEntryId: entry.journalEntryId,
    journalEntryNumber: entry.journalEntryNumber,
    date: entry.date,
    description: entry.description,
    lines: entry.lines.map((line) => ({
      account: line.debitAccount ?? line.creditAccount,
      vatCode: String(line.debitVatCode ?? line.creditVatCode ?? 0),
      amount: line.debitAccount ? grossOf(line) : -line.amount,
    })),
  });

  const company = `/api/v2/companies/${FIKEN_SANDBOX_DEFAULTS.companySlug}`;
  const invoiceBook = fikenInvoiceBook(company, problem);
  const api = (request: SandboxRequest, path: string): SandboxReply => {
    if (!oauth.authorized(request))
      return { status: 401, body: { error: 'unauthorized', error_description: 'Invalid or expired token' } };
    const url = request.url;
    if (request.method === 'GET' && path === company) {
      return {
        status: 200,
        body: {
          name: FIKEN_SANDBOX_DEFAULTS.companyName,
          slug: FIKEN_SANDBOX_DEFAULTS.companySlug,
          hasApiAccess: true,
          vatType: 'bi-monthly',
          testCompany: true,
        },
      };
    }
    const page = (values: unknown[]): SandboxReply => {
      const number = Number(url.searchParams.get('page') ?? 0);
      const size = Math.min(Number(url.searchParams.get('pageSize') ?? 25), 100);
      return {
        status: 200,
        body: values.slice(number * size, number * size + size),
        headers: {
          'fiken-api-page': String(number),
          'fiken-api-page-count': String(Math.ceil(values.length / size)),
          'fiken-api-result-count': String(values.length),
        },
      };
    };
    if (request.method === 'GET' && path === `${company}/accounts`) {
      return page([...accounts].map(([code, account]) => ({ code, name: account.name })));
    }
    if (request.method === 'GET' && path === `${company}/bankAccounts`) {
      return page(
        [...accounts]
          .filter(([code]) => code.startsWith('1920:'))
          .map(([code, account], index) => ({
            bankAccountId: index + 1,
            name: account.name,
            accountCode: code,
            inactive: account.inactive,
            type: 'normal',
          })),
      );
    }
    if (request.method === 'POST' && path === `${company}/generalJournalEntries`) return post(request.body);
    if (request.method === 'GET' && path === `${company}/journalEntries`) {
      const date = url.searchParams.get('date');
      return page(entries.filter((entry) => !date || entry.date === date).map(entryJson));
    }
    const single = new RegExp(`^${company}/journalEntries/(\\d+)$`).exec(path);
    const found = single ? entries.find((entry) => entry.journalEntryId === Number(single[1])) : undefined;
    if (request.method === 'GET' && found) return { status: 200, body: entryJson(found) };
    return invoiceBook.route(request, path) ?? { status: 404, body: { error: 'not_found' } };
  };

  const routes = async (request: SandboxRequest): Promise<SandboxReply | null> => {
    const path = request.url.pathname;
    if (request.method === 'GET' && path === '/oauth/authorize') return oauth.authorize(request);
    const isAuth = path === '/oauth/token';
    // Creating an entry, an invoice, a sale or a contact: what 'post' faults (drop-after-store…) apply to.
    const isPost = request.method === 'POST' && /\/(generalJournalEntries|invoices|sales|contacts)$/.test(path);
    const fault = faults.take(isAuth ? 'auth' : isPost ? 'post' : 'other');
    // Fiken allows one request in flight per token; a second one meanwhile gets 429.
    if (!isAuth && busy) {
      return {
        status: 429,
        body: { error: 'too_many_requests', error_description: 'Only one concurrent request is allowed' },
      };
    }
    busy = !isAuth;
    try {
      if (fault?.kind === 'delay') await sleep(fault.ms);
      if (fault?.kind === 'drop-before-store') {
        request.drop();
        return null;
      }
      if (fault?.kind === 'status') {
        return statusFaultReply(
          fault,
          problem(fault.status, fault.status === 429 ? 'Too many requests' : 'Internal server error').body,
        );
      }
      if (isAuth) return oauth.token(request);
      const answer = api(request, path);
      if (isPost && answer.status === 201 && fault?.kind === 'drop-after-store') {
        request.drop();
        return null;
      }
      return answer;
    } finally {
      if (!isAuth) busy = false;
    }
  };

  const control: Omit<SandboxControl, 'url' | 'close' | 'requestCount' | 'inFlight'> = {
    inject: (scope, fault, times) => faults.add(scope, fault, times),
    vouchers: (): SandboxVoucher[] =>
      entries.map((entry) => ({
        id: String(entry.journalEntryId),
        number: String(entry.journalEntryNumber),
        idempotencyKey: /\[(kb1-[^\]]+)\]/.exec(entry.description)?.[1] ?? null,
        date: entry.date,
        description: entry.description,
        lines: entryJson(entry).lines.map((line) => ({
          account: line.account ?? '',
          amountOre: line.amount,
          vatCode: line.vatCode,
        })),
      })),
    setAccount: (number, change) => {
      const code = [...accounts.keys()].find((candidate) => candidate === number || candidate.split(':')[0] === number);
      if (!code) throw new Error(`Sandbox has no account ${number}`);
      const account = accounts.get(code);
      if (change.exists === false) accounts.delete(code);
      if (account && change.active !== undefined) account.inactive = !change.active;
    },
    lockPeriodThrough: (date) => {
      lockedThrough = date;
    },
    expireTokens: () => oauth.expireAccess(),
    revokeCredentials: () => oauth.revokeAll(),
    rejectDuplicates: (on) => {
      rejectDuplicates = on;
    },
    invoicing: invoiceBook.control,
  };
  const served = await serveSandbox(options.port ?? 0, routes, control);
  return {
    ...control,
    issueTokens: () => oauth.issueTokens(),
    issuePersonalToken: () => oauth.issuePersonalToken(),
    url: served.url,
    close: served.close,
    requestCount: served.requestCount,
    inFlight: served.inFlight,
  };
}
