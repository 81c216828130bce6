import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { listen, type IServices, type Server } from 'soap';
import { z } from 'zod';
import { parseAmount } from '../../shared/money';
import {
  KEEP_TEXT,
  keyInComment,
  SERVICES,
  soapInt,
  soapList,
  soapText,
  wsdlPath,
  type ServiceName,
} from '../connectors/24sevenoffice/services';
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

/** 24SevenOffice's SOAP services as described in specs/24sevenoffice.md, on 127.0.0.1. */
export interface TfsoSandboxOptions {
  readonly port?: number;
  /** Session lifetime (ASP.NET session); tests make it short. */
  readonly sessionTtlMs?: number;
  /** Requests per window before the quarantine fault (the real limit: 7200 per hour). */
  readonly rateLimit?: { readonly requests: number; readonly perMs: number };
  /** The client's voucher types (GetTypeList), e.g. a client without a till type. */
  readonly voucherTypes?: readonly VoucherType[];
}

interface VoucherType {
  readonly TypeId: number;
  readonly Title: string;
  readonly EntrySeriesId: number;
  readonly TypeNo: number;
}

export const TFSO_SANDBOX_DEFAULTS = {
  applicationId: '2407f0c1-0000-4000-8000-00000000ab24',
  username: 'kasse@demobutikk.no',
  password: 'sandkasse-passord',
  identities: [
    { id: '1d000000-0000-4000-8000-000000000001', clientId: 240_001, name: 'Demo Butikk AS' },
    { id: '1d000000-0000-4000-8000-000000000002', clientId: 240_002, name: 'Demo Butikk Kjøpesenter AS' },
  ],
  /** Voucher type for daily settlements in the sandbox company (TypeNo; its series is EntrySeriesId). */
  typeNo: 9,
} as const;

/**
 * The target's texts. CONFIRMED: the IdentityId, not-authenticated and quarantine texts (FIELD-NOTES, FAQ)
 * and "AccountNo '…' does not exist!". The other Descriptions are UNCONFIRMED stand-ins (spec §6).
 */
export const TFSO_TEXTS = {
  identityInvalid: 'Server was unable to process request. ---> The provided IdentityId is not valid',
  identityBlocked:
    'Provided IdentityId is blocked. Please use GetIdentitiesWithCredential to get a list of available Identities and reauthenticate with a valid IdentityId',
  notAuthenticated: (path: string) =>
    `Server was unable to process request. ---> The request to ${path.replaceAll('/', '\\')} is not authenticated. ---> Authentication failed.`,
  quarantine: (until: Date) =>
    `Limit exceeded by 1. Request is blocked. Quarantine ends at ${until.toISOString().slice(0, 19)}`,
  serverError: 'Server was unable to process request. ---> Object reference not set to an instance of an object.',
  accountMissing: (account: number) => `AccountNo '${account}' does not exist!`,
  taxLocked: (account: number, taxNo: number) => `AccountNo '${account}' is locked to TaxNo '${taxNo}'`,
  taxMissing: (taxNo: string) => `TaxNo '${taxNo}' does not exist`,
  departmentMissing: (department: number) => `DepartmentId '${department}' does not exist`,
  notInBalance: (transactionNo: number, difference: string) =>
    `Voucher ${transactionNo} is not in balance. Difference: ${difference}`,
  periodLocked: (date: string) => `The period of ${date} is locked for posting`,
  transactionNoUsed: (transactionNo: number) => `TransactionNo ${transactionNo} is already in use`,
  alreadySaved: (key: string) => `Data already saved: ${key}`,
  // The warning's name is CONFIRMED (IgnoreWarnings, spec §4); the sentence around it is a stand-in.
  vatNotInBalance: (transactionNo: number, taxNo: string) =>
    `vatisnotinbalance: voucher ${transactionNo} has no VAT entry on the VAT account of TaxNo '${taxNo}'`,
} as const;

