import {
  ApiError,
  describeZodError,
  languageSchema,
  VOUCHER_STATES,
  type ApiEvent,
  type ApiMethod,
  type ApiParsedArgs,
  type ApiResult,
  type ChangeTopic,
  type ExplainedProblem,
  type MappingCheck,
  type MappingRow,
  type TargetSummary,
} from '../../shared/api';
import { describeProblem, describeSettlement, type Problem } from '../../shared/problems';
import type { Language } from '../../shared/settlement-keys';
import { TARGET_KINDS, TARGETS, usesBasChart } from '../../shared/targets';
import { runDemo, salesByRate } from '../demo/run-demo';
import { runTerminalDemo } from '../terminal/demo';
import { importTerminalFile } from '../terminal/import-file';
import type { FileImportOutcome } from '../sources/import-file';
import { importFileInWorker } from '../sources/parse-in-worker';
import { SourceError } from '../sources/source-error';
import { sameVatCode, type Chart } from '../domain/chart';
import { grossSales, hasCountableAmounts, type Settlement } from '../domain/settlement';
import { countInvoicesByState } from '../invoices/store';
import { asFileAccessError } from '../log/io-error';
import { createLogger } from '../log/logger';
import { redact } from '../log/redact';
import type { MappingEntry } from '../mapping/kontooppsett';
import { kontooppsettSchema, listedKeys, resolveMapping, withEntry } from '../mapping/kontooppsett';
import { PRESETS } from '../mapping/presets';
import { dirname } from 'node:path';
import { resourcesDir } from '../paths';
import { loadChart } from '../store/charts';
import { schemaVersion, type Db } from '../store/database';
import { activeTargetId, homeKind } from '../store/home';
import { appendLog, listLog } from '../store/integration-log';
import { getLogEntry, logModules, pageLog } from '../store/integration-log-query';
import { loadKontooppsett, saveKontooppsett } from '../store/mappings';
import {
  appliedMigrations,
  countVouchersByState,
  settlementCounts,
  settlementAccountKeys,
  settlementLocations,
} from '../store/overview-queries';
import { removeSettlement } from '../store/remove-settlement';
import { listSettlements } from '../store/settlements';
import { getTarget, listTargets, type TargetRecord } from '../store/targets';
import { listVouchers } from '../store/vouchers';
import { prepareVouchers, type PrepareSummary } from '../vouchers/prepare';
import { isBalanced } from '../vouchers/voucher';
import { apiTarget, hasConnector } from '../connectors/registry';
import { isFileFormatKind } from '../exports/formats';
import { homeSecretStore, type SecretStore } from '../secrets/secret-store';
import { nextRun } from '../sync/schedule';
import { syncSettingsOf } from '../sync/settings';
import { readSetting, writeSetting } from '../store/settings';
import { SetupActions } from './setup-actions';
import { fileTargetsView, runFileExport } from './views/file-exports';
import { numberingView } from './views/numbering';
import { reconciliationView } from './views/reconciliation';

export interface EngineOptions {
  readonly db: Db;
  readonly databaseFile: string;
  readonly appVersion: string;
  readonly now?: () => Date;
  /** Where target credentials are kept; default: the encrypted store beside the database. */
  readonly secrets?: SecretStore;
}

export type ApiHandlers = {
  readonly [M in ApiMethod]: (args: ApiParsedArgs<M>) => ApiResult<M> | Promise<ApiResult<M>>;
};

const uiLog = createLogger('ui');
const UI_LANGUAGE_SETTING = 'ui.language';

/** The rows of the support bundle's log excerpt: enough to see a pattern, small enough to mail. */
const SUPPORT_LOG_ROWS = 200;

/**
 * The engine behind the UI: implements every API method over the store. It runs inside
 * Electron's utilityProcess, inside `kassebro serve`, or in a test, and imports nothing from
 * Electron. Arguments arrive already validated (see dispatch.ts).
 */
export class Engine {
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private readonly now: () => Date;
  private readonly setup: SetupActions;

