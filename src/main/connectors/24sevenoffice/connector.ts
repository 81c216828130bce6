import { z } from 'zod';
import { formatAmount, parseAmount } from '../../../shared/money';
import type { Voucher } from '../../vouchers/voucher';
import {
  connectorHttp,
  type ConnectionInfo,
  type Connector,
  type ConnectorContext,
  type FetchedChart,
  type PostedVoucher,
} from '../connector';
import { ConnectorError } from '../errors';
import { identityRefused, isSessionLost, loginRefused, noCurrentIdentity, saveResponseError } from './errors';
import { soapCaller } from './soap-client';
import {
  commentWithKey,
  keyInComment,
  PRODUCTION_ORIGIN,
  sessionCookie,
  soapInt,
  soapList,
  soapText,
  type ServiceName,
} from './services';

/** 7200 requests per hour (FAQ); evenly spaced, that is one every 500 ms. */
export const TFSO_RATE_LIMIT = { requests: 7200, perMs: 3_600_000 };

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

export const tfsoSettingsSchema = z.object({
  /** The API host (the service paths are fixed); a sandbox in tests. */
  baseUrl: z.string().url().default(PRODUCTION_ORIGIN),
  /** The chosen company (identity); empty = the user's default identity. */
  identityId: z.string().regex(GUID).optional(),
  /** Voucher type (TypeNo from GetTypeList) the days are posted with; empty = a "kasse" type, else the first. */
  typeNo: z.coerce.number().int().positive().optional(),
});

export const tfsoSecretSchema = z.object({
  /** Identifies the integration (Kassebro), not the customer. */
  applicationId: z.string().regex(GUID),
  username: z.string().min(1),
  password: z.string().min(1),
  /** The ASP.NET session, reused across runs: repeated logins are throttled (spec §2). */
  sessionId: z.string().optional(),
  /** The identity the stored session was switched to ('' = default). */
  sessionIdentity: z.string().optional(),
});

const accountSchema = z.object({
  AccountNo: soapInt,
  AccountName: soapText.default(''),
  AccountTax: soapInt.default(0),
  TaxNo: soapInt.default(0),
});
const taxCodeSchema = z.object({
  TaxId: soapInt,
  TaxNo: soapText,
  TaxName: soapText.default(''),
  TaxRate: soapText.default('0'),
  /** The code's VAT account (nillable: codes without VAT have none). */
  AccountNo: soapInt.nullable().catch(null),
});
type TaxCode = z.infer<typeof taxCodeSchema>;
const typeSchema = z.object({ TypeId: soapInt, Title: soapText.default(''), EntrySeriesId: soapInt, TypeNo: soapInt });
const identitySchema = z.object({
  Id: soapText,
  Client: z.object({ Id: soapText, Name: soapText.default('') }).optional(),
  IsCurrent: z.boolean().default(false),
  IsDefault: z.boolean().default(false),
  IsDisabled: z.boolean().default(false),
});
const transactionSchema = z.object({ TransactionNo: soapInt, Comment: soapText.optional() });
const saveResponseSchema = z.object({ Type: soapText, Description: soapText.default('') });

type VoucherType = z.infer<typeof typeSchema>;

/** A company the user may post to (24SevenOffice "identity"); the setup lets the user choose one. */
export interface TfsoIdentity {
  readonly id: string;
  readonly company: string;
  readonly current: boolean;
  readonly isDefault: boolean;
}

export interface TfsoConnector extends Connector {
  /** The companies the login gives access to, for the company choice in the setup. */
  identities(): Promise<TfsoIdentity[]>;
}

/**
 * 24SevenOffice SOAP: Login → session cookie (+ SetIdentityById for the chosen company); accounts, tax
 * codes and voucher types from AccountService; each Z-report one voucher via SaveBundleList straight
 * to the ledger, its key in the first entry's Comment where GetTransactions finds it again.
 */