/** Standard Norwegian codes; TaxId differs from TaxNo on purpose (which one Entry.TaxNo means is UNCONFIRMED). */
const TAX_CODES = [
  { TaxId: 1, TaxNo: '0', TaxName: 'Ingen mva-behandling', TaxRate: '0', AccountNo: null },
  { TaxId: 4, TaxNo: '3', TaxName: 'Utgående mva, høy sats', TaxRate: '25', AccountNo: 2700 },
  { TaxId: 17, TaxNo: '31', TaxName: 'Utgående mva, middels sats', TaxRate: '15', AccountNo: 2701 },
  { TaxId: 19, TaxNo: '33', TaxName: 'Utgående mva, lav sats', TaxRate: '12', AccountNo: 2702 },
  { TaxId: 6, TaxNo: '5', TaxName: 'Ingen utgående mva (innenfor mva-loven)', TaxRate: '0', AccountNo: null },
  { TaxId: 7, TaxNo: '6', TaxName: 'Ingen utgående mva (utenfor mva-loven)', TaxRate: '0', AccountNo: null },
];

const TYPES: readonly VoucherType[] = [
  { TypeId: 101, Title: 'Inngående faktura', EntrySeriesId: 3, TypeNo: 3 },
  { TypeId: 102, Title: 'Bank', EntrySeriesId: 5, TypeNo: 5 },
  { TypeId: 103, Title: 'Dagsoppgjør kasse', EntrySeriesId: 9, TypeNo: TFSO_SANDBOX_DEFAULTS.typeNo },
];

const DEPARTMENTS = [1, 2];

interface Account {
  readonly accountId: number;
  readonly number: number;
  readonly name: string;
  taxNo: number;
  accountTax: number;
  active: boolean;
  exists: boolean;
}

interface StoredEntry {
  readonly accountNo: number;
  readonly amountOre: number;
  readonly taxNo: string | null;
  readonly departmentId: number | null;
  readonly comment: string;
}

interface StoredVoucher {
  readonly year: number;
  readonly series: number;
  readonly transactionNo: number;
  readonly date: string;
  readonly name: string;
  readonly entries: readonly StoredEntry[];
}

const entrySchema = z.object({
  AccountNo: soapInt.default(0),
  Date: soapText,
  Amount: soapText.default('0'),
  TaxNo: soapText.optional(),
  DepartmentId: soapInt.optional(),
  Comment: soapText.default(''),
});
const bundleListSchema = z.object({
  Bundles: z.object({
    Bundle: soapList(
      z.object({
        YearId: soapInt,
        Name: soapText.default(''),
        Sort: soapInt.default(0),
        Vouchers: z.object({
          Voucher: soapList(
            z.object({
              TransactionNo: soapInt,
              Sort: soapInt,
              Entries: z.object({ Entry: soapList(entrySchema) }),
            }),
          ),
        }),
      }),
    ),
  }),
  AllowDifference: z.union([z.boolean(), z.string().transform((value) => value === 'true')]).default(false),
  SaveOption: soapInt.default(1),
  IgnoreWarnings: z.object({ string: soapList(soapText) }).optional(),
});

/**
 * SaveOption 0 posts no VAT of its own: 24SevenOffice computes VAT from a TaxNo only for journal
 * saves (BundleDirectAccounting false, spec §4), so a ledger voucher must carry its VAT entries and
 * is otherwise refused with the vatisnotinbalance warning (IgnoreWarnings, spec §4). The first
 * VAT-bearing TaxNo with coded lines but nothing on its VAT account (GetTaxCodeList AccountNo), if any.
 * UNCONFIRMED: how close the VAT entries must come to rate × foundation, so any nonzero amount counts.
 */
function taxNoWithoutVat(entries: readonly StoredEntry[]): string | undefined {
  const vatBearing = TAX_CODES.filter((code) => code.AccountNo !== null && code.TaxRate !== '0');
  return vatBearing.find(
    (code) =>
      entries.some((entry) => entry.taxNo === code.TaxNo && entry.amountOre !== 0) &&
      !entries.some((entry) => entry.taxNo === null && entry.accountNo === code.AccountNo && entry.amountOre !== 0),
  )?.TaxNo;
}

type SoapFault = { Fault: { faultcode: string; faultstring: string; detail: string; statusCode: number } };
/** What .NET answers for an exception in a web method: HTTP 500, faultcode soap:Server. */
const fault = (faultstring: string): SoapFault => ({
  Fault: { faultcode: 'soap:Server', faultstring, detail: '', statusCode: 500 },
});

/** An IIS-style page, as a gateway in front of the .asmx answers when the service is down. */
const iisPage = (status: number, title: string): SandboxReply => ({
  status,
  headers: { 'content-type': 'text/html' },
  body: `<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01//EN"><HTML><HEAD><TITLE>${title}</TITLE></HEAD><BODY><h2>${title}</h2><hr><p>HTTP Error ${status}. ${title}.</p></BODY></HTML>`,
});