  constructor(private readonly options: EngineOptions) {
    this.now = options.now ?? (() => new Date());
    this.setup = new SetupActions({
      db: options.db,
      secrets: options.secrets ?? homeSecretStore(dirname(options.databaseFile)),
      now: this.now,
      emit: (event) => this.emit(event),
    });
  }

  /** The background agent did something (imported, sent): screens and the tray reload. */
  notifyBackgroundWork(): void {
    this.changed('status', 'settlements', 'vouchers', 'log');
  }

  /** The language the window last chose: the engine's own refusals speak it too. */
  language(): Language {
    return languageSchema.catch('nb').parse(readSetting(this.db, UI_LANGUAGE_SETTING) ?? 'nb');
  }

  /** Stops what the engine started by itself (OAuth listeners). */
  close(): Promise<void> {
    return this.setup.close();
  }

  private get db(): Db {
    return this.options.db;
  }

  onEvent(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ApiEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  private changed(...topics: ChangeTopic[]): void {
    this.emit({ type: 'changed', topics });
  }

  private activeTarget(): TargetRecord {
    const id = activeTargetId(this.db);
    const target = id ? getTarget(this.db, id) : undefined;
    if (!target) throw new ApiError('not_found', 'No accounting system is set up yet; load the demo or run setup.');
    return target;
  }

  private summary(target: TargetRecord): TargetSummary {
    const definition = TARGETS[target.kind];
    return {
      id: target.id,
      kind: target.kind,
      name: target.name,
      displayName: definition.displayName,
      transport: definition.transport,
      hasLogin: target.secretRef !== null,
    };
  }

  /** Rebuilds every unsent voucher so screens show the consequence of a change at once. */
  private revalidate(target: TargetRecord, task: string): PrepareSummary {
    this.emit({ type: 'progress', task, done: 0, total: 1 });
    const summary = prepareVouchers(this.db, target.id, this.now());
    this.emit({ type: 'progress', task, done: 1, total: 1 });
    this.changed('status', 'vouchers', 'mapping', 'log');
    return summary;
  }

  readonly handlers: ApiHandlers = {
    status: () => {
      const id = activeTargetId(this.db);
      const target = id ? getTarget(this.db, id) : undefined;
      const counts = target ? countVouchersByState(this.db, target.id) : {};
      return {
        homeKind: homeKind(this.db) ?? null,
        activeTarget: target ? this.summary(target) : null,
        vouchers: Object.fromEntries(
          VOUCHER_STATES.map((state) => [state, counts[state] ?? 0]),
        ) as ApiResult<'status'>['vouchers'],
        settlements: settlementCounts(this.db),
        invoices: target
          ? countInvoicesByState(this.db, target.id)
          : { queued: 0, sending: 0, posted: 0, failed: 0, held: 0 },
        language: this.language(),
        ...(target ? syncTimes(this.db, target, this.now()) : { lastSyncAt: null, nextRunAt: null }),
      };
    },

    overview: ({ days }) => {
      const byDate = new Map<string, Settlement[]>();
      // A report too large to count is refused on its own (its voucher says so) and left out of the totals.
      for (const settlement of listSettlements(this.db, { kind: 'Z' }).filter(hasCountableAmounts)) {
        const list = byDate.get(settlement.businessDate) ?? [];
        list.push(settlement);
        byDate.set(settlement.businessDate, list);
      }
      const dates = [...byDate.keys()].sort().slice(-days);
      return {
        status: this.handlers.status({}) as ApiResult<'status'>,
        dailySales: dates.map((date) => ({
          date,
          rates: salesByRate((byDate.get(date) ?? []).flatMap((settlement) => settlement.lines)),
        })),
      };
    },

    settlements: ({ kind }) => {
      const id = activeTargetId(this.db);
      const states = new Map(
        id ? listVouchers(this.db, { targetId: id }).map((stored) => [stored.settlementId, stored.state]) : [],
      );
      return listSettlements(this.db, kind ? { kind } : {}).map((settlement) => ({
        id: settlement.id,
        registerId: settlement.registerId,
        reportNumber: settlement.reportNumber,
        businessDate: settlement.businessDate,
        kind: settlement.kind,
        location: settlement.location,
        globalSequence: settlement.globalSequence ?? null,
        closedAt: settlement.closedAt ?? null,
        grossSales: grossSales(settlement),
        voucherState: states.get(settlement.id) ?? null,
      }));
    },

    vouchers: ({ lang, states, settlementId }) => {
      const target = this.activeTarget();
      return listVouchers(this.db, {
        targetId: target.id,
        ...(states ? { states } : {}),
        ...(settlementId !== undefined ? { settlementId } : {}),
      }).map((stored) => ({
        id: stored.id,
        settlement:
          stored.voucher?.settlement ?? stored.problems[0]?.settlement ?? this.settlementRef(stored.settlementId),
        state: stored.state,
        date: stored.voucher?.date ?? null,
        description: stored.voucher?.description ?? null,
        lines: stored.voucher ? [...stored.voucher.lines] : [],
        balanced: stored.voucher ? isBalanced(stored.voucher) : false,
        problems: stored.problems.map((problem) => explain(problem, lang)),
        idempotencyKey: stored.idempotencyKey,
        externalId: stored.externalId,
      }));
    },

    mapping: () => {
      const target = this.activeTarget();
      const kontooppsett = loadKontooppsett(this.db, target.id);
      const chart = loadChart(this.db, target.id);
      const basChart = usesBasChart(TARGETS[target.kind]);
      const rows = listedKeys(kontooppsett, settlementAccountKeys(this.db)).flatMap((key): MappingRow[] => {
        const entries = kontooppsett.entries.filter((entry) => entry.key === key);
        if (entries.length === 0) {
          // A POS account on a BAS target shows the account it posts to until someone maps it elsewhere.
          const account = resolveMapping(kontooppsett, key, '', basChart)?.account ?? null;
          const accountName = account ? (chart?.accounts.get(account)?.name ?? null) : null;
          return [{ key, location: '', account, accountName, vatCode: null, vatAccount: null, checks: [] }];
        }
        return entries.map((entry) => ({
          key,
          location: entry.location,
          account: entry.account,
          accountName: chart?.accounts.get(entry.account)?.name ?? null,
          vatCode: entry.vatCode,
          vatAccount: entry.vatAccount,
          checks: chart ? checkEntry(entry, chart) : [],
        }));
      });
      return {
        targetId: target.id,
        targetKind: target.kind,
        vatStyle: TARGETS[target.kind].vatStyle.kind,
        rows,
        departments: kontooppsett.departments,
        locations: settlementLocations(this.db),
        presets: Object.values(PRESETS).map((preset) => ({ name: preset.name, description: preset.description })),
      };
    },

    chart: () => {
      const target = this.activeTarget();
      const chart = loadChart(this.db, target.id);
      return {
        targetId: target.id,
        accounts: chart ? [...chart.accounts.values()].sort((a, b) => a.number.localeCompare(b.number)) : [],
        vatCodes: chart?.vatCodes ? [...chart.vatCodes.values()] : null,
      };
    },

    targets: () => ({
      activeTargetId: activeTargetId(this.db) ?? null,
      targets: listTargets(this.db).map((target) => this.summary(target)),
      kinds: TARGET_KINDS.map((kind) => ({
        kind,
        displayName: TARGETS[kind].displayName,
        country: TARGETS[kind].country,
        transport: TARGETS[kind].transport,
        defaultPreset: TARGETS[kind].defaultPreset,
        available: TARGETS[kind].transport === 'api' ? hasConnector(kind) : isFileFormatKind(kind),
        oauth: apiTarget(kind)?.oauth !== undefined,
      })),
    }),

    log: ({ offset, limit, status, module, from, to }) => ({
      offset,
      ...pageLog(this.db, { status, module, from, to }, offset, limit),
    }),

    logModules: () => logModules(this.db),

    logEntry: ({ id }) => {
      const entry = getLogEntry(this.db, id);
      if (!entry) throw new ApiError('not_found', `Log entry ${id} does not exist`);
      return entry;
    },

    environment: () => ({
      appVersion: this.options.appVersion,
      versions: Object.fromEntries(
        Object.entries({
          node: process.versions.node,
          electron: process.versions['electron'],
          chrome: process.versions['chrome'],
          v8: process.versions.v8,
          sqlite: (this.db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v,
        }).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
      ),
      platform: process.platform,
      arch: process.arch,
      databaseFile: this.options.databaseFile,
      resourcesDir: resourcesDir(),
      schemaVersion: schemaVersion(this.db),
      migrations: appliedMigrations(this.db),
    }),

    supportBundle: () => {
      const at = this.now();
      const settings = this.db.prepare('SELECT key, value FROM settings ORDER BY key').all() as {
        key: string;
        value: string;
      }[];
      const bundle = {
        kind: 'kassebro-support-bundle',
        generatedAt: at.toISOString(),
        environment: this.handlers.environment({}),
        status: this.handlers.status({}),
        settings: Object.fromEntries(settings.map((row) => [row.key, JSON.parse(row.value) as unknown])),
        targets: listTargets(this.db).map(({ secretRef, ...target }) => ({ ...target, hasSecret: secretRef !== null })),
        log: listLog(this.db, SUPPORT_LOG_ROWS),
      };
      const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
      return {
        fileName: `kassebro-support-${stamp}.json`,
        content: `${JSON.stringify(redact(bundle), null, 2)}\n`,
      };
    },

    loadDemo: () => {
      this.emit({ type: 'progress', task: 'loadDemo', done: 0, total: 1 });
      const demo = runDemo(this.db, this.options.databaseFile, this.now());
      // The demo shop's card terminal, with its planted difference, so the Avstemming screen has a week to show.
      runTerminalDemo(this.db, this.now());
      this.emit({ type: 'progress', task: 'loadDemo', done: 1, total: 1 });
      this.changed('status', 'settlements', 'vouchers', 'mapping', 'chart', 'log', 'terminal');
      return { zReports: demo.settlements.z, ...demo.vouchers };
    },

    setMapping: (entry) => {
      const target = this.activeTarget();
      saveKontooppsett(this.db, target.id, withEntry(loadKontooppsett(this.db, target.id), entry));
      appendLog(
        this.db,
        {
          targetId: target.id,
          module: 'mapping',
          status: 'info',
          message: `Mapped ${entry.key}${entry.location ? ` at location ${entry.location}` : ''} to ${entry.account}${entry.vatCode ? ` with VAT code ${entry.vatCode}` : ''}`,
        },
        this.now(),
      );
      return pickCounts(this.revalidate(target, 'setMapping'));
    },

    applyPreset: ({ name }) => {
      const target = this.activeTarget();
      const current = loadKontooppsett(this.db, target.id);
      // A preset replaces the account rows but keeps the shop's department mapping.
      saveKontooppsett(this.db, target.id, {
        entries: PRESETS[name].kontooppsett.entries,
        departments: current.departments,
      });
      appendLog(
        this.db,
        { targetId: target.id, module: 'mapping', status: 'info', message: `Applied preset ${name}` },
        this.now(),
      );
      return pickCounts(this.revalidate(target, 'applyPreset'));
    },

    setDepartment: ({ location, department }) => {
      const target = this.activeTarget();
      const current = loadKontooppsett(this.db, target.id);
      const others = current.departments.filter((entry) => entry.location !== location);
      saveKontooppsett(this.db, target.id, {
        ...current,
        departments: department === null ? others : [...others, { location, department }],
      });
      appendLog(
        this.db,
        {
          targetId: target.id,
          module: 'mapping',
          status: 'info',
          message:
            department === null
              ? `Location ${location} has no department`
              : `Location ${location} posts to department ${department}`,
        },
        this.now(),
      );
      return pickCounts(this.revalidate(target, 'setDepartment'));
    },

    reportUiError: ({ message, stack }) => {
      uiLog.error(message, stack === undefined ? undefined : { stack });
      return {};
    },

    validate: () => pickCounts(this.revalidate(this.activeTarget(), 'validate')),

    removeSettlement: ({ id, lang }) => {
      const removed = removeSettlement(this.db, id, lang, this.now());
      this.changed('status', 'settlements', 'vouchers', 'log');
      return { removed };
    },

    exportMapping: () => {
      const target = this.activeTarget();
      const document = { target: target.id, targetKind: target.kind, ...loadKontooppsett(this.db, target.id) };
      return { fileName: `kontooppsett-${target.id}.json`, content: `${JSON.stringify(document, null, 2)}\n` };
    },

    importMapping: ({ content }) => {
      const target = this.activeTarget();
      let document: unknown;
      try {
        document = JSON.parse(content);
      } catch (error) {
        throw new ApiError('invalid_args', `The mapping file is not JSON: ${(error as Error).message}`);
      }
      const parsed = kontooppsettSchema.safeParse(document);
      if (!parsed.success) throw new ApiError('invalid_args', describeZodError('mapping file', parsed.error));
      saveKontooppsett(this.db, target.id, parsed.data);
      appendLog(
        this.db,
        {
          targetId: target.id,
          module: 'mapping',
          status: 'info',
          message: `Imported a mapping with ${parsed.data.entries.length} rows`,
        },
        this.now(),
      );
      return pickCounts(this.revalidate(target, 'importMapping'));
    },

    reconciliation: ({ days, lang }) => reconciliationView(this.db, days, lang),

    numbering: () => {
      const id = activeTargetId(this.db);
      const states = new Map(
        id ? listVouchers(this.db, { targetId: id }).map((stored) => [stored.settlementId, stored.state]) : [],
      );
      return numberingView(this.db, states);
    },

    importFile: async ({ path, format }) => {
      let outcome: FileImportOutcome;
      try {
        // Read in a worker thread so the engine keeps answering; stored here, all or nothing.
        outcome = await importFileInWorker(this.db, path, format, {
          now: this.now(),
          onProgress: (progress) => this.emit({ type: 'importProgress', file: path, ...progress }),
        });
      } catch (error) {
        // The reader names file, line and field; the owner sees that sentence as it is.
        if (error instanceof SourceError) throw new ApiError('refused', error.message);
        throw error;
      }
      const id = activeTargetId(this.db);
      const target = id ? getTarget(this.db, id) : undefined;
      const vouchers = target ? pickCounts(this.revalidate(target, 'importFile')) : null;
      this.changed('status', 'settlements', 'vouchers', 'log');
      const reports = (list: typeof outcome.imported) =>
        list.map((report) => ({
          registerId: report.registerId,
          kind: report.kind,
          number: report.number,
          businessDate: report.businessDate,
          warnings: [...report.warnings],
        }));
      return {
        file: outcome.file,
        format: outcome.format,
        imported: reports(outcome.imported),
        duplicates: reports(outcome.duplicates),
        conflicts: reports(outcome.conflicts),
        warnings: [...outcome.warnings],
        vouchers,
      };
    },

    importTerminalFile: ({ path }) => {
      let outcomes: ReturnType<typeof importTerminalFile>;
      try {
        outcomes = importTerminalFile(this.db, path, { now: this.now() });
      } catch (error) {
        if (error instanceof SourceError) throw new ApiError('refused', error.message);
        throw asFileAccessError(error, path) ?? error;
      }
      this.changed('terminal', 'log');
      return {
        file: path,
        outcomes: outcomes.map((entry) =>
          entry.outcome === 'not-a-report'
            ? {
                outcome: entry.outcome,
                id: null,
                kind: null,
                terminalId: null,
                batchNo: null,
                closedAt: null,
                amount: null,
                reason: entry.reason,
              }
            : {
                outcome: entry.outcome,
                id: entry.id,
                kind: entry.report.kind,
                terminalId: entry.report.terminalId,
                batchNo: entry.report.batchNo ?? null,
                closedAt: entry.report.closedAt,
                amount: entry.report.totals.amount,
                reason: entry.outcome === 'duplicate' ? entry.reason : null,
              },
        ),
      };
    },

    fileTargets: () => fileTargetsView(this.db),

    targetSetup: ({ targetId }) => this.setup.view(targetId),
    saveTargetSetup: (args) => this.setup.save(args),
    testConnection: ({ targetId, lang }) => this.setup.test(targetId, lang),
    startConnect: ({ targetId }) => this.setup.startConnect(targetId),
    finishConnect: ({ targetId, code }) => this.setup.finishConnect(targetId, code),
    invoiceSetup: ({ targetId, lang }) => this.setup.invoiceView(targetId, lang),
    saveInvoiceSetup: (args) => this.setup.saveInvoices(args),
    finishSetup: (args) => pickCounts(this.setup.finish(args)),
    setUiLanguage: ({ lang }) => {
      writeSetting(this.db, UI_LANGUAGE_SETTING, lang);
      this.changed('status');
      return {};
    },
    syncNow: (args) => this.setup.syncNow(args, activeTargetId(this.db)),

    exportFiles: (args) => {
      const result = runFileExport(this.db, args, this.now());
      this.changed('status', 'vouchers', 'log');
      return result;
    },
  };

  private settlementRef(id: number): ApiResult<'vouchers'>[number]['settlement'] {
    const settlement = listSettlements(this.db, { ids: [id] })[0];
    if (!settlement) throw new ApiError('not_found', `Settlement ${id} does not exist`);
    return {
      id: settlement.id,
      registerId: settlement.registerId,
      reportNumber: settlement.reportNumber,
      businessDate: settlement.businessDate,
      kind: settlement.kind,
    };
  }
}

/** When the target last took a voucher, and when its schedule fires next (null for on-close / never). */
function syncTimes(db: Db, target: TargetRecord, now: Date): { lastSyncAt: string | null; nextRunAt: string | null } {
  const last = db.prepare('SELECT MAX(posted_at) AS at FROM vouchers WHERE target_id = ?').get(target.id) as {
    at: string | null;
  };
  const next = hasConnector(target.kind) ? nextRun(syncSettingsOf(target).schedule, now) : null;
  return { lastSyncAt: last.at, nextRunAt: next?.toISOString() ?? null };
}

function explain(problem: Problem, lang: Language): ExplainedProblem {
  const message = describeProblem(problem, lang);
  const report = `${describeSettlement(problem.settlement, lang)}: `;
  return {
    code: problem.code,
    severity: problem.severity,
    key: problem.key ?? null,
    account: problem.account ?? null,
    message,
    short: message.startsWith(report) ? message.slice(report.length) : message,
  };
}

function pickCounts(summary: PrepareSummary): ApiResult<'validate'> {
  return {
    zReports: summary.zReports,
    ready: summary.ready,
    blocked: summary.blocked,
    skipped: summary.skipped,
    frozen: summary.frozen,
  };
}

/** The same checks the voucher builder makes, for one mapping row, before any voucher exists. */
export function checkEntry(entry: MappingEntry, chart: Chart): MappingCheck[] {
  const checks: MappingCheck[] = [];
  const account = chart.accounts.get(entry.account);
  if (!account) return [{ code: 'account_missing', lockedVatCode: null }];
  if (!account.active) checks.push({ code: 'account_inactive', lockedVatCode: null });
  if (entry.vatCode !== null && entry.vatCode !== '0' && chart.vatCodes && !chart.vatCodes.has(entry.vatCode)) {
    checks.push({ code: 'vat_code_unknown', lockedVatCode: null });
  } else if (account.lockedVatCode !== null && !sameVatCode(account.lockedVatCode, entry.vatCode)) {
    checks.push({ code: 'vat_code_locked', lockedVatCode: account.lockedVatCode });
  }
  return checks;
}