export function create24SevenOfficeConnector(context: ConnectorContext): TfsoConnector {
  const settings = tfsoSettingsSchema.parse(context.settings);
  const call = soapCaller(connectorHttp(context, '24sevenoffice', settings.baseUrl, TFSO_RATE_LIMIT), settings.baseUrl);
  const wantedIdentity = settings.identityId ?? '';
  let renewing: Promise<string> | undefined;
  /**
   * Next TransactionNo per year and series after our own last save: a backlog then costs one
   * request per voucher instead of two (GetEntryId only for the first, or when the guess was taken).
   */
  const nextNumbers = new Map<string, number>();

  const readSecret = async () => {
    const secret = await context.secrets.get(context.secretRef);
    if (!secret) throw new ConnectorError('auth', 'No 24SevenOffice login is stored for this target.');
    return tfsoSecretSchema.parse(secret);
  };

  const login = async (): Promise<string> => {
    const secret = await readSecret();
    const result = await call('authenticate', 'Login', {
      credential: { ApplicationId: secret.applicationId, Password: secret.password, Username: secret.username },
    });
    const sessionId = typeof result['LoginResult'] === 'string' ? result['LoginResult'] : '';
    if (!sessionId) throw loginRefused();
    if (wantedIdentity) {
      const set = await call(
        'authenticate',
        'SetIdentityById',
        { identityId: wantedIdentity },
        { headers: sessionCookie(sessionId) },
      );
      if (set['SetIdentityByIdResult'] !== true) throw identityRefused(wantedIdentity);
    }
    // Stored only once it is on the right company, and before use, so the next run reuses it.
    await context.secrets.set(context.secretRef, { ...secret, sessionId, sessionIdentity: wantedIdentity });
    return sessionId;
  };

  /** Parallel callers that all found the session gone share one Login. */
  const renew = (): Promise<string> => {
    renewing ??= login().finally(() => {
      renewing = undefined;
    });
    return renewing;
  };

  /**
   * The stored session, else a new one. Not checked with HasSession first: a gone session is
   * answered "not authenticated" and renewed by withSession, so a live one costs no extra request.
   */
  const currentSession = async (): Promise<string> => {
    const secret = await readSecret();
    if (!secret.sessionId || (secret.sessionIdentity ?? '') !== wantedIdentity) return renew();
    return secret.sessionId;
  };

  /** Runs with the session cookie; a session that ended early is renewed once and the call repeated. */
  const withSession = async <T>(operation: (headers: Record<string, string>) => Promise<T>): Promise<T> => {
    try {
      return await operation(sessionCookie(await currentSession()));
    } catch (error) {
      if (!isSessionLost(error)) throw error;
    }
    return operation(sessionCookie(await renew()));
  };

  const list = async <T extends z.ZodType>(
    service: ServiceName,
    operation: string,
    args: Record<string, unknown>,
    element: string,
    item: T,
  ): Promise<z.output<T>[]> =>
    withSession(async (headers) => {
      const result = await call(service, operation, args, { headers, idempotent: true });
      const wrapper = z.object({ [element]: soapList(item) }).parse(result[`${operation}Result`] ?? {});
      return wrapper[element] as z.output<T>[];
    });

  // Voucher types and tax codes change rarely: asked once per connector (and again on fetchChart).
  const typeList = cachedUntilFailure(() => list('account', 'GetTypeList', {}, 'TypeData', typeSchema));
  const taxCodeList = cachedUntilFailure(() => list('account', 'GetTaxCodeList', {}, 'TaxCodeElement', taxCodeSchema));

  /**
   * The configured voucher type, else the one named for the till. Never simply the first the client
   * lists: that is often an invoice type, and a Z-report booked as an invoice is wrong in the ledger.
   */
  const voucherType = async (): Promise<VoucherType> => {
    const all = await typeList();
    const chosen =
      settings.typeNo === undefined
        ? all.find((type) => /kasse|dagsoppgj/i.test(type.Title))
        : all.find((type) => type.TypeNo === settings.typeNo);
    if (!chosen) {
      const offered = all.map((type) => `${type.TypeNo} ${type.Title}`).join(', ');
      throw new ConnectorError(
        'bad_request',
        settings.typeNo === undefined
          ? `24SevenOffice has no voucher type for the till (a title with "kasse" or "dagsoppgjør"); choose one in the setup (typeNo): ${offered} (GetTypeList).`
          : `24SevenOffice has no voucher type ${settings.typeNo}; it has ${offered} (GetTypeList).`,
      );
    }
    return chosen;
  };

  const identities = async (): Promise<TfsoIdentity[]> =>
    (await list('authenticate', 'GetIdentities', {}, 'Identity', identitySchema))
      .filter((identity) => !identity.IsDisabled)
      .map((identity) => ({
        id: identity.Id,
        company: identity.Client?.Name ?? identity.Id,
        current: identity.IsCurrent,
        isDefault: identity.IsDefault,
      }));

  const posted = (year: string, transactionNo: number): PostedVoucher => ({
    externalId: `${year}-${transactionNo}`,
    number: String(transactionNo),
  });

  /** The next free TransactionNo in the type's series (GetEntryId); -1 = year or series not set up. */
  const entryNo = async (headers: Record<string, string>, date: string, type: VoucherType): Promise<number> => {
    const result = await call(
      'account',
      'GetEntryId',
      { argEntryId: { Date: `${date}T00:00:00`, SortNo: type.EntrySeriesId, EntryNo: 0 } },
      { headers, idempotent: true },
    );
    const next = z.object({ EntryNo: soapInt }).parse(result['GetEntryIdResult']).EntryNo;
    if (next < 0) {
      throw new ConnectorError(
        'locked_period',
        `GetEntryId returned EntryNo -1 for ${date} (series ${type.EntrySeriesId}): the fiscal year or the voucher series is not set up.`,
      );
    }
    return next;
  };

  const save = async (
    headers: Record<string, string>,
    voucher: Voucher,
    entries: Record<string, unknown>[],
    type: VoucherType,
    transactionNo: number,
  ) => {
    const result = await call(
      'account',
      'SaveBundleList',
      {
        BundleList: {
          Bundles: {
            Bundle: [
              {
                // UNCONFIRMED: the fiscal year is the calendar year of the voucher date.
                YearId: Number(voucher.date.slice(0, 4)),
                Vouchers: {
                  Voucher: [{ TransactionNo: transactionNo, Entries: { Entry: entries }, Sort: type.TypeNo }],
                },
                Sort: type.TypeNo,
                Name: voucher.description,
              },
            ],
          },
          AllowDifference: false,
          DirectLedger: false,
          // 0 = straight to the ledger (1 would leave a journal for review, invisible to GetTransactions).
          SaveOption: 0,
        },
      },
      { headers },
    );
    return saveResponseSchema.parse(result['SaveBundleListResult']);
  };

  const findByKey = async (idempotencyKey: string, voucher: Voucher): Promise<PostedVoucher | null> => {
    const transactions = await list(
      'transaction',
      'GetTransactions',
      { searchParams: { DateStart: `${voucher.date}T00:00:00`, DateEnd: `${voucher.date}T23:59:59` } },
      'Transaction',
      transactionSchema,
    );
    const found = transactions.find((transaction) => keyInComment(transaction.Comment) === idempotencyKey);
    return found ? posted(voucher.date.slice(0, 4), found.TransactionNo) : null;
  };

  return {
    kind: '24sevenoffice',
    identities,

    async refreshAuth(): Promise<void> {
      await renew();
    },

    async testConnection(): Promise<ConnectionInfo> {
      const all = await identities();
      const current =
        all.find((identity) => identity.current) ?? all.find((identity) => identity.id === wantedIdentity);
      if (!current) throw noCurrentIdentity();
      return { company: current.company };
    },

    async fetchChart(): Promise<FetchedChart> {
      typeList.forget();
      taxCodeList.forget();
      const accounts = await list('account', 'GetAccountList', {}, 'AccountData', accountSchema);
      const taxCodes = await taxCodeList();
      const voucherTypes = await typeList();
      return {
        // No active flag in AccountData: the list holds the accounts open for posting (UNCONFIRMED).
        accounts: accounts.map((account) => ({
          number: String(account.AccountNo),
          name: account.AccountName,
          active: true,
          // UNCONFIRMED reading: AccountTax ≠ 0 means the account is locked to its TaxNo.
          lockedVatCode: account.AccountTax === 0 ? null : String(account.TaxNo),
        })),
        vatCodes: taxCodes.map((code) => ({
          code: code.TaxNo,
          description: code.TaxName,
          // A percentage with up to two decimals is, as an integer, exactly basis points.
          rateBp: parseAmount(code.TaxRate),
        })),
        // AccountService has no department list; departments are typed as their DepartmentId.
        departments: [],
        voucherSeries: voucherTypes.map((type) => ({ code: String(type.TypeNo), name: type.Title })),
      };
    },

    async postVoucher(voucher, idempotencyKey): Promise<PostedVoucher> {
      voucher.lines.forEach(checkLine);
      const entries = toEntries(voucher, idempotencyKey, await taxCodeList());
      const type = await voucherType();
      const year = voucher.date.slice(0, 4);
      const series = `${year}:${type.EntrySeriesId}`;
      return withSession(async (headers) => {
        const guessed = nextNumbers.get(series);
        let transactionNo = guessed ?? (await entryNo(headers, voucher.date, type));
        let answer = await save(headers, voucher, entries, type, transactionNo);
        if (answer.Type === 'DuplicateData' && guessed !== undefined) {
          // Someone else took the number we guessed; a voucher of ours it is not, unless the key says so.
          const found = await findByKey(idempotencyKey, voucher);
          if (found) return found;
          transactionNo = await entryNo(headers, voucher.date, type);
          answer = await save(headers, voucher, entries, type, transactionNo);
        }
        if (answer.Type !== 'Ok') {
          nextNumbers.delete(series);
          throw saveResponseError(answer.Type, answer.Description);
        }
        nextNumbers.set(series, transactionNo + 1);
        return posted(year, transactionNo);
      });
    },

    findExisting: findByKey,
  };
}

