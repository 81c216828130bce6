import { authorizedClient } from '../../http/authorized';
import { collectPages } from '../../http/paging';
import { z } from 'zod';
import type { HttpRequest } from '../../http/client';
import { refreshAndPersist, type OAuthEndpoints } from '../../http/oauth2';
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
import { fikenError } from './errors';
import { fikenInvoices } from './invoices';

/** Fiken allows one request in flight and throttles above 4 per second. */
export const FIKEN_RATE_LIMIT = { requests: 3, perMs: 1_000 };

export const fikenSettingsSchema = z.object({
  /** `token`: the shop's personal API token; `oauth`: the app's client, tokens from `connect`. */
  authMode: z.enum(['token', 'oauth']).default('token'),
  baseUrl: z.string().url().default('https://api.fiken.no/api/v2'),
  tokenUrl: z.string().url().default('https://fiken.no/oauth/token'),
  /** The company chosen in setup. */
  companySlug: z.string().min(1),
});

/** OAuth tokens (refresh token rotates) or a personal API token alone. */
export const fikenSecretSchema = z.object({
  accessToken: z.string().min(1),
  refreshToken: z.string().optional(),
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
});

/**
 * Fiken's OAuth2 endpoints (the authorize page is on fiken.no; a sandbox serves its own). Fiken's
 * OpenAPI description lists `state` as required on the code exchange and documents no PKCE.
 */
export function fikenOAuth(settings: { tokenUrl: string }): OAuthEndpoints {
  return {
    authorizeUrl: settings.tokenUrl.replace(/\/token$/, '/authorize'),
    tokenUrl: settings.tokenUrl,
    scopes: [],
    clientAuth: 'basic',
    pkce: false,
    stateOnExchange: true,
  };
}

const entrySchema = z.object({
  journalEntryId: z.number(),
  journalEntryNumber: z.number().nullish(),
  description: z.string(),
});
const PAGE_SIZE = 100;

/** Fiken has no external-id field: the key rides in the description and is matched on read-back. */
const marker = (key: string) => `[${key}]`;

/** Fiken API v2: Bearer token (OAuth with rotating refresh tokens, or a personal token); journal entries in øre. */
export function createFikenConnector(context: ConnectorContext): Connector {
  const settings = fikenSettingsSchema.parse(context.settings);
  const http = connectorHttp(
    context,
    'fiken',
    `${settings.baseUrl}/companies/${settings.companySlug}`,
    FIKEN_RATE_LIMIT,
  );
  const oauth = connectorHttp(context, 'fiken', settings.tokenUrl, FIKEN_RATE_LIMIT);

  const readSecret = async () => {
    const secret = await context.secrets.get(context.secretRef);
    if (!secret) throw new ConnectorError('auth', 'No Fiken token is stored for this target.');
    return fikenSecretSchema.parse(secret);
  };

  // Fiken's OAuth refresh token rotates; a personal API token has none and cannot be renewed.
  const rotate = async (): Promise<void> => {
    await refreshAndPersist(oauth, fikenOAuth(settings), context.secrets, context.secretRef, fikenError);
  };
  const { call, refreshAuth } = authorizedClient(
    http,
    async () => `Bearer ${(await readSecret()).accessToken}`,
    rotate,
  );

  const getAll = <T extends z.ZodType>(path: string, item: T, query: HttpRequest['query'] = {}) =>
    collectPages<z.output<T>>(async (page) => {
      const response = await call({ method: 'GET', path, query: { ...query, page, pageSize: PAGE_SIZE } });
      if (response.status !== 200) throw fikenError(response);
      const items = z.array(item).parse(response.body);
      return { items, more: items.length === PAGE_SIZE };
    });

  const findExisting = async (key: string, voucher: Voucher): Promise<PostedVoucher | null> => {
    const entries = await getAll('/journalEntries', entrySchema, { date: voucher.date });
    const found = entries.find((entry) => entry.description.includes(marker(key)));
    return found
      ? {
          externalId: String(found.journalEntryId),
          number: found.journalEntryNumber ? String(found.journalEntryNumber) : null,
        }
      : null;
  };

  return {
    kind: 'fiken',
    refreshAuth,
    findExisting,
    invoices: fikenInvoices(call, getAll),

    async testConnection(): Promise<ConnectionInfo> {
      const response = await call({ method: 'GET', path: '' });
      if (response.status !== 200) throw fikenError(response);
      return { company: z.object({ name: z.string() }).parse(response.body).name };
    },

    async fetchChart(): Promise<FetchedChart> {
      const [accounts, banks] = await Promise.all([
        getAll('/accounts', z.object({ code: z.string(), name: z.string() })),
        getAll('/bankAccounts', z.object({ accountCode: z.string(), inactive: z.boolean().optional() })),
      ]);
      const inactive = new Set(banks.filter((bank) => bank.inactive).map((bank) => bank.accountCode));
      return {
        // Fiken reports no VAT locks or active flags on accounts; bank accounts have one.
        accounts: accounts.map((account) => ({
          number: account.code,
          name: account.name,
          active: !inactive.has(account.code),
          lockedVatCode: null,
        })),
        vatCodes: null,
        departments: [],
        voucherSeries: [],
      };
    },

    async postVoucher(voucher, idempotencyKey): Promise<PostedVoucher> {
      const description = `${voucher.description} ${marker(idempotencyKey)}`.slice(-166);
      // One-sided lines: debit amounts net of nothing (payments), credit sales gross with their VAT code.
      const lines = voucher.lines.map((line) => {
        const vat =
          line.vatCode === null ? {} : { [line.amount > 0 ? 'debitVatCode' : 'creditVatCode']: Number(line.vatCode) };
        return line.amount > 0
          ? { amount: line.amount, debitAccount: line.account, ...vat }
          : { amount: -line.amount, creditAccount: line.account, ...vat };
      });
      const response = await call({
        method: 'POST',
        path: '/generalJournalEntries',
        json: { description, open: false, journalEntries: [{ description, date: voucher.date, lines }] },
      });
      if (response.status !== 201) throw fikenError(response);
      const posted = await findExisting(idempotencyKey, voucher);
      if (!posted)
        throw new ConnectorError(
          'unknown_outcome',
          `Fiken answered 201 (${response.headers.get('location') ?? ''}) but the entry was not found`,
        );
      return posted;
    },
  };
}
