import { z } from 'zod';
import { sharedLoad } from '../../http/shared-load';
import { collectPages } from '../../http/paging';
import { abs, formatAmount, type Ore } from '../../../shared/money';
import type { ChartAccount, VatCodeInfo } from '../../domain/chart';
import { authorizedClient } from '../../http/authorized';
import type { HttpRequest } from '../../http/client';
import { accessTokenStale, oauthSecretSchema, refreshAndPersist, type OAuthEndpoints } from '../../http/oauth2';
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
import { vismaError } from './errors';

export const VISMA_PRODUCTION = {
  baseUrl: 'https://eaccountingapi.vismaonline.com/v2',
  authorizeUrl: 'https://identity.vismaonline.com/connect/authorize',
  tokenUrl: 'https://identity.vismaonline.com/connect/token',
} as const;

/**
 * 600 calls per minute per endpoint (documented). We pace at 10 per second across all endpoints,
 * which never exceeds the quota and keeps a backlog from bursting 600 calls into one second.
 */
export const VISMA_RATE_LIMIT = { requests: 10, perMs: 1_000 };

/** `ea:api` + `offline_access` are mandatory (refresh token); `ea:accounting` writes vouchers. */
export const VISMA_SCOPES = ['ea:api', 'offline_access', 'ea:accounting'] as const;

export const vismaSettingsSchema = z.object({
  baseUrl: z.string().url().default(VISMA_PRODUCTION.baseUrl),
  authorizeUrl: z.string().url().default(VISMA_PRODUCTION.authorizeUrl),
  tokenUrl: z.string().url().default(VISMA_PRODUCTION.tokenUrl),
  /**
   * Kontooppsett VAT code → eAccounting VAT code (`Code` in GET /vatcodes) where they differ.
   * Norwegian eAccounting lists the standard SAF-T codes, so this is empty by default.
   */
  vatCodeMap: z.record(z.string(), z.string()).default({}),
});
export type VismaSettings = z.infer<typeof vismaSettingsSchema>;

export const vismaSecretSchema = oauthSecretSchema;

/**
 * Visma Connect is an IdentityServer: Basic client authentication, form-encoded token requests, and
 * PKCE (S256) as IdentityServer supports it for code flows (UNCONFIRMED for Visma's client settings).
 */
export function vismaOAuth(settings: Pick<VismaSettings, 'authorizeUrl' | 'tokenUrl'>): OAuthEndpoints {
  return {
    authorizeUrl: settings.authorizeUrl,
    tokenUrl: settings.tokenUrl,
    scopes: [...VISMA_SCOPES],
    clientAuth: 'basic',
    pkce: true,
    stateOnExchange: false,
  };
}

const envelope = <T extends z.ZodType>(item: T) =>
  z.object({ Meta: z.object({ CurrentPage: z.number(), TotalNumberOfPages: z.number() }), Data: z.array(item) });
const fiscalYearSchema = z.object({ Id: z.string(), StartDate: z.string(), EndDate: z.string() });
const accountSchema = z.object({
  Number: z.string(),
  Name: z.string(),
  IsActive: z.boolean(),
  IsCostCenterAllowed: z.boolean().optional(),
});
// Every VatCodeApi property is optional in the swagger; a code without Id or Code cannot be referenced.
const vatCodeSchema = z.object({
  Id: z.string(),
  Code: z.string(),
  Description: z
    .string()
    .nullish()
    .transform((text) => text ?? ''),
  VatRate: z.number().nullish(),
  RelatedAccounts: z.object({ AccountNumber1: z.number().nullish() }).nullish(),
});
type VismaVatCode = z.infer<typeof vatCodeSchema>;
const costCenterSchema = z.object({
  IsActive: z.boolean().optional(),
  Items: z
    .array(z.object({ Id: z.string(), ShortName: z.string(), Name: z.string(), IsActive: z.boolean().optional() }))
    .default([]),
});
const voucherSchema = z.object({
  Id: z.string(),
  VoucherText: z.string(),
  NumberAndNumberSeries: z.string().nullish(),
});