/** The loaded value, shared by all callers; a failed load is not kept, so the next call retries. */
function cachedUntilFailure<T>(load: () => Promise<T>): (() => Promise<T>) & { forget: () => void } {
  let value: Promise<T> | undefined;
  const get = () => {
    value ??= load().catch((error: unknown) => {
      value = undefined;
      throw error;
    });
    return value;
  };
  return Object.assign(get, { forget: () => (value = undefined) });
}

/** What 24SevenOffice would misread, said per line before anything is sent. */
function checkLine(line: Voucher['lines'][number]): void {
  if (!/^\d+$/.test(line.account)) {
    // 24SevenOffice would read it as AccountNo 0; say which line instead.
    throw new ConnectorError(
      'invalid_account',
      `AccountNo '${line.account}' is not an account number (line "${line.text}").`,
    );
  }
  if (line.department !== null && !/^\d+$/.test(line.department)) {
    throw new ConnectorError(
      'bad_request',
      `DepartmentId '${line.department}' is not a number; 24SevenOffice departments are posted by their id.`,
    );
  }
}

/**
 * Entries in the WSDL's element order; amounts signed (debit +) with the øre as exact decimals.
 * A line with VAT (net amount, TaxNo) is followed by its VAT entry on the code's account (vatAccount).
 */
