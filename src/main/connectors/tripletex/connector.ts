import { authorizedClient } from '../../http/authorized';
import { sharedLoad } from '../../http/shared-load';
import { collectPages } from '../../http/paging';
import { z } from 'zod';
import { formatAmount } from '../../../shared/money';
import type { ChartAccount } from '../../domain/chart';
import type { HttpRequest } from '../../http/client';
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
import { tripletexError } from './errors';
import { tripletexInvoices } from './invoices';

export const TRIPLETEX_PRODUCTION_URL = 'https://tripletex.no/v2';
/** Unpublished quota; the spec's guess, kept below so we never meet the 429. */
export const TRIPLETEX_RATE_LIMIT = { requests: 90, perMs: 60_000 };

export const tripletexSettingsSchema = z.object({
  baseUrl: z.string().url().default(TRIPLETEX_PRODUCTION_URL),
  /** 0 = the employee's own company; an accountant's client company otherwise. */
  companyId: z.number().int().min(0).default(0),
});

export const tripletexSecretSchema = z.object({
  consumerToken: z.string().min(1),
  employeeToken: z.string().min(1),
  sessionToken: z.string().optional(),
  /** ISO time after which we create a new session (well before Tripletex's expirationDate). */
  sessionRenewAfter: z.string().optional(),
});

const listOf = <T extends z.ZodType>(item: T) => z.object({ values: z.array(item) });
const accountSchema = z.object({
  id: z.number(),
  number: z.number(),
  name: z.string(),
  vatType: z.object({ id: z.number() }).nullish(),
  vatLocked: z.boolean().optional(),
  isInactive: z.boolean().optional(),
});
const vatTypeSchema = z.object({
  id: z.number(),
  number: z.string(),
  name: z.string(),
  percentage: z.number().nullish(),
});
const departmentSchema = z.object({ id: z.number(), departmentNumber: z.string().nullish(), name: z.string() });
const voucherRefSchema = z.object({ id: z.number(), number: z.number().nullish(), year: z.number().nullish() });

const PAGE = 1000;
const SESSION_DAYS = 2;

