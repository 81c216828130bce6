import { z } from 'zod';
import { ApiError, type ApiEvent, type ApiParsedArgs, type ApiResult } from '../../shared/api';
import type { Language } from '../../shared/settlement-keys';
import { TARGET_SETUP } from '../../shared/target-setup';
import { isTargetKind, TARGETS } from '../../shared/targets';
import { ConnectorError, explainError } from '../connectors/errors';
import {
  ConnectError,
  finishPendingConnect,
  startOAuthConnect,
  type ConnectAttempt,
} from '../connectors/oauth-connect';
import { connectorFor, hasConnector } from '../connectors/registry';
import type { InvoiceConnector } from '../connectors/invoice-connector';
import { applyInvoiceSetup, invoiceSetupView } from '../invoices/setup';
import { createLogger } from '../log/logger';
import type { SecretStore } from '../secrets/secret-store';
import { saveChart } from '../store/charts';
import type { Db } from '../store/database';
import { setActiveTarget } from '../store/home';
import { appendLog } from '../store/integration-log';
import { loadKontooppsett, saveKontooppsett } from '../store/mappings';
import { readSetting, writeSetting } from '../store/settings';
import { getTarget, saveTarget, type TargetRecord } from '../store/targets';
import { outboxCounts, requeueForPerson, retryFailed, sendableCount } from '../sync/outbox';
import { syncTarget } from '../sync/run-target';
import { scheduleSchema } from '../sync/schedule';
import { syncSettingsOf } from '../sync/settings';
import { applyTargetSetup, TargetSetupError } from '../targets/setup';
import { prepareVouchers, type PrepareSummary } from '../vouchers/prepare';

const log = createLogger('setup');

const lastTestKey = (targetId: string) => `setup.lastTest.${targetId}`;
const namedSchema = z.array(z.object({ code: z.string(), name: z.string() }));
const lastTestSchema = z.object({
  company: z.string(),
  at: z.string(),
  departments: namedSchema,
  voucherSeries: namedSchema,
});

export interface SetupContext {
  readonly db: Db;
  readonly secrets: SecretStore;
  readonly now: () => Date;
  readonly emit: (event: ApiEvent) => void;
}

/**
 * The wizard's and the sync buttons' engine side: setup values in and out (secrets only as
 * "stored"), the connection test with its explained answer, OAuth connects, the last step
 * (choices, schedule, export-from date) and a sync pass on demand.
 */
export class SetupActions {
  private readonly attempts = new Map<string, ConnectAttempt>();

  constructor(private readonly context: SetupContext) {}

  private get db(): Db {
    return this.context.db;
  }

  private target(targetId: string): TargetRecord {
    const target = getTarget(this.db, targetId);
    if (!target) throw new ApiError('not_found', `No target called "${targetId}" is set up`);
    return target;
  }

  async view(targetId: string): Promise<ApiResult<'targetSetup'>> {
    const target = this.target(targetId);
    const setup = TARGET_SETUP[target.kind];
    const stored = target.secretRef ? ((await this.context.secrets.get(target.secretRef)) ?? {}) : {};
    const values: Record<string, string> = {};
    for (const field of setup.fields) {
      const value = target.settings[field.key];
      if (!field.secret && (typeof value === 'string' || typeof value === 'number')) values[field.key] = String(value);
    }
    const sync = syncSettingsOf(target);
    const lastTest = lastTestSchema.safeParse(readSetting(this.db, lastTestKey(target.id)));
    const series = target.settings['voucherSeries'];
    return {
      targetId: target.id,
      kind: target.kind,
      values,
      storedSecrets: setup.fields.filter((field) => field.secret && stored[field.key] !== undefined).map((f) => f.key),
      connected: stored['accessToken'] !== undefined,
      schedule: sync.schedule,
      exportFrom: sync.exportFrom,
      choices: { voucherSeries: typeof series === 'string' ? series : null },
      lastTest: lastTest.success ? lastTest.data : null,
    };
  }

