import { z } from 'zod';
import { SEVERITY_OF, type ProblemCode } from './problems';
import { lineKeySchema } from './line-key-schema';
import { LANGUAGES, type Language } from './settlement-keys';
import {
  connectionTestSchema,
  finishSetupArgsSchema,
  invoiceSetupViewSchema,
  saveInvoiceSetupArgsSchema,
  saveInvoiceSetupResultSchema,
  saveTargetSetupArgsSchema,
  saveTargetSetupResultSchema,
  startConnectResultSchema,
  syncNowArgsSchema,
  syncNowResultSchema,
  targetSetupViewSchema,
} from './setup-schemas';
import { TARGET_KINDS, type TargetKind } from './targets';

/**
 * The one contract between the UI and the engine. Every method has a zod schema for its
 * arguments and one for its result; the Electron preload and the browser bridge (`kassebro serve`)
 * expose exactly these methods as named functions, and the engine validates arguments where they
 * arrive. Money crosses as integer øre. New engine features are added as new methods here.
 */

const ore = z.number().int().refine(Number.isSafeInteger, 'not a safe whole number of øre');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2026-11-20');
const count = z.number().int().min(0);

export const languageSchema = z.enum(LANGUAGES as [Language, ...Language[]]);
export const targetKindSchema = z.enum(TARGET_KINDS as [TargetKind, ...TargetKind[]]);
export const problemCodeSchema = z.enum(Object.keys(SEVERITY_OF) as [ProblemCode, ...ProblemCode[]]);
export const VOUCHER_STATES = ['blocked', 'skipped', 'ready', 'queued', 'sending', 'posted', 'failed'] as const;
export const voucherStateSchema = z.enum(VOUCHER_STATES);
export type VoucherStateName = z.infer<typeof voucherStateSchema>;
export const LOG_STATUSES = ['transferred', 'not_transferred', 'info'] as const;
export const logStatusSchema = z.enum(LOG_STATUSES);
export const PRESET_NAMES = ['no-standard', 'no-fiken', 'se-bas'] as const;

const settlementRefSchema = z.object({
  id: z.number().int(),
  registerId: z.string(),
  reportNumber: z.string(),
  businessDate: isoDate,
  kind: z.enum(['Z', 'X']),
});

/** A problem with its plain-language sentence in the language the caller asked for. */
export const explainedProblemSchema = z.object({
  code: problemCodeSchema,
  severity: z.enum(['error', 'skip', 'warning']),
  key: lineKeySchema.nullable(),
  account: z.string().nullable(),
  message: z.string(),
  /** The same sentence without the leading report reference, for lists that already show the report. */
  short: z.string(),
});
export type ExplainedProblem = z.infer<typeof explainedProblemSchema>;

const targetSummarySchema = z.object({
  id: z.string(),
  kind: targetKindSchema,
  name: z.string(),
  displayName: z.string(),
  transport: z.enum(['api', 'file']),
  /** Credentials can be stored for it (false for the demo's target, which only builds vouchers). */
  hasLogin: z.boolean(),
});
export type TargetSummary = z.infer<typeof targetSummarySchema>;

export const statusSchema = z.object({
  homeKind: z.enum(['demo', 'shop']).nullable(),
  activeTarget: targetSummarySchema.nullable(),
  vouchers: z.object(
    Object.fromEntries(VOUCHER_STATES.map((state) => [state, count])) as Record<VoucherStateName, typeof count>,
  ),
  settlements: z.object({ z: count, x: count, lastBusinessDate: isoDate.nullable() }),
  /** The active target's invoice outbox; 'held' = read after its Z voucher was sent (docs/invoices.md). */
  invoices: z.object({ queued: count, sending: count, posted: count, failed: count, held: count }),
  /** Null until a sync engine has run; the UI shows "not yet" rather than inventing a time. */
  lastSyncAt: z.string().nullable(),
  nextRunAt: z.string().nullable(),
  /** The language the user chose in the window (the tray follows it). */
  language: languageSchema,
});
export type Status = z.infer<typeof statusSchema>;