const soapFaultReply = (status: number, faultstring: string): SandboxReply => ({
  status,
  headers: { 'content-type': 'text/xml; charset=utf-8' },
  body:
    '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body>' +
    `<soap:Fault><faultcode>soap:Server</faultcode><faultstring>${faultstring}</faultstring><detail /></soap:Fault>` +
    '</soap:Body></soap:Envelope>',
});

/** A serverless soap Server for one service: it parses and answers per the shipped WSDL. */
function soapServer(service: ServiceName, services: IServices): Promise<Server> {
  return new Promise((resolve, reject) => {
    listen(null, {
      path: SERVICES[service].path,
      services,
      xml: readFileSync(wsdlPath(service), 'utf8'),
      customDeserializer: KEEP_TEXT,
      callback: (error: unknown, server: Server) => (error ? reject(error as Error) : resolve(server)),
    } as never);
  });
}

export async function startTfsoSandbox(
  options: TfsoSandboxOptions = {},
): Promise<SandboxControl & { readonly logins: () => number }> {
  const sessionTtlMs = options.sessionTtlMs ?? 20 * 60_000;
  const limit = new WindowLimit(options.rateLimit?.requests ?? 7200, options.rateLimit?.perMs ?? 3_600_000);
  const faults = new FaultQueue();
  let password: string = TFSO_SANDBOX_DEFAULTS.password;
  const sessions = new Map<string, { expires: number; identityId: string }>();
  const vouchers: StoredVoucher[] = [];
  let lockedThrough: string | null = null;
  let rejectDuplicates = false;
  let logins = 0;
  const types = options.voucherTypes ?? TYPES;

  const chart = readChartFile(join(resourcesDir(), 'demo', 'chart-no-standard.json'));
  // A 24SevenOffice company has the VAT accounts its tax codes post to (GetTaxCodeList AccountNo).
  const vatAccounts = TAX_CODES.flatMap((code) =>
    code.AccountNo === null
      ? []
      : [{ number: String(code.AccountNo), name: code.TaxName, active: true, lockedVatCode: '0' }],
  );
  const accounts: Account[] = [...chart.accounts, ...vatAccounts].map((account, index) => ({
    accountId: 7_000 + index,
    number: Number(account.number),
    name: account.name,
    // UNCONFIRMED reading of AccountData: TaxNo = the account's VAT code, AccountTax ≠ 0 = locked to it.
    taxNo: Number(account.lockedVatCode ?? 0),
    accountTax: account.lockedVatCode === null ? 0 : 1,
    active: account.active,
    exists: true,
  }));

  const sessionOf = (headers: SandboxRequest['headers']) => {
    const id = /ASP\.NET_SessionId=([^;\s]+)/.exec(headers.cookie ?? '')?.[1];
    const session = id ? sessions.get(id) : undefined;
    return session && session.expires > Date.now() ? session : undefined;
  };
  const defaultIdentity = TFSO_SANDBOX_DEFAULTS.identities[0].id;

  type Headers = SandboxRequest['headers'];
  /** soap calls each operation with (args, callback, soapHeaders, request). */
  type Operation = (
    args: Record<string, unknown>,
    callback: unknown,
    soapHeaders: unknown,
    req: { headers: Headers },
  ) => unknown;
  const authed =
    (path: string, operation: (args: Record<string, unknown>, session: { identityId: string }) => unknown): Operation =>
    (args, _callback, _soapHeaders, req) => {
      const session = sessionOf(req.headers);
      if (!session) throw fault(TFSO_TEXTS.notAuthenticated(path));
      return operation(args, session);
    };

  const authenticate: Record<string, Operation> = {
    Login: (args) => {
      const credential = z
        .object({
          ApplicationId: soapText.optional(),
          IdentityId: soapText.optional(),
          Username: soapText.optional(),
          Password: soapText.optional(),
        })
        .parse(args['credential'] ?? {});
      const valid =
        credential.ApplicationId === TFSO_SANDBOX_DEFAULTS.applicationId &&
        credential.Username === TFSO_SANDBOX_DEFAULTS.username &&
        credential.Password === password;
      // Failed login: an empty LoginResult (spec §2, UNCONFIRMED against a SOAP fault).
      if (!valid) return { LoginResult: '' };
      const identityId = credential.IdentityId ?? defaultIdentity;
      if (!TFSO_SANDBOX_DEFAULTS.identities.some((identity) => identity.id === identityId)) {
        throw fault(TFSO_TEXTS.identityBlocked);
      }
      const sessionId = randomUUID().replaceAll('-', '').slice(0, 24);
      sessions.set(sessionId, { expires: Date.now() + sessionTtlMs, identityId });
      logins += 1;
      return { LoginResult: sessionId };
    },
    HasSession: (_args, _callback, _soapHeaders, req) => ({ HasSessionResult: sessionOf(req.headers) !== undefined }),
    GetIdentities: authed(SERVICES.authenticate.path, (_args, session) => ({
      GetIdentitiesResult: {
        Identity: TFSO_SANDBOX_DEFAULTS.identities.map((identity, index) => ({
          Id: identity.id,
          User: { ContactId: 11, Id: '5e000000-0000-4000-8000-000000000011', Name: 'Kari Kasse', EmployeeId: 1 },
          Client: { Id: identity.clientId, Name: identity.name },
          IsCurrent: identity.id === session.identityId,
          IsDefault: index === 0,
          IsProtected: false,
          Servers: { Server: [{ Id: 1, Type: 1 }] },
          IsDisabled: false,
        })),
      },
    })),
    SetIdentityById: authed(SERVICES.authenticate.path, (args, session) => {
      const wanted = String(args['identityId'] ?? '');
      if (!TFSO_SANDBOX_DEFAULTS.identities.some((identity) => identity.id === wanted)) {
        throw fault(TFSO_TEXTS.identityInvalid);
      }
      session.identityId = wanted;
      return { SetIdentityByIdResult: true };
    }),
  };

  const nextEntryNo = (year: number, series: number): number =>
    Math.max(
      10_000,
      ...vouchers.filter((voucher) => voucher.year === year && voucher.series === series).map((v) => v.transactionNo),
    ) + 1;

  /** Validates like SaveBundleList: answers in-band (HTTP 200, SaveResponse.Type ≠ Ok) as the spec says. */
  const saveBundleList = (args: Record<string, unknown>, req: { headers: Headers }) => {
    const answer = (Type: string, Description = '') => ({ SaveBundleListResult: { Type, Description } });
    if (!sessionOf(req.headers)) return answer('NotAuthenticated', 'Not authenticated');
    const list = bundleListSchema.safeParse(args['BundleList']);
    if (!list.success) return answer('Exception', `Invalid BundleList: ${list.error.issues[0]?.message ?? ''}`);
    if (list.data.SaveOption !== 0) return answer('NotSaved', 'The Kassebro sandbox keeps only SaveOption 0 (ledger)');
    const toStore: StoredVoucher[] = [];
    for (const bundle of list.data.Bundles.Bundle) {
      for (const voucher of bundle.Vouchers.Voucher) {
        const type = types.find((candidate) => candidate.TypeNo === voucher.Sort);
        const series = type?.EntrySeriesId ?? voucher.Sort;
        if (
          vouchers.some(
            (v) => v.year === bundle.YearId && v.series === series && v.transactionNo === voucher.TransactionNo,
          )
        ) {
          return answer('DuplicateData', TFSO_TEXTS.transactionNoUsed(voucher.TransactionNo));
        }
        const entries: StoredEntry[] = [];
        for (const entry of voucher.Entries.Entry) {
          const account = accounts.find((candidate) => candidate.number === entry.AccountNo);
          // Inactive accounts are not offered to postings (UNCONFIRMED: treated like a missing one).
          if (!account?.exists || !account.active)
            return answer('Exception', TFSO_TEXTS.accountMissing(entry.AccountNo));
          const taxNo = entry.TaxNo ?? null;
          if (taxNo !== null && !TAX_CODES.some((code) => code.TaxNo === taxNo)) {
            return answer('NotSaved', TFSO_TEXTS.taxMissing(taxNo));
          }
          if (account.accountTax !== 0 && (taxNo ?? '0') !== String(account.taxNo)) {
            return answer('NotSaved', TFSO_TEXTS.taxLocked(account.number, account.taxNo));
          }
          if (entry.DepartmentId !== undefined && !DEPARTMENTS.includes(entry.DepartmentId)) {
            return answer('NotSaved', TFSO_TEXTS.departmentMissing(entry.DepartmentId));
          }
          entries.push({
            accountNo: account.number,
            amountOre: parseAmount(entry.Amount.replace(/(\.\d\d)0+$/, '$1')),
            taxNo,
            departmentId: entry.DepartmentId ?? null,
            comment: entry.Comment,
          });
        }
        const difference = entries.reduce((sum, entry) => sum + entry.amountOre, 0);
        if (difference !== 0 && !list.data.AllowDifference) {
          return answer('NotSaved', TFSO_TEXTS.notInBalance(voucher.TransactionNo, (difference / 100).toFixed(2)));
        }
        const ignored = list.data.IgnoreWarnings?.string ?? [];
        const vatMissing = ignored.includes('vatisnotinbalance') ? undefined : taxNoWithoutVat(entries);
        if (vatMissing !== undefined) {
          return answer('NotSaved', TFSO_TEXTS.vatNotInBalance(voucher.TransactionNo, vatMissing));
        }
        const date = voucher.Entries.Entry[0]?.Date.slice(0, 10) ?? '';
        if (lockedThrough !== null && date <= lockedThrough) return answer('NotSaved', TFSO_TEXTS.periodLocked(date));
        const key = keyInComment(entries[0]?.comment);
        if (rejectDuplicates && key && vouchers.some((stored) => keyInComment(stored.entries[0]?.comment) === key)) {
          return answer('DataAlreadySaved', TFSO_TEXTS.alreadySaved(key));
        }
        toStore.push({
          year: bundle.YearId,
          series,
          transactionNo: voucher.TransactionNo,
          date,
          name: bundle.Name,
          entries,
        });
      }
    }
    vouchers.push(...toStore);
    return answer('Ok');
  };

  const account: Record<string, Operation> = {
    GetAccountList: authed(SERVICES.account.path, () => ({
      // The list has no active flag: inactive accounts are left out (UNCONFIRMED).
      GetAccountListResult: {
        AccountData: accounts
          .filter((item) => item.exists && item.active)
          .map((item) => ({
            AccountId: item.accountId,
            AccountNo: item.number,
            AccountName: item.name,
            AccountTax: item.accountTax,
            TaxNo: item.taxNo,
          })),
      },
    })),
    GetTaxCodeList: authed(SERVICES.account.path, () => ({ GetTaxCodeListResult: { TaxCodeElement: TAX_CODES } })),
    GetTypeList: authed(SERVICES.account.path, () => ({ GetTypeListResult: { TypeData: types } })),
    GetEntryId: authed(SERVICES.account.path, (args) => {
      const wanted = z.object({ Date: soapText, SortNo: soapInt }).parse(args['argEntryId']);
      const known = types.some((type) => type.EntrySeriesId === wanted.SortNo);
      const year = Number(wanted.Date.slice(0, 4));
      return {
        GetEntryIdResult: {
          Date: wanted.Date,
          SortNo: wanted.SortNo,
          EntryNo: known ? nextEntryNo(year, wanted.SortNo) : -1,
        },
      };
    }),
    SaveBundleList: (args, _callback, _soapHeaders, req) => saveBundleList(args, req),
  };

  const transaction: Record<string, Operation> = {
    GetTransactions: authed(SERVICES.transaction.path, (args) => {
      const search = z.object({ DateStart: soapText, DateEnd: soapText }).parse(args['searchParams']);
      const from = search.DateStart.slice(0, 10);
      const to = search.DateEnd.slice(0, 10);
      return {
        GetTransactionsResult: {
          Transaction: vouchers
            .filter((voucher) => voucher.date >= from && voucher.date <= to)
            .flatMap((voucher) =>
              voucher.entries.map((entry, index) => ({
                Date: `${voucher.date}T00:00:00`,
                AccountNo: entry.accountNo,
                Currency: 'NOK',
                Amount: (entry.amountOre / 100).toFixed(2),
                StampNo: 0,
                Period: Number(voucher.date.slice(5, 7)),
                TransactionTypeId: voucher.series,
                Comment: entry.comment,
                TransactionNo: voucher.transactionNo,
                VatCode: entry.taxNo ?? '',
                Id: `${voucher.year}-${voucher.transactionNo}-${index + 1}`,
                SequenceNo: index + 1,
              })),
            ),
        },
      };
    }),
  };

  const servers: Record<ServiceName, Server> = {
    authenticate: await soapServer('authenticate', { Authenticate: { AuthenticateSoap: authenticate } } as IServices),
    account: await soapServer('account', { AccountService: { AccountServiceSoap: account } } as IServices),
    transaction: await soapServer('transaction', {
      TransactionService: { TransactionServiceSoap: transaction },
    } as IServices),
  };

  const serviceAt = (path: string): ServiceName | undefined =>
    (Object.keys(SERVICES) as ServiceName[]).find(
      (name) => SERVICES[name].path.toLowerCase() === path.replace(/\/$/, '').toLowerCase(),
    );

  const routes = async (request: SandboxRequest): Promise<SandboxReply | null> => {
    const service = serviceAt(request.url.pathname);
    if (!service) return iisPage(404, 'Not Found');
    if (request.method === 'GET' && request.url.search.toLowerCase() === '?wsdl') {
      return {
        status: 200,
        headers: { 'content-type': 'text/xml; charset=utf-8' },
        body: readFileSync(wsdlPath(service), 'utf8'),
      };
    }
    const action = String(request.headers['soapaction'] ?? '').replaceAll('"', '');
    const isPost = action.endsWith('/SaveBundleList');
    const found = faults.take(action.endsWith('/Login') ? 'auth' : isPost ? 'post' : 'other');
    if (found?.kind === 'delay') await sleep(found.ms);
    if (found?.kind === 'drop-before-store') {
      request.drop();
      return null;
    }
    if (found?.kind === 'status') {
      // .NET answers its own errors as a fault; a gateway (429, 503) with a page and maybe Retry-After.
      const reply =
        found.status === 500
          ? soapFaultReply(500, TFSO_TEXTS.serverError)
          : iisPage(found.status, found.status === 429 ? 'Too Many Requests' : 'Service Unavailable');
      return { ...reply, headers: { ...reply.headers, ...statusFaultReply(found, reply.body).headers } };
    }
    const quota = limit.take();
    if (!quota.allowed) return soapFaultReply(500, TFSO_TEXTS.quarantine(new Date(Date.now() + quota.resetMs)));
    const answer = await servers[service].processRequest(typeof request.body === 'string' ? request.body : '', {
      headers: request.headers,
      url: request.url.pathname,
    } as never);
    if (isPost && found?.kind === 'drop-after-store') {
      request.drop();
      return null;
    }
    return { status: answer.statusCode, headers: { 'content-type': 'text/xml; charset=utf-8' }, body: answer.body };
  };

  const control: Omit<SandboxControl, 'url' | 'close' | 'requestCount' | 'inFlight'> = {
    inject: (scope, injected, times) => faults.add(scope, injected, times),
    vouchers: (): SandboxVoucher[] =>
      vouchers.map((voucher) => ({
        id: `${voucher.year}-${voucher.transactionNo}`,
        number: String(voucher.transactionNo),
        idempotencyKey: keyInComment(voucher.entries[0]?.comment),
        date: voucher.date,
        description: voucher.name,
        lines: voucher.entries.map((entry) => ({
          account: String(entry.accountNo),
          amountOre: entry.amountOre,
          // A VAT entry reads back with the code whose VAT it is (GetTransactions' VatCode; UNCONFIRMED).
          vatCode: entry.taxNo ?? TAX_CODES.find((code) => code.AccountNo === entry.accountNo)?.TaxNo ?? null,
        })),
      })),
    setAccount: (number, change) => {
      const found = accounts.find((candidate) => candidate.number === Number(number));
      if (!found) throw new Error(`Sandbox has no account ${number}`);
      if (change.active !== undefined) found.active = change.active;
      if (change.exists !== undefined) found.exists = change.exists;
      if (change.lockedVatCode !== undefined) {
        found.accountTax = change.lockedVatCode === null ? 0 : 1;
        found.taxNo = Number(change.lockedVatCode ?? 0);
      }
    },
    lockPeriodThrough: (date) => {
      lockedThrough = date;
    },
    expireTokens: () => sessions.clear(),
    revokeCredentials: () => {
      sessions.clear();
      password = `revoked-${randomUUID()}`;
    },
    rejectDuplicates: (on) => {
      rejectDuplicates = on;
    },
  };
  const served = await serveSandbox(options.port ?? 0, routes, control);
  return {
    ...control,
    url: served.url,
    close: served.close,
    requestCount: served.requestCount,
    inFlight: served.inFlight,
    /** Logins so far: a connector should reuse its session, not log in per call (24SevenOffice throttles). */
    logins: () => logins,
  };
}