  async save(args: ApiParsedArgs<'saveTargetSetup'>): Promise<ApiResult<'saveTargetSetup'>> {
    if (!isTargetKind(args.kind))
      throw new ApiError('invalid_args', `saveTargetSetup: kind: unknown kind ${args.kind}`);
    let target: TargetRecord;
    try {
      target = await applyTargetSetup(this.db, this.context.secrets, {
        id: args.targetId,
        kind: args.kind,
        values: args.values,
      });
    } catch (error) {
      if (!(error instanceof TargetSetupError)) throw error;
      // The wizard marks the field; the target's name is its "id".
      const key = error.field === 'id' ? 'name' : (error.field ?? 'kind');
      return { targetId: args.targetId, ok: false, errors: [{ key, message: error.message }], storedSecrets: [] };
    }
    appendLog(
      this.db,
      { targetId: target.id, module: 'setup', status: 'info', message: `Setup of ${target.id} saved` },
      this.context.now(),
    );
    this.context.emit({ type: 'changed', topics: ['targets', 'status'] });
    return { targetId: target.id, ok: true, errors: [], storedSecrets: await this.storedSecrets(target) };
  }

  private async storedSecrets(target: TargetRecord): Promise<string[]> {
    const stored = target.secretRef ? ((await this.context.secrets.get(target.secretRef)) ?? {}) : {};
    return TARGET_SETUP[target.kind].fields
      .filter((field) => field.secret && stored[field.key] !== undefined)
      .map((field) => field.key);
  }

  /** Logs in and fetches the chart, like `kassebro target test`; the chart is saved for validation. */
  async test(targetId: string, language: Language): Promise<ApiResult<'testConnection'>> {
    const target = this.target(targetId);
    if (!hasConnector(target.kind))
      throw new ApiError('refused', `${target.id} is a file target; nothing to connect to`);
    const task = 'testConnection';
    const progress = (done: number) => this.context.emit({ type: 'progress', task, done, total: 2 });
    progress(0);
    const connector = connectorFor(target, { secrets: this.context.secrets });
    try {
      const info = await connector.testConnection();
      progress(1);
      appendLog(
        this.db,
        { targetId: target.id, module: 'login', status: 'transferred', message: `Connected to ${info.company}` },
        this.context.now(),
      );
      const chart = await connector.fetchChart();
      saveChart(this.db, target.id, chart.accounts, chart.vatCodes);
      appendLog(
        this.db,
        {
          targetId: target.id,
          module: 'chart',
          status: 'transferred',
          message: `Chart fetched: ${chart.accounts.length} accounts, ${chart.vatCodes?.length ?? 0} VAT codes`,
        },
        this.context.now(),
      );
      const result = {
        company: info.company,
        departments: [...chart.departments],
        voucherSeries: [...chart.voucherSeries],
      };
      writeSetting(this.db, lastTestKey(target.id), { ...result, at: this.context.now().toISOString() });
      progress(2);
      this.context.emit({ type: 'changed', topics: ['targets', 'chart', 'mapping', 'log'] });
      return {
        ok: true,
        ...result,
        accounts: chart.accounts.length,
        inactiveAccounts: chart.accounts.filter((account) => !account.active).length,
        vatCodes: chart.vatCodes?.length ?? 0,
      };
    } catch (error) {
      progress(2);
      if (!(error instanceof ConnectorError)) throw error;
      const explained = explainError(error, language);
      appendLog(
        this.db,
        {
          targetId: target.id,
          module: 'login',
          status: 'not_transferred',
          code: error.code,
          message: explained.explanation,
          targetMessage: error.targetMessage,
        },
        this.context.now(),
      );
      this.context.emit({ type: 'changed', topics: ['log'] });
      return { ok: false, ...explained };
    }
  }

