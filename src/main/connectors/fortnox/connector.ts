import { setTimeout as sleep } from 'node:timers/promises';
import { collectPages } from '../../http/paging';
import { z } from 'zod';
import { abs, formatAmount } from '../../../shared/money';
import { authorizedClient } from '../../http/authorized';
import type { HttpRequest } from '../../http/client';
import { accessTokenStale, refreshAndPersist, type OAuthEndpoints } from '../../http/oauth2';
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
import { fortnoxError } from './errors';
import { fortnoxInvoices } from './invoices';

export const FORTNOX_API_URL = 'https://api.fortnox.se/3';
export const FORTNOX_TOKEN_URL = 'https://apps.fortnox.se/oauth-v1/token';
/**
 * Fortnox allows 25 requests in any 5-second window; clients evenly spaced at exactly that (5/s)
 * still met 429s (spec §3), so we stay at 4/s.
 */
export const FORTNOX_RATE_LIMIT = { requests: 20, perMs: 5_000 };
/**
 * `bookkeeping`: accounts, years, series, vouchers; `companyinformation`: the name; `costcenter`:
 * departments; `customer`, `article`, `invoice`: invoice sales (scope names as third-party
 * integrations request them; UNCONFIRMED on a Fortnox page). Missing one is Fortnox's 2000663.
 */
export const FORTNOX_SCOPES = [
  'bookkeeping',
  'companyinformation',
  'costcenter',
  'customer',
  'article',
  'invoice',
] as const;

export const fortnoxSettingsSchema = z.object({
  baseUrl: z.string().url().default(FORTNOX_API_URL),
  tokenUrl: z.string().url().default(FORTNOX_TOKEN_URL),
  /** The series Z-reports go to; Swedish POS integrations use F "Kassa" (it must allow manual posting). */
  voucherSeries: z
    .string()
    .regex(/^[A-Za-z0-9]{1,10}$/)
    .default('F'),
});

/** The app's client id/secret (entered at setup) and, once connected, the rotating tokens. */
export const fortnoxSecretSchema = z.object({
  clientId: z.string().min(1),
  clientSecret: z.string().min(1),
  accessToken: z.string().min(1).optional(),
  refreshToken: z.string().min(1).optional(),
  accessExpiresAt: z.string().optional(),
});

/**
 * Fortnox's OAuth2 endpoints: authorize and token live side by side under `/oauth-v1`. Fortnox
 * documents `access_type=offline` (a refresh token usable without the user present) and no PKCE.
 */
export function fortnoxOAuth(settings: { tokenUrl: string }): OAuthEndpoints {
  return {
    authorizeUrl: settings.tokenUrl.replace(/\/token$/, '/auth'),
    tokenUrl: settings.tokenUrl,
    scopes: FORTNOX_SCOPES,
    clientAuth: 'basic',
    pkce: false,
    stateOnExchange: false,
    authorizeParams: { access_type: 'offline' },
  };
}

/** Fortnox has no external-id field: the key rides in the voucher's Comments and is matched on read-back. */
export const fortnoxMarker = (key: string) => `Kassebro-ref: ${key}`;
/** Reads the key back out of `Comments` (the sandbox uses it too). */
export const FORTNOX_KEY_MARKER = /Kassebro-ref: (kb1-[\w-]+)/;
/** Fortnox's SIE import cuts texts at 50 characters; the API limit is unpublished, so we keep to 50. */
const TEXT_MAX = 50;
const PAGE_SIZE = 500;
/** How long a refused rotation waits for another process's new refresh token to reach the store. */
const ROTATION_GRACE_MS = 500;

const financialYearSchema = z.object({ Id: z.number(), FromDate: z.string(), ToDate: z.string() });
type FinancialYear = z.infer<typeof financialYearSchema>;
const accountSchema = z.object({ Number: z.number(), Description: z.string(), Active: z.boolean() });
const seriesSchema = z.object({ Code: z.string(), Description: z.string(), Manual: z.boolean().optional() });
const costCenterSchema = z.object({ Code: z.string(), Description: z.string(), Active: z.boolean().optional() });
const voucherRefSchema = z.object({
  VoucherSeries: z.string(),
  VoucherNumber: z.number(),
  Year: z.number(),
  Comments: z.string().nullish(),
});

const asPosted = (voucher: z.infer<typeof voucherRefSchema>): PostedVoucher => ({
  externalId: `${voucher.VoucherSeries}/${voucher.VoucherNumber}/${voucher.Year}`,
  number: `${voucher.VoucherSeries} ${voucher.VoucherNumber}`,
});