function toEntries(voucher: Voucher, idempotencyKey: string, taxCodes: readonly TaxCode[]): Record<string, unknown>[] {
  return voucher.lines.flatMap((line, index) => {
    const date = `${voucher.date}T00:00:00`;
    const department = line.department === null ? {} : { DepartmentId: Number(line.department) };
    const entry = {
      AccountNo: Number(line.account),
      Date: date,
      Amount: formatAmount(line.amount),
      ...department,
      // UNCONFIRMED: Entry.TaxNo may mean TaxId (spec §4); the code the user maps is sent as it is.
      ...(line.vatCode === null ? {} : { TaxNo: line.vatCode }),
      Comment: index === 0 ? commentWithKey(line.text, idempotencyKey) : line.text,
    };
    if (line.impliedVat === 0) return [entry];
    return [
      entry,
      {
        AccountNo: vatAccount(line, taxCodes),
        Date: date,
        Amount: formatAmount(line.impliedVat),
        ...department,
        Comment: line.text,
      },
    ];
  });
}

/**
 * Where the VAT of a net line with a TaxNo goes: its own entry on the VAT code's account
 * (GetTaxCodeList AccountNo). Spec §4: with SaveOption 0 the VAT is not computed from the TaxNo ("send explicit VAT
 * entries"), and IgnoreWarnings names vatisnotinbalance / vatismissingfoundation, i.e. VAT entries
 * checked against their coded foundation. UNCONFIRMED alternative: Entry.VatAmount on the coded line.
 */
function vatAccount(line: Voucher['lines'][number], taxCodes: readonly TaxCode[]): number {
  const code = taxCodes.find((candidate) => candidate.TaxNo === line.vatCode);
  if (!code?.AccountNo) {
    throw new ConnectorError(
      'vat_code_not_allowed',
      `24SevenOffice VAT code ${line.vatCode ?? '(none)'} has no VAT account (GetTaxCodeList), but line ` +
        `"${line.text}" carries VAT ${formatAmount(line.impliedVat)}. Pick an output VAT code for this sale in the kontooppsett.`,
    );
  }
  return code.AccountNo;
}