  async startConnect(targetId: string): Promise<ApiResult<'startConnect'>> {
    const target = this.target(targetId);
    await this.attempts.get(targetId)?.close();
    let attempt: ConnectAttempt;
    try {
      attempt = await startOAuthConnect({ target, secrets: this.context.secrets });
    } catch (error) {
      if (error instanceof ConnectError || error instanceof z.ZodError) throw new ApiError('refused', error.message);
      throw error;
    }
    this.attempts.set(targetId, attempt);
    attempt.done.then(
      () => this.connected(target, true, 'connected'),
      (error: Error) => this.connected(target, false, error.message),
    );
    return { url: attempt.url, redirectUri: attempt.redirectUri };
  }

  async finishConnect(targetId: string, code: string): Promise<ApiResult<'finishConnect'>> {
    const target = this.target(targetId);
    const attempt = this.attempts.get(targetId);
    try {
      if (attempt) await attempt.finish(code);
      else await finishPendingConnect({ target, secrets: this.context.secrets }, code);
    } catch (error) {
      if (error instanceof ConnectError || error instanceof ConnectorError) {
        throw new ApiError('refused', error instanceof ConnectorError ? error.targetMessage : error.message);
      }
      throw error;
    }
    if (!attempt) this.connected(target, true, 'connected');
    return { connected: true };
  }

  private connected(target: TargetRecord, ok: boolean, message: string): void {
    this.attempts.delete(target.id);
    appendLog(
      this.db,
      {
        targetId: target.id,
        module: 'login',
        status: ok ? 'transferred' : 'not_transferred',
        message: ok ? 'OAuth connect: tokens stored' : `OAuth connect failed: ${message}`,
      },
      this.context.now(),
    );
    this.context.emit({ type: 'connect', targetId: target.id, ok, message });
    this.context.emit({ type: 'changed', topics: ['targets', 'log'] });
  }

  /** The target's invoice connection, if Kassebro has one for it (building it sends nothing). */
  private invoiceConnector(target: TargetRecord): InvoiceConnector | undefined {
    return hasConnector(target.kind) ? connectorFor(target, { secrets: this.context.secrets }).invoices : undefined;
  }

  invoiceView(targetId: string, language: Language): ApiResult<'invoiceSetup'> {
    const target = this.target(targetId);
    return invoiceSetupView(this.db, target.id, this.invoiceConnector(target), language);
  }

  async saveInvoices(args: ApiParsedArgs<'saveInvoiceSetup'>): Promise<ApiResult<'saveInvoiceSetup'>> {
    const target = this.target(args.targetId);
    const { lang, targetId: _id, ...wanted } = args;
    const result = await applyInvoiceSetup(this.db, target.id, this.invoiceConnector(target), wanted, lang);
    if (!result.saved) return result;
    appendLog(
      this.db,
      {
        targetId: target.id,
        module: 'setup',
        status: 'info',
        message: wanted.enabled
          ? `Invoice transfer on (${wanted.mode}); new customers from ${wanted.customerNumberStart}`
          : 'Invoice transfer off',
      },
      this.context.now(),
    );
    this.context.emit({ type: 'changed', topics: ['targets', 'log'] });
    return { saved: true, numberSeries: result.numberSeries };
  }