const salesByRateSchema = z.object({ rateBp: z.number().int(), net: ore, vat: ore, gross: ore });
export const overviewSchema = z.object({
  status: statusSchema,
  dailySales: z.array(z.object({ date: isoDate, rates: z.array(salesByRateSchema) })),
});
export type Overview = z.infer<typeof overviewSchema>;

export const settlementRowSchema = settlementRefSchema.extend({
  location: z.string(),
  globalSequence: z.number().int().nullable(),
  closedAt: z.string().nullable(),
  /** Null for a report whose amounts are too large to total (it is refused; see its voucher's problem). */
  grossSales: ore.nullable(),
  voucherState: voucherStateSchema.nullable(),
});
export type SettlementRow = z.infer<typeof settlementRowSchema>;

export const voucherLineSchema = z.object({
  key: lineKeySchema,
  role: z.enum(['entry', 'vat', 'residual']),
  account: z.string(),
  vatCode: z.string().nullable(),
  /** Signed: debit positive, credit negative. */
  amount: ore,
  impliedVat: ore,
  department: z.string().nullable(),
  text: z.string(),
});
export const voucherViewSchema = z.object({
  id: z.number().int(),
  settlement: settlementRefSchema,
  state: voucherStateSchema,
  date: isoDate.nullable(),
  description: z.string().nullable(),
  lines: z.array(voucherLineSchema),
  balanced: z.boolean(),
  problems: z.array(explainedProblemSchema),
  idempotencyKey: z.string(),
  externalId: z.string().nullable(),
});
export type VoucherView = z.infer<typeof voucherViewSchema>;

/** Why a mapping row does not fit the target's chart, found before any voucher is built. */
export const mappingCheckSchema = z.object({
  code: z.enum(['account_missing', 'account_inactive', 'vat_code_unknown', 'vat_code_locked']),
  lockedVatCode: z.string().nullable(),
});
export type MappingCheck = z.infer<typeof mappingCheckSchema>;

export const mappingRowSchema = z.object({
  key: lineKeySchema,
  location: z.string(),
  account: z.string().nullable(),
  accountName: z.string().nullable(),
  vatCode: z.string().nullable(),
  vatAccount: z.string().nullable(),
  checks: z.array(mappingCheckSchema),
});
export type MappingRow = z.infer<typeof mappingRowSchema>;

export const mappingViewSchema = z.object({
  targetId: z.string(),
  targetKind: targetKindSchema,
  vatStyle: z.enum(['code-on-line', 'explicit-vat-lines']),
  rows: z.array(mappingRowSchema),
  departments: z.array(z.object({ location: z.string(), department: z.string() })),
  /** POS locations seen in the settlements, so each can be given a department. */
  locations: z.array(z.string()),
  presets: z.array(z.object({ name: z.enum(PRESET_NAMES), description: z.string() })),
});
export type MappingView = z.infer<typeof mappingViewSchema>;

export const chartViewSchema = z.object({
  targetId: z.string(),
  accounts: z.array(
    z.object({ number: z.string(), name: z.string(), active: z.boolean(), lockedVatCode: z.string().nullable() }),
  ),
  vatCodes: z
    .array(z.object({ code: z.string(), description: z.string(), rateBp: z.number().int().nullable() }))
    .nullable(),
});
export type ChartView = z.infer<typeof chartViewSchema>;

export const targetsViewSchema = z.object({
  activeTargetId: z.string().nullable(),
  targets: z.array(targetSummarySchema),
  /** Every kind of accounting system Kassebro knows, for the setup wizard. */
  kinds: z.array(
    z.object({
      kind: targetKindSchema,
      displayName: z.string(),
      country: z.enum(['NO', 'SE']),
      transport: z.enum(['api', 'file']),
      defaultPreset: z.enum(PRESET_NAMES),
      /** A connector (API) or writer (file) exists in this version, so the wizard can set it up. */
      available: z.boolean(),
      /** Credentials can come from an OAuth connect in the browser. */
      oauth: z.boolean(),
    }),
  ),
});
export type TargetsView = z.infer<typeof targetsViewSchema>;

