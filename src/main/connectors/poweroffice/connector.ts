import { z } from 'zod';
import { sharedLoad } from '../../http/shared-load';
import { collectPages } from '../../http/paging';
import { formatAmount } from '../../../shared/money';
import { authorizedClient } from '../../http/authorized';
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
import { fetchAccessToken, readPowerOfficeSecret, tokenUsable } from './auth';
import { powerOfficeError } from './errors';
import { powerOfficeInvoices, type LedgerIds } from './invoices';

/** PowerOffice's two environments ("end point mode"); keys from one are refused by the other (spec §1). */
export const POWEROFFICE_ENDPOINTS = {
  production: { baseUrl: 'https://goapi.poweroffice.net/v2', tokenUrl: 'https://goapi.poweroffice.net/oauth/Token' },
  demo: {
    baseUrl: 'https://goapi.poweroffice.net/Demo/v2',
    tokenUrl: 'https://goapi.poweroffice.net/Demo/OAuth/Token',
  },
} as const;

/** 10 requests per second per subscription key (spec §3); kept just below, as our spacing and theirs never align. */
export const POWEROFFICE_RATE_LIMIT = { requests: 9, perMs: 1_000 };

export const powerOfficeSettingsSchema = z.object({
  endpointMode: z.enum(['production', 'demo']).default('production'),
  /** A sandbox or another gateway; overrides the endpoint mode. */
  baseUrl: z.string().url().optional(),
  /** Defaults to `<baseUrl without /v2>/oauth/Token`, which is where both real environments have it. */
  tokenUrl: z.string().url().optional(),
});

export function powerOfficeEndpoints(settings: z.infer<typeof powerOfficeSettingsSchema>): {
  baseUrl: string;
  tokenUrl: string;
} {
  if (!settings.baseUrl) return POWEROFFICE_ENDPOINTS[settings.endpointMode];
  return {
    baseUrl: settings.baseUrl,
    tokenUrl: settings.tokenUrl ?? `${settings.baseUrl.replace(/\/v2\/?$/i, '')}/oauth/Token`,
  };
}

/** Privileges the integration needs (auth roles of the endpoints used, from the published OpenAPI). */
const NEEDED_PRIVILEGES = [
  'ManualVoucher_Full',
  'GeneralLedgerAccount',
  'CommonServices',
  'Department',
  'AccountTransaction',
];

const accountSchema = z.object({
  Id: z.number(),
  AccountNo: z.number(),
  Name: z.string(),
  IsActive: z.boolean(),
  VatCode: z.string().nullish(),
  VatCodeId: z.number().nullish(),
  IsVatCodeLocked: z.boolean().nullish(),
});
const vatCodeSchema = z.object({
  Id: z.number(),
  Code: z.string(),
  Name: z.string().nullish(),
  Rate: z.number().nullish(),
  IsActive: z.boolean().nullish(),
  ValidFrom: z.string().nullish(),
  ValidTo: z.string().nullish(),
});
const departmentSchema = z.object({ Id: z.number(), Code: z.string(), Name: z.string() });
const postedSchema = z.object({ Id: z.string(), VoucherNo: z.number().nullish() });
const transactionSchema = z.object({
  VoucherId: z.string(),
  VoucherNo: z.number().nullish(),
  ExternalImportReference: z.string().nullish(),
});
const integrationSchema = z.object({
  ClientName: z.string(),
  InvalidPrivileges: z.array(z.string()).nullish(),
});

type VatCodeDto = z.infer<typeof vatCodeSchema>;
interface Lookups {
  readonly accounts: readonly z.infer<typeof accountSchema>[];
  readonly vatCodes: readonly VatCodeDto[];
  readonly departments: readonly z.infer<typeof departmentSchema>[];
}

const PAGE_SIZE = 1000;

/** The version of a VAT code in force on a date (Go keeps expired versions of a code). */
function vatCodeOn(vatCodes: readonly VatCodeDto[], code: string, date: string): VatCodeDto | undefined {
  return vatCodes.find(
    (vat) =>
      vat.Code === code &&
      vat.IsActive !== false &&
      (vat.ValidFrom ?? '') <= date &&
      (vat.ValidTo === null || vat.ValidTo === undefined || vat.ValidTo >= date),
  );
}

const asPosted = (value: { VoucherId?: string; Id?: string; VoucherNo?: number | null }): PostedVoucher => ({
  externalId: value.VoucherId ?? value.Id ?? '',
  number: value.VoucherNo === null || value.VoucherNo === undefined ? null : String(value.VoucherNo),
});