  /** Choices, schedule and export-from date; the target becomes the one the app works with. */
  finish(args: ApiParsedArgs<'finishSetup'>): PrepareSummary {
    const target = this.target(args.targetId);
    this.context.emit({ type: 'progress', task: 'finishSetup', done: 0, total: 1 });
    const schedule = scheduleSchema.parse(args.schedule);
    const settings: Record<string, unknown> = {
      ...target.settings,
      sync: { schedule, exportFrom: args.exportFrom },
    };
    if (args.voucherSeries) settings['voucherSeries'] = args.voucherSeries;
    saveTarget(this.db, { ...target, settings }, this.context.now());
    if (args.departments.length > 0) {
      const kontooppsett = loadKontooppsett(this.db, target.id);
      const chosen = new Set(args.departments.map((entry) => entry.location));
      saveKontooppsett(this.db, target.id, {
        ...kontooppsett,
        departments: [...kontooppsett.departments.filter((entry) => !chosen.has(entry.location)), ...args.departments],
      });
    }
    setActiveTarget(this.db, target.id);
    appendLog(
      this.db,
      {
        targetId: target.id,
        module: 'setup',
        status: 'info',
        message: `${TARGETS[target.kind].displayName} set up: schedule ${schedule.kind}, export from ${args.exportFrom ?? 'the first Z-report'}`,
      },
      this.context.now(),
    );
    const summary = prepareVouchers(this.db, target.id, this.context.now());
    this.context.emit({ type: 'progress', task: 'finishSetup', done: 1, total: 1 });
    this.context.emit({ type: 'changed', topics: ['targets', 'status', 'vouchers', 'mapping', 'chart', 'log'] });
    return summary;
  }

  /** One sync pass now; failed vouchers (all, or one) are put back and rebuilt from the current mapping first. */
  async syncNow(args: ApiParsedArgs<'syncNow'>, activeId: string | undefined): Promise<ApiResult<'syncNow'>> {
    const targetId = args.targetId ?? activeId;
    if (!targetId) throw new ApiError('not_found', 'No accounting system is set up yet');
    const target = this.target(targetId);
    if (!hasConnector(target.kind)) throw new ApiError('refused', `${target.id} is a file target: use "Lag fil"`);
    if (target.secretRef === null) {
      throw new ApiError('refused', `${target.id} has no login to send with; set up an accounting system first`);
    }
    const now = this.context.now();
    const requeued =
      args.voucherId !== undefined
        ? requeueForPerson(this.db, target.id, now, { voucherId: args.voucherId })
        : args.retryFailed
          ? requeueForPerson(this.db, target.id, now) + retryFailed(this.db, 'invoice_outbox', target.id, now)
          : 0;
    if (args.voucherId !== undefined && requeued === 0) {
      throw new ApiError('refused', `Voucher ${args.voucherId} does not wait for a person (already sent or queued)`);
    }
    const task = 'syncNow';
    const pending = () => {
      const counts = outboxCounts(this.db, target.id);
      return counts.queued + counts.sending;
    };
    prepareVouchers(this.db, target.id, now);
    // What this pass will send: ready vouchers from the export-from date on, and the queue.
    const exportFrom = syncSettingsOf(target).exportFrom;
    const readyNow = sendableCount(this.db, target.id, exportFrom);
    this.context.emit({ type: 'progress', task, done: 0, total: readyNow });
    // The sync engine has no per-voucher callback; the outbox on disk is the truth, so read it.
    const ticker = setInterval(() => {
      this.context.emit({ type: 'progress', task, done: Math.max(0, readyNow - pending()), total: readyNow });
      this.context.emit({ type: 'changed', topics: ['status'] });
    }, 300);
    try {
      const { invoices, ...vouchers } = await syncTarget(this.db, target, { secrets: this.context.secrets });
      const counts = outboxCounts(this.db, target.id);
      return {
        targetId: target.id,
        ...vouchers,
        requeued,
        queued: counts.queued + counts.sending,
        waitingForPerson: counts.waitingForPerson,
        invoicesPosted: invoices?.posted ?? 0,
        invoicesFailed: invoices?.failed ?? 0,
      };
    } catch (error) {
      log.error(`sync of ${target.id} failed`, error);
      throw error;
    } finally {
      clearInterval(ticker);
      this.context.emit({ type: 'progress', task, done: readyNow, total: readyNow });
      this.context.emit({ type: 'changed', topics: ['status', 'vouchers', 'log', 'settlements'] });
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.attempts.values()].map((attempt) => attempt.close()));
  }
}