export const logQuerySchema = z.object({
  status: logStatusSchema.optional(),
  module: z.string().min(1).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  offset: count.default(0),
  limit: z.number().int().min(1).max(1000).default(200),
});
export type LogQuery = z.input<typeof logQuerySchema>;

export const logRowSchema = z.object({
  id: z.number().int(),
  at: z.string(),
  targetId: z.string().nullable(),
  voucherId: z.number().int().nullable(),
  module: z.string(),
  status: logStatusSchema,
  code: z.string().nullable(),
  message: z.string(),
  hasPayload: z.boolean(),
  /** A voucher that was not transferred and now waits for a person: "try again" makes sense. */
  retryable: z.boolean(),
});
export type LogRow = z.infer<typeof logRowSchema>;
export const logPageSchema = z.object({ total: count, offset: count, rows: z.array(logRowSchema) });
export type LogPage = z.infer<typeof logPageSchema>;
export const logEntrySchema = logRowSchema.extend({
  targetMessage: z.string().nullable(),
  payload: z.unknown(),
  response: z.unknown(),
});
export type LogEntryView = z.infer<typeof logEntrySchema>;

export const prepareSummarySchema = z.object({
  zReports: count,
  ready: count,
  blocked: count,
  skipped: count,
  frozen: count,
});
export type PrepareSummaryView = z.infer<typeof prepareSummarySchema>;

export const environmentSchema = z.object({
  appVersion: z.string(),
  versions: z.record(z.string(), z.string()),
  platform: z.string(),
  arch: z.string(),
  databaseFile: z.string(),
  resourcesDir: z.string(),
  schemaVersion: z.number().int(),
  migrations: z.array(z.object({ id: z.number().int(), name: z.string(), appliedAt: z.string() })),
});
export type Environment = z.infer<typeof environmentSchema>;

/** A file the UI offers for download (support bundle, mapping export). */
export const supportBundleSchema = z.object({ fileName: z.string(), content: z.string() });

/** Avstemming of one business day: POS card total against the terminal's settled total. */
export const RECONCILE_STATUSES = ['ok', 'explained', 'difference', 'no-terminal-report', 'no-pos-report'] as const;
export const reconcileDaySchema = z.object({
  date: isoDate,
  /** The POS location (or location and register) when terminals are placed; null = all locations together. */
  location: z.string().nullable(),
  status: z.enum(RECONCILE_STATUSES),
  pos: z.object({ integrated: ore, manual: ore, tips: ore, zReports: count }),
  terminal: z.object({
    amount: ore,
    tips: ore,
    cashback: ore,
    refunds: ore,
    reports: z.array(z.string()),
    duplicatesIgnored: count,
    /** X-reports: shown, never part of the comparison. */
    xReports: z.array(z.object({ id: z.string(), terminalId: z.string(), amount: ore })),
  }),
  /** Terminal minus POS card total. */
  difference: ore,
  unexplained: ore,
  causes: z.array(z.object({ code: z.string(), amount: ore.nullable(), text: z.string() })),
});
export type ReconcileDay = z.infer<typeof reconcileDaySchema>;

export const terminalReportRowSchema = z.object({
  id: z.string(),
  kind: z.enum(['reconciliation', 'z', 'x']),
  source: z.string(),
  bax: z.string().nullable(),
  terminalId: z.string(),
  batchNo: z.string().nullable(),
  closedAt: z.string(),
  /** The business day it counts for (closing time with the cut-over applied). */
  businessDate: isoDate,
  count,
  amount: ore,
  tips: ore,
  cashback: ore,
  schemes: z.array(z.object({ scheme: z.string(), label: z.string(), count, amount: ore })),
  duplicateOf: z.string().nullable(),
  duplicateReason: z.string().nullable(),
  warnings: z.array(z.string()),
});
export type TerminalReportRow = z.infer<typeof terminalReportRowSchema>;