/** Tripletex API v2: consumer + employee token → session token; vouchers with gross postings and VAT types. */
export function createTripletexConnector(context: ConnectorContext): Connector {
  const settings = tripletexSettingsSchema.parse(context.settings);
  const http = connectorHttp(context, 'tripletex', settings.baseUrl, TRIPLETEX_RATE_LIMIT);

  const readSecret = async () => {
    const secret = await context.secrets.get(context.secretRef);
    if (!secret) throw new ConnectorError('auth', 'No Tripletex tokens are stored for this target.');
    return tripletexSecretSchema.parse(secret);
  };

  const createSession = async (): Promise<void> => {
    const secret = await readSecret();
    const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000).toISOString().slice(0, 10);
    const response = await http.request({
      method: 'PUT',
      path: '/token/session/:create',
      query: { consumerToken: secret.consumerToken, employeeToken: secret.employeeToken, expirationDate: expires },
    });
    if (response.status !== 200) throw tripletexError(response);
    const token = z.object({ value: z.object({ token: z.string() }) }).parse(response.body).value.token;
    // Persisted before use, so a second process (or a restart) reuses it instead of creating another.
    await context.secrets.set(context.secretRef, {
      ...secret,
      sessionToken: token,
      sessionRenewAfter: new Date(Date.now() + 86_400_000).toISOString(),
    });
  };

  const sessionToken = async (): Promise<string> => {
    let secret = await readSecret();
    if (!secret.sessionToken || !secret.sessionRenewAfter || Date.parse(secret.sessionRenewAfter) <= Date.now()) {
      await refreshAuth();
      secret = await readSecret();
    }
    return secret.sessionToken ?? '';
  };

  /** Calls with the session; a 401 means the session ended early, so renew once and repeat. */
  const { call, refreshAuth } = authorizedClient(
    http,
    async () => `Basic ${Buffer.from(`${settings.companyId}:${await sessionToken()}`).toString('base64')}`,
    createSession,
  );

  const getList = <T extends z.ZodType>(path: string, item: T, query: HttpRequest['query'] = {}) =>
    collectPages<z.output<T>>(async (index) => {
      const response = await call({ method: 'GET', path, query: { ...query, from: index * PAGE, count: PAGE } });
      if (response.status !== 200) throw tripletexError(response);
      const items = listOf(item).parse(response.body).values;
      return { items, more: items.length === PAGE };
    });

  const loadLookups = async (): Promise<Lookups> => {
    const [accounts, vatTypes, departments] = await Promise.all([
      getList('/ledger/account', accountSchema, { fields: 'id,number,name,vatType(id),vatLocked,isInactive' }),
      getList('/ledger/vatType', vatTypeSchema),
      getList('/department', departmentSchema),
    ]);
    return { accounts, vatTypes, departments };
  };

  // Chart, VAT codes and departments: fetched once, shared, forgotten when the target refuses one.
  const lookups = sharedLoad(loadLookups);

  const toPostings = (voucher: Voucher, found: Lookups) =>
    voucher.lines.map((line, index) => {
      const account = found.accounts.find((candidate) => String(candidate.number) === line.account);
      if (!account) {
        throw new ConnectorError('invalid_account', `Tripletex has no account ${line.account} (GET /ledger/account).`);
      }
      const vatType = line.vatCode === null ? undefined : found.vatTypes.find((vat) => vat.number === line.vatCode);
      if (line.vatCode !== null && !vatType) {
        throw new ConnectorError(
          'vat_code_not_allowed',
          `Tripletex has no VAT type ${line.vatCode} (GET /ledger/vatType).`,
        );
      }
      const department =
        line.department === null
          ? undefined
          : found.departments.find((item) => item.departmentNumber === line.department);
      if (line.department !== null && !department) {
        throw new ConnectorError('bad_request', `Tripletex has no department ${line.department} (GET /department).`);
      }
      // JSON numbers at the edge only: formatAmount gives the exact two-decimal text of the øre.
      const amount = Number(formatAmount(line.amount));
      return {
        row: index + 1,
        // The name too: some tenants answer 422 "postings.account.name: Kan ikke være null" without it.
        account: { id: account.id, name: account.name },
        amountGross: amount,
        amountGrossCurrency: amount,
        description: line.text,
        ...(vatType ? { vatType: { id: vatType.id } } : {}),
        ...(department ? { department: { id: department.id } } : {}),
      };
    });

  const asPosted = (value: z.infer<typeof voucherRefSchema>): PostedVoucher => ({
    externalId: String(value.id),
    number: value.number && value.year ? `${value.year}-${value.number}` : null,
  });

  const vatTypeId = async (code: string): Promise<number> => {
    const vatType = (await lookups.get()).vatTypes.find((vat) => vat.number === code);
    if (!vatType)
      throw new ConnectorError('vat_code_not_allowed', `Tripletex has no VAT type ${code} (GET /ledger/vatType).`);
    return vatType.id;
  };

  return {
    kind: 'tripletex',
    refreshAuth,
    invoices: tripletexInvoices(call, vatTypeId),

    async testConnection(): Promise<ConnectionInfo> {
      const who = await call({ method: 'GET', path: '/token/session/>whoAmI' });
      if (who.status !== 200) throw tripletexError(who);
      const companyId = z.object({ value: z.object({ companyId: z.number() }) }).parse(who.body).value.companyId;
      const company = await call({ method: 'GET', path: `/company/${companyId}` });
      if (company.status !== 200) throw tripletexError(company);
      return { company: z.object({ value: z.object({ name: z.string() }) }).parse(company.body).value.name };
    },

    async fetchChart(): Promise<FetchedChart> {
      lookups.forget();
      const found = await lookups.get();
      const vatNumber = (id: number | undefined) => found.vatTypes.find((vat) => vat.id === id)?.number ?? null;
      const accounts: ChartAccount[] = found.accounts.map((account) => ({
        number: String(account.number),
        name: account.name,
        active: !account.isInactive,
        lockedVatCode: account.vatLocked ? vatNumber(account.vatType?.id) : null,
      }));
      return {
        accounts,
        vatCodes: found.vatTypes.map((vat) => ({
          code: vat.number,
          description: vat.name,
          rateBp: vat.percentage === null || vat.percentage === undefined ? null : Math.round(vat.percentage * 100),
        })),
        departments: found.departments.map((item) => ({
          code: item.departmentNumber ?? String(item.id),
          name: item.name,
        })),
        voucherSeries: [],
      };
    },

    async postVoucher(voucher, idempotencyKey): Promise<PostedVoucher> {
      const postings = toPostings(voucher, await lookups.get());
      const response = await call({
        method: 'POST',
        path: '/ledger/voucher',
        query: { sendToLedger: true },
        json: { date: voucher.date, description: voucher.description, externalVoucherNumber: idempotencyKey, postings },
      });
      if (response.status !== 201) {
        const error = tripletexError(response);
        // The chart may have changed under us (account deactivated, VAT lock): look it up afresh next time.
        if (error.code === 'invalid_account' || error.code === 'vat_code_not_allowed') lookups.forget();
        throw error;
      }
      return asPosted(z.object({ value: voucherRefSchema }).parse(response.body).value);
    },

    async findExisting(idempotencyKey): Promise<PostedVoucher | null> {
      const found = await getList('/ledger/voucher/>externalVoucherNumber', voucherRefSchema, {
        externalVoucherNumber: idempotencyKey,
        fields: 'id,number,year',
      });
      return found[0] ? asPosted(found[0]) : null;
    },
  };
}

interface Lookups {
  readonly accounts: readonly z.infer<typeof accountSchema>[];
  readonly vatTypes: readonly z.infer<typeof vatTypeSchema>[];
  readonly departments: readonly z.infer<typeof departmentSchema>[];
}