/**
 * PowerOffice Go API v2: client-credentials token (application key + client key, subscription
 * key on every call); finished vouchers straight to the ledger with POST /Vouchers/ManualJournals,
 * gross amounts with VAT code Ids; the idempotency key in ExternalImportReference, which Go keeps
 * unique per client and returns on GET /AccountTransactions.
 */
export function createPowerOfficeConnector(context: ConnectorContext): Connector {
  const endpoints = powerOfficeEndpoints(powerOfficeSettingsSchema.parse(context.settings));
  const http = connectorHttp(context, 'poweroffice', endpoints.baseUrl, POWEROFFICE_RATE_LIMIT);
  // The token call goes through the same gateway and counts against the same subscription limit.
  const tokenHttp = connectorHttp(context, 'poweroffice', endpoints.tokenUrl, POWEROFFICE_RATE_LIMIT);

  const renew = () =>
    fetchAccessToken(tokenHttp, endpoints.tokenUrl, context.secrets, context.secretRef, { evenIfRefused: false });
  const accessToken = async (): Promise<string> => {
    let secret = await readPowerOfficeSecret(context.secrets, context.secretRef);
    if (!tokenUsable(secret, endpoints.tokenUrl)) {
      await refreshAuth();
      secret = await readPowerOfficeSecret(context.secrets, context.secretRef);
    }
    return secret.accessToken ?? '';
  };
  const authorized = authorizedClient(http, async () => `Bearer ${await accessToken()}`, renew);
  const { refreshAuth } = authorized;

  const call = async (request: HttpRequest) => {
    const { subscriptionKey } = await readPowerOfficeSecret(context.secrets, context.secretRef);
    return authorized.call({
      ...request,
      headers: { ...request.headers, 'ocp-apim-subscription-key': subscriptionKey },
    });
  };

  /** Pages until a short page; Go answers 204 No Content for an empty one (spec §6). */
  const getAll = <T extends z.ZodType>(path: string, item: T, query: HttpRequest['query'] = {}) =>
    collectPages<z.output<T>>(async (index) => {
      const response = await call({
        method: 'GET',
        path,
        query: { ...query, PageNumber: index + 1, PageSize: PAGE_SIZE },
      });
      if (response.status === 204) return { items: [], more: false };
      if (response.status !== 200) throw powerOfficeError(response);
      const items = z.array(item).parse(response.body);
      return { items, more: items.length === PAGE_SIZE };
    });

  const loadLookups = async (): Promise<Lookups> => {
    const [accounts, vatCodes, departments] = await Promise.all([
      getAll('/GeneralLedgerAccounts', accountSchema),
      getAll('/VatCodes', vatCodeSchema),
      getAll('/Departments', departmentSchema),
    ]);
    return { accounts, vatCodes, departments };
  };
  // Chart, VAT codes and departments: fetched once, shared, forgotten when the target refuses one.
  const lookups = sharedLoad(loadLookups);

  const toLines = (voucher: Voucher, found: Lookups) =>
    voucher.lines.map((line) => {
      const account = found.accounts.find((candidate) => String(candidate.AccountNo) === line.account);
      if (!account) {
        throw new ConnectorError(
          'invalid_account',
          `PowerOffice Go has no account ${line.account} (GET /GeneralLedgerAccounts).`,
        );
      }
      // Balance-sheet lines carry the "no VAT" code 0: VatId is required on every line, and what Go
      // does with null is UNCONFIRMED, so a client without code 0 is told so instead of sent null.
      const code = line.vatCode ?? '0';
      const vat = vatCodeOn(found.vatCodes, code, voucher.date);
      if (!vat) {
        throw new ConnectorError(
          'vat_code_not_allowed',
          line.vatCode === null
            ? `PowerOffice Go lists no VAT code 0 (no VAT) valid on ${voucher.date}, which account ${line.account} needs: every line needs a VAT code; ask the accountant to activate code 0 (GET /VatCodes).`
            : `PowerOffice Go has no VAT code ${code} valid on ${voucher.date} (GET /VatCodes).`,
        );
      }
      const department =
        line.department === null ? undefined : found.departments.find((item) => item.Code === line.department);
      if (line.department !== null && !department) {
        throw new ConnectorError(
          'bad_request',
          `PowerOffice Go has no department ${line.department} (GET /Departments).`,
        );
      }
      return {
        AccountId: account.Id,
        PostingDate: voucher.date,
        VatId: vat.Id,
        // Gross, signed: + debit, − credit; JSON numbers only at this edge, from the exact øre text.
        CurrencyAmount: Number(formatAmount(line.amount)),
        Description: line.text,
        ...(department ? { DepartmentId: department.Id } : {}),
      };
    });

  const ledgerIds: LedgerIds = async (accountNo, vatCode, date) => {
    const found = await lookups.get();
    const account = found.accounts.find((candidate) => String(candidate.AccountNo) === accountNo);
    if (!account) {
      throw new ConnectorError(
        'invalid_account',
        `PowerOffice Go has no account ${accountNo} (GET /GeneralLedgerAccounts).`,
      );
    }
    const vat = vatCodeOn(found.vatCodes, vatCode, date);
    if (!vat) {
      throw new ConnectorError(
        'vat_code_not_allowed',
        `PowerOffice Go has no VAT code ${vatCode} valid on ${date} (GET /VatCodes).`,
      );
    }
    return { AccountId: account.Id, VatId: vat.Id };
  };

  const findExisting = async (idempotencyKey: string, voucher: Voucher): Promise<PostedVoucher | null> => {
    // Every line is posted on the voucher date, so that day's transactions on one of its accounts hold it.
    const rows = await getAll('/AccountTransactions', transactionSchema, {
      fromDate: voucher.date,
      toDate: voucher.date,
      accountNos: voucher.lines[0]?.account,
    });
    const row = rows.find((candidate) => candidate.ExternalImportReference === idempotencyKey);
    return row ? asPosted(row) : null;
  };

  return {
    kind: 'poweroffice',
    refreshAuth,
    findExisting,
    invoices: powerOfficeInvoices(call, getAll, ledgerIds),

    async testConnection(): Promise<ConnectionInfo> {
      // A person testing the connection (after fixing the keys in Go, say) always gets a real login attempt.
      const secret = await readPowerOfficeSecret(context.secrets, context.secretRef);
      if (!tokenUsable(secret, endpoints.tokenUrl)) {
        await fetchAccessToken(tokenHttp, endpoints.tokenUrl, context.secrets, context.secretRef, {
          evenIfRefused: true,
        });
      }
      const response = await call({ method: 'GET', path: '/ClientIntegrationInformation' });
      if (response.status !== 200) throw powerOfficeError(response);
      const info = integrationSchema.parse(response.body);
      const missing = (info.InvalidPrivileges ?? []).filter((name) => NEEDED_PRIVILEGES.includes(name));
      if (missing.length > 0) {
        throw new ConnectorError(
          'auth',
          `PowerOffice Go: the integration lacks the privilege(s) ${missing.join(', ')} for ${info.ClientName} (ClientIntegrationInformation.InvalidPrivileges).`,
        );
      }
      return { company: info.ClientName };
    },

    async fetchChart(): Promise<FetchedChart> {
      lookups.forget();
      const found = await lookups.get();
      const today = new Date().toISOString().slice(0, 10);
      const current = found.vatCodes.filter((vat) => vatCodeOn(found.vatCodes, vat.Code, today) === vat);
      const codeOf = (account: z.infer<typeof accountSchema>) =>
        account.VatCode ?? found.vatCodes.find((vat) => vat.Id === account.VatCodeId)?.Code ?? null;
      return {
        accounts: found.accounts.map((account) => ({
          number: String(account.AccountNo),
          name: account.Name,
          active: account.IsActive,
          lockedVatCode: account.IsVatCodeLocked ? codeOf(account) : null,
        })),
        vatCodes: current.map((vat) => ({
          code: vat.Code,
          description: vat.Name ?? vat.Code,
          // Go's Rate is a fraction (0.25); basis points are 2500.
          rateBp: vat.Rate === null || vat.Rate === undefined ? null : Math.round(vat.Rate * 10_000),
        })),
        departments: found.departments.map((item) => ({ code: item.Code, name: item.Name })),
        voucherSeries: [],
      };
    },

    async postVoucher(voucher, idempotencyKey): Promise<PostedVoucher> {
      const lines = toLines(voucher, await lookups.get());
      const response = await call({
        method: 'POST',
        path: '/Vouchers/ManualJournals',
        json: {
          VoucherDate: voucher.date,
          // PowerOffice Go is Norwegian-only here: every Z-report it receives is in kroner.
          CurrencyCode: 'NOK',
          Description: voucher.description,
          ExternalImportReference: idempotencyKey,
          VoucherLines: lines,
        },
      });
      if (response.status !== 201) {
        const error = powerOfficeError(response);
        // The chart may have changed under us (account deactivated, VAT lock): look it up afresh next time.
        if (error.code === 'invalid_account' || error.code === 'vat_code_not_allowed') lookups.forget();
        throw error;
      }
      return asPosted(postedSchema.parse(response.body));
    },
  };
}