export const reconciliationSchema = z.object({
  cutover: z.string(),
  days: z.array(reconcileDaySchema),
  reports: z.array(terminalReportRowSchema),
});
export type Reconciliation = z.infer<typeof reconciliationSchema>;

/** Why a number is absent from the posted Z-reports (see src/main/sources/gaps.ts). */
export const GAP_REASONS = ['x_report', 'other_register', 'empty_z', 'missing'] as const;
export const DAY_STATES = [...VOUCHER_STATES, 'no_voucher', 'no_report'] as const;
export const numberingSchema = z.object({
  registers: z.array(
    z.object({
      source: z.string(),
      location: z.string(),
      registerId: z.string(),
      /** Every day from the register's first to its last business date; `no_report` where it has no Z. */
      days: z.array(
        z.object({
          date: isoDate,
          state: z.enum(DAY_STATES),
          reports: z.array(
            z.object({
              id: z.number().int(),
              number: z.string(),
              globalSequence: z.number().int().nullable(),
              state: voucherStateSchema.nullable(),
            }),
          ),
        }),
      ),
      gaps: z.array(
        z.object({
          scheme: z.enum(['report', 'sequence']),
          number: z.number().int(),
          reason: z.enum(GAP_REASONS),
          /** The report that holds the number (X-report, other register, the empty Z itself); null when missing. */
          heldBy: z
            .object({ registerId: z.string(), kind: z.enum(['Z', 'X']), number: z.string(), businessDate: isoDate })
            .nullable(),
        }),
      ),
    }),
  ),
  missing: count,
});
export type Numbering = z.infer<typeof numberingSchema>;

const importedReportSchema = z.object({
  registerId: z.string(),
  kind: z.string(),
  number: z.string(),
  businessDate: isoDate,
  warnings: z.array(z.string()),
});
export const IMPORT_FORMATS = ['auto', 'saft', 'sie4', 'csv'] as const;
export const importResultSchema = z.object({
  file: z.string(),
  format: z.enum(['saft', 'sie4', 'csv']),
  imported: z.array(importedReportSchema),
  duplicates: z.array(importedReportSchema),
  conflicts: z.array(importedReportSchema),
  warnings: z.array(z.string()),
  /** The vouchers rebuilt for the active target; null when no accounting system is set up. */
  vouchers: prepareSummarySchema.nullable(),
});
export type ImportResult = z.infer<typeof importResultSchema>;

/** What happened to each report in an imported terminal file (receipt text or settlement CSV). */
export const terminalImportSchema = z.object({
  file: z.string(),
  outcomes: z.array(
    z.object({
      outcome: z.enum(['stored', 'already-stored', 'duplicate', 'not-a-report']),
      id: z.string().nullable(),
      kind: z.enum(['reconciliation', 'z', 'x']).nullable(),
      terminalId: z.string().nullable(),
      batchNo: z.string().nullable(),
      closedAt: z.string().nullable(),
      amount: ore.nullable(),
      /** Why it is a duplicate, or why the print is not a terminal report. */
      reason: z.string().nullable(),
    }),
  ),
});
export type TerminalImport = z.infer<typeof terminalImportSchema>;

const exportedVoucherSchema = z.object({
  voucherId: z.number().int(),
  number: z.number().int().nullable(),
  registerId: z.string(),
  reportNumber: z.string(),
  businessDate: isoDate,
});
export const exportFileSchema = z.object({
  id: z.number().int(),
  fileName: z.string(),
  folder: z.string(),
  state: z.enum(['writing', 'written']),
  from: isoDate.nullable(),
  to: isoDate.nullable(),
  bytes: count.nullable(),
  sha256: z.string().nullable(),
  createdAt: z.string(),
  vouchers: z.array(exportedVoucherSchema),
});
export const fileTargetSchema = z.object({
  id: z.string(),
  kind: targetKindSchema,
  name: z.string(),
  displayName: z.string(),
  /** The folder from the target's settings, if set. */
  folder: z.string().nullable(),
  files: z.array(exportFileSchema),
});
export type FileTarget = z.infer<typeof fileTargetSchema>;
export const exportRunSchema = z.object({
  targetId: z.string(),
  file: z.object({ path: z.string(), name: z.string(), bytes: count, sha256: z.string() }).nullable(),
  exported: z.array(exportedVoucherSchema),
  alreadyExported: count,
  notExported: z.array(z.object({ reportNumber: z.string(), businessDate: z.string(), reason: z.string() })),
  recovered: z.array(z.object({ fileName: z.string(), outcome: z.enum(['completed', 'undone']) })),
});
export type ExportRun = z.infer<typeof exportRunSchema>;