const PAGE_SIZE = 1000;
/** eAccounting has no idempotency key or external-id field: the key rides in VoucherText. */
const marker = (key: string) => `[${key}]`;
const VOUCHER_TEXT_MAX = 1000;
const ROW_TEXT_MAX = 60;

/** VatRate is a fraction (0.25) or a percent (25) — the spec leaves it open; both become basis points. */
function rateBp(rate: number | null | undefined): number | null {
  if (rate === null || rate === undefined) return null;
  return Math.round(rate <= 1 ? rate * 10_000 : rate * 100);
}

/** Decimal text of the øre at the JSON edge; eAccounting wants positive amounts, side by field. */
const amountField = (amount: Ore): { DebitAmount: number } | { CreditAmount: number } =>
  amount > 0 ? { DebitAmount: Number(formatAmount(amount)) } : { CreditAmount: Number(formatAmount(abs(amount))) };

/**
 * Visma eAccounting API v2: OAuth2 with one-time refresh tokens (rotated, persisted before use),
 * manual vouchers with explicit VAT rows (the POS's own VAT amounts, not recomputed) and VAT codes
 * referenced by eAccounting's ids.
 */
export function createVismaConnector(context: ConnectorContext): Connector {
  const settings = vismaSettingsSchema.parse(context.settings);
  const endpoints = vismaOAuth(settings);
  const http = connectorHttp(context, 'visma-eaccounting', settings.baseUrl, VISMA_RATE_LIMIT);
  const identity = connectorHttp(context, 'visma-eaccounting', settings.tokenUrl, VISMA_RATE_LIMIT);
  /** Accounts that take a cost center, per fiscal year (eAccounting answers 2000 for the others). */
  const costCenterAccounts = new Map<string, Promise<ReadonlySet<number>>>();

  const readSecret = async () => {
    const secret = vismaSecretSchema.safeParse(await context.secrets.get(context.secretRef));
    if (!secret.success) {
      throw new ConnectorError('auth', 'No Visma eAccounting connection is stored for this target; connect it first.');
    }
    return secret.data;
  };

  const rotate = async (): Promise<void> => {
    await refreshAndPersist(identity, endpoints, context.secrets, context.secretRef, vismaError);
  };
  // The access token lives an hour: renew a minute early instead of spending a request on a 401.
  const authorization = async (): Promise<string> => {
    const secret = await readSecret();
    if (!accessTokenStale(secret)) return `Bearer ${secret.accessToken}`;
    await refreshAuth();
    return `Bearer ${(await readSecret()).accessToken}`;
  };
  const { call, refreshAuth } = authorizedClient(http, authorization, rotate);

  const getAll = <T extends z.ZodType>(path: string, item: T, query: HttpRequest['query'] = {}) =>
    collectPages<z.output<T>>(async (index) => {
      const response = await call({ method: 'GET', path, query: { ...query, $page: index + 1, $pagesize: PAGE_SIZE } });
      if (response.status !== 200) throw vismaError(response);
      const body = envelope(item).parse(response.body);
      return {
        items: body.Data,
        more: body.Meta.CurrentPage < body.Meta.TotalNumberOfPages && body.Data.length > 0,
      };
    });

  const loadLookups = async (): Promise<Lookups> => {
    const [vatCodes, costCenters, fiscalYears] = await Promise.all([
      getAll('/vatcodes', z.union([vatCodeSchema, z.object({}).transform(() => null)])),
      getAll('/costcenters', costCenterSchema),
      getAll('/fiscalyears', fiscalYearSchema),
    ]);
    const departments = costCenters
      .filter((center) => center.IsActive !== false)
      .flatMap((center) => center.Items.filter((item) => item.IsActive !== false));
    return { vatCodes: vatCodes.filter((vat) => vat !== null), departments, fiscalYears };
  };
  // Chart, VAT codes and departments: fetched once, shared, forgotten when the target refuses one.
  const lookups = sharedLoad(loadLookups);

  /** The eAccounting VAT code for a kontooppsett code, or a clear refusal naming the codes that exist. */
  const vismaVatCode = (code: string, found: Lookups): VismaVatCode => {
    const wanted = settings.vatCodeMap[code] ?? code;
    const match = found.vatCodes.find((vat) => vat.Code === wanted);
    if (match) return match;
    const known = found.vatCodes.map((vat) => vat.Code).join(', ');
    throw new ConnectorError(
      'vat_code_not_allowed',
      `Visma eAccounting has no VAT code ${wanted}${wanted === code ? '' : ` (mapped from ${code})`}; ` +
        `GET /vatcodes lists ${known}. Use one of these in the kontooppsett, or map it in the target's vatCodeMap.`,
    );
  };

  /** Account numbers that allow a cost center in the voucher's fiscal year (empty when it has none). */
  const accountsTakingCostCenter = async (date: string, found: Lookups): Promise<ReadonlySet<number>> => {
    const year = fiscalYearOf(found.fiscalYears, date);
    if (!year) return new Set();
    let accounts = costCenterAccounts.get(year.Id);
    if (!accounts) {
      accounts = getAll(`/accounts/${year.Id}`, accountSchema).then(
        (list) =>
          new Set(list.filter((account) => account.IsCostCenterAllowed).map((account) => Number(account.Number))),
      );
      accounts.catch(() => costCenterAccounts.delete(year.Id));
      costCenterAccounts.set(year.Id, accounts);
    }
    return accounts;
  };

  const toRows = (voucher: Voucher, found: Lookups, takesCostCenter: ReadonlySet<number>) =>
    voucher.lines.flatMap((line) => {
      if (!/^\d+$/.test(line.account)) {
        throw new ConnectorError(
          'invalid_account',
          `Visma eAccounting account numbers are whole numbers; "${line.account}" is not one.`,
        );
      }
      const vat = line.vatCode === null ? undefined : vismaVatCode(line.vatCode, found);
      const department =
        line.department === null ? undefined : found.departments.find((item) => item.ShortName === line.department);
      if (line.department !== null && !department) {
        throw new ConnectorError(
          'bad_request',
          `Visma eAccounting has no active cost center item ${line.department} (GET /costcenters).`,
        );
      }
      // The department goes on the rows whose account takes a cost center (revenue, usually), not on bank or VAT.
      const costCenter = (account: number) =>
        department && takesCostCenter.has(account) ? { CostCenterItemId1: department.Id } : {};
      const entry = {
        AccountNumber: Number(line.account),
        ...amountField(line.amount),
        TransactionText: line.text.slice(0, ROW_TEXT_MAX),
        ...(vat ? { VatCodeId: vat.Id } : {}),
        ...costCenter(Number(line.account)),
      };
      if (line.impliedVat === 0) return [entry];
      // The VAT the POS reported goes on the account eAccounting itself books this VAT code to.
      const vatAccount = vat?.RelatedAccounts?.AccountNumber1;
      if (!vat || vatAccount === null || vatAccount === undefined) {
        throw new ConnectorError(
          'vat_code_not_allowed',
          `Visma eAccounting VAT code ${vat?.Code ?? '(none)'} has no VAT account, but line "${line.text}" carries ` +
            `VAT ${formatAmount(line.impliedVat)}. Pick an output VAT code for this sale in the kontooppsett.`,
        );
      }
      return [
        entry,
        {
          AccountNumber: vatAccount,
          ...amountField(line.impliedVat),
          TransactionText: vat.Description.slice(0, ROW_TEXT_MAX),
          ...costCenter(vatAccount),
        },
      ];
    });

  const asPosted = (voucher: z.infer<typeof voucherSchema>): PostedVoucher => ({
    externalId: voucher.Id,
    number: voucher.NumberAndNumberSeries ?? null,
  });

  const findExisting = async (key: string, voucher: Voucher): Promise<PostedVoucher | null> => {
    const next = new Date(Date.parse(`${voucher.date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const found = await getAll('/vouchers', voucherSchema, {
      $filter: `VoucherDate ge ${voucher.date}T00:00:00.00Z and VoucherDate lt ${next}T00:00:00.00Z`,
    });
    const match = found.find((candidate) => candidate.VoucherText.includes(marker(key)));
    return match ? asPosted(match) : null;
  };

  return {
    kind: 'visma-eaccounting',
    refreshAuth,
    findExisting,

    async testConnection(): Promise<ConnectionInfo> {
      const response = await call({ method: 'GET', path: '/companysettings' });
      if (response.status !== 200) throw vismaError(response);
      return { company: z.object({ Name: z.string() }).parse(response.body).Name };
    },

    async fetchChart(): Promise<FetchedChart> {
      lookups.forget();
      costCenterAccounts.clear();
      const found = await lookups.get();
      // Accounts are per fiscal year: the chart of the year we post into now (else the latest).
      const years = found.fiscalYears;
      const latest = [...years].sort((a, b) => b.StartDate.localeCompare(a.StartDate))[0];
      const year = fiscalYearOf(years, new Date().toISOString().slice(0, 10)) ?? latest;
      if (!year) throw new ConnectorError('locked_period', 'Visma eAccounting has no fiscal year (GET /fiscalyears).');
      const accounts = await getAll(`/accounts/${year.Id}`, accountSchema);
      const vatCodes: VatCodeInfo[] = found.vatCodes.map((vat) => ({
        code: vat.Code,
        description: vat.Description,
        rateBp: rateBp(vat.VatRate),
      }));
      // Codes the technician mapped appear under the kontooppsett's name too, so the builder accepts them.
      for (const [own, theirs] of Object.entries(settings.vatCodeMap)) {
        const vat = vatCodes.find((candidate) => candidate.code === theirs);
        if (vat && !vatCodes.some((candidate) => candidate.code === own)) vatCodes.push({ ...vat, code: own });
      }
      return {
        // eAccounting has no VAT lock: an account's VatCodeId is a default each row may override.
        accounts: accounts.map((account): ChartAccount => ({
          number: account.Number,
          name: account.Name,
          active: account.IsActive,
          lockedVatCode: null,
        })),
        vatCodes,
        departments: found.departments.map((item) => ({ code: item.ShortName, name: item.Name })),
        voucherSeries: [],
      };
    },

    async postVoucher(voucher, idempotencyKey): Promise<PostedVoucher> {
      const found = await lookups.get();
      const withDepartment = voucher.lines.some((line) => line.department !== null);
      const rows = toRows(
        voucher,
        found,
        withDepartment ? await accountsTakingCostCenter(voucher.date, found) : new Set(),
      );
      const tag = ` ${marker(idempotencyKey)}`;
      const response = await call({
        method: 'POST',
        path: '/vouchers',
        // Explicit VAT rows with our codes: nothing recomputed, nothing replaced by account defaults.
        query: { useAutomaticVatCalculation: false, useDefaultVatCodes: false },
        json: {
          VoucherDate: voucher.date,
          VoucherText: voucher.description.slice(0, VOUCHER_TEXT_MAX - tag.length) + tag,
          Rows: rows,
        },
      });
      if (response.status !== 201 && response.status !== 200) {
        const error = vismaError(response);
        // The company's VAT codes or cost centers may have changed under us: look them up afresh next time.
        if (error.code === 'vat_code_not_allowed' || error.code === 'bad_request') {
          lookups.forget();
          costCenterAccounts.clear();
        }
        throw error;
      }
      return asPosted(voucherSchema.parse(response.body));
    },
  };
}

function fiscalYearOf<T extends { StartDate: string; EndDate: string }>(
  years: readonly T[],
  date: string,
): T | undefined {
  return years.find((year) => year.StartDate.slice(0, 10) <= date && date <= year.EndDate.slice(0, 10));
}

interface Lookups {
  readonly fiscalYears: readonly z.infer<typeof fiscalYearSchema>[];
  readonly vatCodes: readonly VismaVatCode[];
  readonly departments: readonly { readonly Id: string; readonly ShortName: string; readonly Name: string }[];
}