/** Fortnox API v3: OAuth2 Bearer (1-hour access token, single-use rotating refresh token); vouchers with explicit VAT rows. */
export function createFortnoxConnector(context: ConnectorContext): Connector {
  const settings = fortnoxSettingsSchema.parse(context.settings);
  const http = connectorHttp(context, 'fortnox', settings.baseUrl, FORTNOX_RATE_LIMIT);
  const tokens = connectorHttp(context, 'fortnox-oauth', settings.tokenUrl, FORTNOX_RATE_LIMIT);

  const readSecret = async () => {
    const secret = fortnoxSecretSchema.safeParse(await context.secrets.get(context.secretRef));
    if (!secret.success) throw new ConnectorError('auth', 'No Fortnox client id/secret is stored for this target.');
    return secret.data;
  };

  // The refresh token works once: the new pair is stored before the new access token is used.
  const rotate = async (): Promise<void> => {
    const spent = (await readSecret()).refreshToken;
    try {
      await refreshAndPersist(tokens, fortnoxOAuth(settings), context.secrets, context.secretRef, fortnoxError);
    } catch (error) {
      // Another process (the daemon beside a `target test`) may have just rotated it: then its new pair
      // is, or is about to be, in the store, and the connection is fine (spec §2.3 warns of this race).
      if (!(error instanceof ConnectorError) || error.code !== 'auth' || spent === undefined) throw error;
      for (const waitMs of [0, ROTATION_GRACE_MS]) {
        await sleep(waitMs);
        if ((await readSecret()).refreshToken !== spent) return;
      }
      throw error;
    }
  };
  const bearer = async (): Promise<string> => {
    let secret = await readSecret();
    // Renew ahead of the hour instead of spending a request on a 401.
    if (!secret.accessToken || accessTokenStale({ ...secret, accessToken: secret.accessToken })) {
      await refreshAuth();
      secret = await readSecret();
    }
    return `Bearer ${secret.accessToken ?? ''}`;
  };
  const { call, refreshAuth } = authorizedClient(http, bearer, rotate);

  /** Every page of a Fortnox list (`MetaInformation.@TotalPages`), items under `key`. */
  const getAll = <T extends z.ZodType>(path: string, key: string, item: T, query: HttpRequest['query'] = {}) =>
    collectPages<z.output<T>>(async (index) => {
      const response = await call({ method: 'GET', path, query: { ...query, limit: PAGE_SIZE, page: index + 1 } });
      if (response.status !== 200) throw fortnoxError(response);
      const meta = z.object({ MetaInformation: z.object({ '@TotalPages': z.number() }) }).parse(response.body);
      const items = z.object({ [key]: z.array(item) }).parse(response.body)[key] as z.output<T>[];
      return { items, more: index + 1 < meta.MetaInformation['@TotalPages'] };
    });

  /**
   * The voucher with this key on this date, in any series (so it is found even if the series setting
   * changed after it was sent). `financialyeardate` picks the year without a year lookup first: one
   * request, which matters at 25 per 5 s. A date in no financial year is Fortnox's error (locked_period).
   */
  const findOnDate = async (key: string, date: string): Promise<PostedVoucher | null> => {
    const listed = await getAll('/vouchers', 'Vouchers', voucherRefSchema, {
      financialyeardate: date,
      fromdate: date,
      todate: date,
    });
    const found = listed.find((voucher) => FORTNOX_KEY_MARKER.exec(voucher.Comments ?? '')?.[1] === key);
    return found ? asPosted(found) : null;
  };

  const toRows = (voucher: Voucher) =>
    voucher.lines
      .filter((line) => line.amount !== 0)
      .map((line) => {
        if (line.impliedVat !== 0) {
          throw new ConnectorError(
            'bad_request',
            'Fortnox takes VAT as explicit rows; this voucher leaves VAT to the target (wrong VAT style).',
          );
        }
        if (!/^\d{4}$/.test(line.account)) {
          throw new ConnectorError(
            'invalid_account',
            `Fortnox accounts are four-digit BAS numbers, not "${line.account}".`,
          );
        }
        // JSON numbers at the edge only: formatAmount gives the exact two-decimal text of the øre.
        const amount = Number(formatAmount(abs(line.amount)));
        return {
          Account: Number(line.account),
          Debit: line.amount > 0 ? amount : 0,
          Credit: line.amount < 0 ? amount : 0,
          TransactionInformation: line.text.slice(0, TEXT_MAX),
          ...(line.department === null ? {} : { CostCenter: line.department }),
        };
      });

  /** "Kunde inte hitta konto" names no account: say which of the voucher's are missing or inactive in that year. */
  const nameAccounts = async (
    error: ConnectorError,
    rows: readonly { Account: number }[],
    date: string,
  ): Promise<ConnectorError> => {
    const chart = await getAll('/accounts', 'Accounts', accountSchema, { financialyeardate: date }).catch(() => null);
    if (!chart) return error;
    const byNumber = new Map(chart.map((account) => [account.Number, account]));
    const used = [...new Set(rows.map((row) => row.Account))];
    const missing = used.filter((number) => !byNumber.has(number));
    const inactive = used.filter((number) => byNumber.get(number)?.Active === false);
    const found = [
      ...(missing.length > 0 ? [`missing ${missing.join(', ')}`] : []),
      ...(inactive.length > 0 ? [`inactive ${inactive.join(', ')}`] : []),
    ];
    if (found.length === 0) return error;
    return new ConnectorError(
      'invalid_account',
      `${error.targetMessage} — in the financial year of ${date}: ${found.join('; ')}`,
      error.detail,
    );
  };

  return {
    kind: 'fortnox',
    refreshAuth,
    invoices: fortnoxInvoices(call, getAll),

    async testConnection(): Promise<ConnectionInfo> {
      const response = await call({ method: 'GET', path: '/companyinformation' });
      if (response.status !== 200) throw fortnoxError(response);
      const body = z.object({ CompanyInformation: z.object({ CompanyName: z.string() }) }).parse(response.body);
      return { company: body.CompanyInformation.CompanyName };
    },

    async fetchChart(): Promise<FetchedChart> {
      const today = new Date().toISOString().slice(0, 10);
      const years = await getAll('/financialyears', 'FinancialYears', financialYearSchema);
      // Accounts and series are per financial year: the current one, else the newest there is.
      const year =
        years.find((candidate) => candidate.FromDate <= today && today <= candidate.ToDate) ??
        years.reduce<FinancialYear | undefined>(
          (newest, candidate) => (!newest || candidate.ToDate > newest.ToDate ? candidate : newest),
          undefined,
        );
      if (!year)
        throw new ConnectorError('locked_period', 'Fortnox has no financial year at all (GET /3/financialyears).');
      const [accounts, series, costCenters] = await Promise.all([
        getAll('/accounts', 'Accounts', accountSchema, { financialyear: year.Id }),
        getAll('/voucherseries', 'VoucherSeriesCollection', seriesSchema, { financialyear: year.Id }),
        getAll('/costcenters', 'CostCenters', costCenterSchema),
      ]);
      return {
        // Fortnox's VATCode on an account is a proposal only: rows carry no VAT, so nothing is locked.
        accounts: accounts.map((account) => ({
          number: String(account.Number),
          name: account.Description,
          active: account.Active,
          lockedVatCode: null,
        })),
        vatCodes: null,
        departments: costCenters
          .filter((center) => center.Active !== false)
          .map((center) => ({ code: center.Code, name: center.Description })),
        // Only series that take manual vouchers can hold a Z-report.
        voucherSeries: series
          .filter((item) => item.Manual !== false)
          .map((item) => ({ code: item.Code, name: item.Description })),
      };
    },

    async postVoucher(voucher, idempotencyKey): Promise<PostedVoucher> {
      const rows = toRows(voucher);
      // Fortnox accepts the same voucher twice without a word (spec §7), so we look first.
      const existing = await findOnDate(idempotencyKey, voucher.date);
      if (existing) {
        throw new ConnectorError(
          'duplicate',
          `Fortnox already holds voucher ${existing.number ?? existing.externalId} of ${voucher.date} with ${fortnoxMarker(idempotencyKey)}.`,
        );
      }
      const response = await call({
        method: 'POST',
        path: '/vouchers',
        // The year follows from TransactionDate.
        json: {
          Voucher: {
            VoucherSeries: settings.voucherSeries,
            TransactionDate: voucher.date,
            Description: voucher.description.slice(0, TEXT_MAX),
            Comments: fortnoxMarker(idempotencyKey),
            VoucherRows: rows,
          },
        },
      });
      // The live create status is UNCONFIRMED (200 or 201): any 2xx is success.
      if (response.status < 200 || response.status >= 300) {
        const error = fortnoxError(response);
        throw error.code === 'invalid_account' ? await nameAccounts(error, rows, voucher.date) : error;
      }
      return asPosted(z.object({ Voucher: voucherRefSchema }).parse(response.body).Voucher);
    },

    async findExisting(idempotencyKey, voucher): Promise<PostedVoucher | null> {
      try {
        return await findOnDate(idempotencyKey, voucher.date);
      } catch (error) {
        // No financial year holds the date: nothing can have been stored there.
        if (error instanceof ConnectorError && error.code === 'locked_period') return null;
        throw error;
      }
    },
  };
}