const none = z.object({}).strict();
const withLanguage = z.object({ lang: languageSchema.default('nb') });

function method<A extends z.ZodType, R extends z.ZodType>(kind: 'query' | 'command', args: A, result: R) {
  return { kind, args, result };
}

export const API = {
  status: method('query', none, statusSchema),
  overview: method('query', z.object({ days: z.number().int().min(1).max(366).default(30) }), overviewSchema),
  settlements: method('query', z.object({ kind: z.enum(['Z', 'X']).optional() }), z.array(settlementRowSchema)),
  vouchers: method(
    'query',
    withLanguage.extend({
      states: z.array(voucherStateSchema).optional(),
      settlementId: z.number().int().optional(),
    }),
    z.array(voucherViewSchema),
  ),
  mapping: method('query', none, mappingViewSchema),
  chart: method('query', none, chartViewSchema),
  targets: method('query', none, targetsViewSchema),
  log: method('query', logQuerySchema, logPageSchema),
  logModules: method('query', none, z.array(z.string())),
  logEntry: method('query', z.object({ id: z.number().int() }), logEntrySchema),
  environment: method('query', none, environmentSchema),
  supportBundle: method('query', none, supportBundleSchema),
  loadDemo: method('command', none, prepareSummarySchema),
  setMapping: method(
    'command',
    z.object({
      key: lineKeySchema,
      location: z.string().default(''),
      account: z.string().trim().min(1, 'account must not be empty'),
      vatCode: z.string().trim().min(1).nullable().default(null),
      vatAccount: z.string().trim().min(1).nullable().default(null),
    }),
    prepareSummarySchema,
  ),
  applyPreset: method('command', z.object({ name: z.enum(PRESET_NAMES) }), prepareSummarySchema),
  /** The target's department for a POS location; null removes it. */
  setDepartment: method(
    'command',
    z.object({ location: z.string().min(1), department: z.string().trim().min(1).nullable() }),
    prepareSummarySchema,
  ),
  validate: method('command', none, prepareSummarySchema),
  /** Removes a stored report whose voucher was never sent (a corrupt one, say); refused once handed over. */
  removeSettlement: method(
    'command',
    withLanguage.extend({ id: z.number().int() }),
    z.object({ removed: settlementRefSchema }),
  ),
  /** An error the UI caught; written to the same log files as the engine's (redacted). */
  reportUiError: method(
    'command',
    z.object({ message: z.string().max(2000), stack: z.string().max(8000).optional() }),
    z.object({}),
  ),
  /** The kontooppsett as a JSON file (same shape as `kassebro mapping export`). */
  exportMapping: method('query', none, supportBundleSchema),
  importMapping: method(
    'command',
    z.object({ content: z.string().max(1024 * 1024, 'the file is larger than 1 MB') }),
    prepareSummarySchema,
  ),
  /** Avstemming for the last `days` business days (POS card totals vs terminal), with the terminal reports. */
  reconciliation: method(
    'query',
    withLanguage.extend({ days: z.number().int().min(1).max(366).default(30) }),
    reconciliationSchema,
  ),
  /** Per register: each day's Z-reports and posting state, and every hole in the numbering explained. */
  numbering: method('query', none, numberingSchema),
  /** Imports a SAF-T / SIE4 / CSV file from a path on the machine running the engine. */
  importFile: method(
    'command',
    z.object({
      path: z.string().trim().min(1, 'give the path of a file'),
      format: z.enum(IMPORT_FORMATS).default('auto'),
    }),
    importResultSchema,
  ),
  /** Imports a saved terminal reconciliation (receipt text, any code page) or a provider's settlement CSV by path. */
  importTerminalFile: method(
    'command',
    z.object({ path: z.string().trim().min(1, 'give the path of a file') }),
    terminalImportSchema,
  ),
  /** File targets (SIE4, GBAT10) with the files written so far and which vouchers each holds. */
  fileTargets: method('query', none, z.array(fileTargetSchema)),
  exportFiles: method(
    'command',
    withLanguage.extend({
      targetId: z.string().min(1),
      folder: z.string().trim().min(1).optional(),
      from: isoDate.optional(),
      to: isoDate.optional(),
    }),
    exportRunSchema,
  ),
  /** The setup of one target as the wizard shows it (secrets only as "stored"). */
  targetSetup: method('query', z.object({ targetId: z.string().min(1) }), targetSetupViewSchema),
  /** Creates or changes a target from the wizard's fields; secrets go to the secret store only. */
  saveTargetSetup: method('command', saveTargetSetupArgsSchema, saveTargetSetupResultSchema),
  /** Logs in, fetches the chart and saves it (like `kassebro target test`); failures explained. */
  testConnection: method('command', withLanguage.extend({ targetId: z.string().min(1) }), connectionTestSchema),
  /** Starts an OAuth connect: a loopback listener and the address for the browser; `connect` events follow. */
  startConnect: method('command', z.object({ targetId: z.string().min(1) }), startConnectResultSchema),
  /** Finishes a connect with a code or the whole redirect address pasted by the user. */
  finishConnect: method(
    'command',
    z.object({ targetId: z.string().min(1), code: z.string().trim().min(1, 'paste the code or address') }),
    z.object({ connected: z.literal(true) }),
  ),
  /** The wizard's invoice step: whether and how invoice sales go to the target, each choice explained. */
  invoiceSetup: method('query', withLanguage.extend({ targetId: z.string().min(1) }), invoiceSetupViewSchema),
  /** Saves the invoice choice; a double booking or a mode the target cannot do is refused with the reason. */
  saveInvoiceSetup: method('command', withLanguage.merge(saveInvoiceSetupArgsSchema), saveInvoiceSetupResultSchema),
  /** The wizard's last step: choices, schedule, export-from date; the target becomes the active one. */
  finishSetup: method('command', finishSetupArgsSchema, prepareSummarySchema),
  /** The window's language, remembered by the engine so the tray (and the agent) speak it too. */
  setUiLanguage: method('command', z.object({ lang: languageSchema }), z.object({})),
  /** One sync pass now (optionally putting failed vouchers back first), with progress events. */
  syncNow: method('command', syncNowArgsSchema, syncNowResultSchema),
} as const;

