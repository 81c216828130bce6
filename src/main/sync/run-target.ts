import { TARGETS } from '../../shared/targets';
import { DEFAULT_TUNING, type ConnectorTuning } from '../connectors/connector';
import { connectorFor, hasConnector, tuningFor } from '../connectors/registry';
import type { SecretStore } from '../secrets/secret-store';
import type { Db } from '../store/database';
import type { TargetRecord } from '../store/targets';
import { loadInvoiceConfig } from '../invoices/config';
import { runInvoiceSync, type InvoiceRunResult } from '../invoices/sync';
import { prepareVouchers } from '../vouchers/prepare';
import { lookupDelayOf } from './delivery';
import { ExchangeRecorder, runSync, type SyncRunResult } from './engine';
import { requeueForPerson, retryFailed } from './outbox';
import { syncSettingsOf } from './settings';

export interface SyncTargetOptions {
  readonly secrets: SecretStore;
  readonly tuning?: Partial<ConnectorTuning>;
  /** Put vouchers that wait for a person (failed, not retried automatically) back in the queue first. */
  readonly retryFailed?: boolean;
  readonly now?: () => Date;
}

export interface TargetSyncResult extends SyncRunResult {
  /** Present when invoice transfer is on for the target and its connector takes invoices. */
  readonly invoices?: InvoiceRunResult;
}

/**
 * Builds the target's vouchers from the stored Z-reports (queuing the invoices they clear), then
 * sends its voucher outbox once and, when invoice transfer is on, its invoice outbox.
 */
export async function syncTarget(db: Db, target: TargetRecord, options: SyncTargetOptions): Promise<TargetSyncResult> {
  if (!hasConnector(target.kind)) throw new Error(`Target "${target.id}" (${target.kind}) is not an API target`);
  const now = options.now ?? (() => new Date());
  if (options.retryFailed) {
    // Back to 'ready' first, so the rebuild below applies the mapping the person just fixed.
    requeueForPerson(db, target.id, now(), { includeScheduled: true });
    retryFailed(db, 'invoice_outbox', target.id, now());
  }
  prepareVouchers(db, target.id, now());
  const recorder = new ExchangeRecorder();
  const connector = connectorFor(target, {
    secrets: options.secrets,
    onExchange: recorder.record,
    tuning: options.tuning,
  });
  const settings = syncSettingsOf(target);
  const language = TARGETS[target.kind].language;
  const lookupDelay = lookupDelayOf({ ...DEFAULT_TUNING, ...tuningFor(target, options.tuning) });
  const vouchers = await runSync(db, {
    targetId: target.id,
    connector,
    recorder,
    language,
    exportFrom: settings.exportFrom,
    lookupDelay,
    now,
  });
  const invoiceConfig = loadInvoiceConfig(db, target.id);
  if (!invoiceConfig.enabled || !connector.invoices || vouchers.outcome !== 'done') return vouchers;
  const invoices = await runInvoiceSync(db, {
    targetId: target.id,
    connector: connector.invoices,
    config: invoiceConfig,
    language,
    recorder,
    lookupDelay,
    now,
  });
  return { ...vouchers, invoices };
}