export type ApiMethod = keyof typeof API;
export const API_METHODS = Object.keys(API) as ApiMethod[];
export type ApiArgs<M extends ApiMethod> = z.input<(typeof API)[M]['args']>;
export type ApiParsedArgs<M extends ApiMethod> = z.output<(typeof API)[M]['args']>;
export type ApiResult<M extends ApiMethod> = z.output<(typeof API)[M]['result']>;

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.hasOwn(API, name);
}

/** Pushed by the engine: what changed (so screens reload), progress of long steps, engine health. */
export const apiEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('changed'),
    topics: z.array(z.enum(['status', 'settlements', 'vouchers', 'mapping', 'chart', 'log', 'terminal', 'targets'])),
  }),
  z.object({ type: z.literal('progress'), task: z.string(), done: count, total: count }),
  /** A file being read for importFile: bytes read of its size, and the reports found so far. */
  z.object({
    type: z.literal('importProgress'),
    file: z.string(),
    bytesRead: count,
    totalBytes: count,
    reportsFound: count,
  }),
  z.object({ type: z.literal('engine'), state: z.enum(['running', 'restarting', 'stopped']) }),
  /** How an OAuth connect ended (the browser came back, or it failed / timed out). */
  z.object({
    type: z.literal('connect'),
    targetId: z.string(),
    ok: z.boolean(),
    message: z.string(),
  }),
]);
export type ApiEvent = z.infer<typeof apiEventSchema>;
export type ChangeTopic = Extract<ApiEvent, { type: 'changed' }>['topics'][number];

export const API_ERROR_TYPES = ['invalid_args', 'unknown_method', 'not_found', 'refused', 'internal'] as const;
export type ApiErrorType = (typeof API_ERROR_TYPES)[number];
export const apiErrorSchema = z.object({ type: z.enum(API_ERROR_TYPES), message: z.string() });

/** The only error shape that crosses a process boundary: a type the UI can act on and a sentence. */
export class ApiError extends Error {
  constructor(
    readonly type: ApiErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): z.infer<typeof apiErrorSchema> {
    return { type: this.type, message: this.message };
  }
}

/** One call on the wire (IPC, MessagePort, HTTP). */
export const callRequestSchema = z.object({ id: z.number().int(), method: z.string(), args: z.unknown() });
export type CallRequest = z.infer<typeof callRequestSchema>;
export const callResponseSchema = z.union([
  z.object({ id: z.number().int(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.number().int(), ok: z.literal(false), error: apiErrorSchema }),
]);
export type CallResponse = z.infer<typeof callResponseSchema>;

type ApiFunction<M extends ApiMethod> =
  Record<string, never> extends ApiArgs<M>
    ? (args?: ApiArgs<M>) => Promise<ApiResult<M>>
    : (args: ApiArgs<M>) => Promise<ApiResult<M>>;

/** What the renderer sees as `window.kassebro`: one named function per method, plus events. */
export type KassebroApi = { readonly [M in ApiMethod]: ApiFunction<M> } & {
  onEvent(listener: (event: ApiEvent) => void): () => void;
};

/** Sends one validated call and returns the raw result (or throws ApiError). */
export type CallTransport = (method: ApiMethod, args: unknown) => Promise<unknown>;

/**
 * Builds the named-function API over a transport. Arguments are checked before they leave and
 * results after they arrive, so a mismatch between UI and engine shows as a clear ApiError.
 */
export function createApiClient(
  call: CallTransport,
  subscribe: (listener: (event: ApiEvent) => void) => () => void,
): KassebroApi {
  const functions = Object.fromEntries(
    API_METHODS.map((name) => [
      name,
      async (args: unknown = {}) => {
        const parsed = API[name].args.safeParse(args);
        if (!parsed.success) throw new ApiError('invalid_args', describeZodError(name, parsed.error));
        const result = API[name].result.safeParse(await call(name, parsed.data));
        if (!result.success) throw new ApiError('internal', `Unexpected answer to ${name}: ${result.error.message}`);
        return result.data;
      },
    ]),
  );
  return { ...functions, onEvent: subscribe } as KassebroApi;
}

/** "setMapping: account: account must not be empty" — names the method and the field. */
export function describeZodError(method: string, error: z.ZodError): string {
  const issues = error.issues.map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`);
  return `${method}: ${issues.join('; ')}`;
}

/** Reads a wire response back into a result or a thrown ApiError. */
export function unwrapResponse(raw: unknown): unknown {
  const response = callResponseSchema.safeParse(raw);
  if (!response.success) throw new ApiError('internal', 'The engine sent an answer this version does not understand');
  if (!response.data.ok) throw new ApiError(response.data.error.type, response.data.error.message);
  return response.data.result;
}

/** Electron IPC: one channel per method (the preload exposes named functions, never a generic invoke). */
export function ipcChannel(method: ApiMethod): string {
  return `kassebro:${method}`;
}
export const IPC_EVENT_CHANNEL = 'kassebro:event';
