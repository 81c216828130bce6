import { TARGETS } from '../../shared/targets';
import type { ConnectorTuning } from '../connectors/connector';
import { connectorFor, hasConnector } from '../connectors/registry';
import type { SecretStore } from '../secrets/secret-store';
import type { Db } from '../store/database';
import type { TargetRecord } from '../store/targets';
import { prepareVouchers } from '../vouchers/prepare';
import { ExchangeRecorder, runSync, type SyncRunResult } from './engine';
import { retryFailed } from './outbox';
import { syncSettingsOf } from './settings';

export interface SyncTargetOptions {
  readonly secrets: SecretStore;
  readonly tuning?: Partial<ConnectorTuning>;
  /** Put vouchers that wait for a person (failed, not retried automatically) back in the queue first. */
  readonly retryFailed?: boolean;
  readonly now?: () => Date;
}

/** Builds the target's vouchers from the stored Z-reports, then sends its outbox once. */
export async function syncTarget(db: Db, target: TargetRecord, options: SyncTargetOptions): Promise<SyncRunResult> {
  if (!hasConnector(target.kind)) throw new Error(`Target "${target.id}" (${target.kind}) is not an API target`);
  const now = options.now ?? (() => new Date());
  prepareVouchers(db, target.id, now());
  if (options.retryFailed) retryFailed(db, target.id, now());
  const recorder = new ExchangeRecorder();
  const connector = connectorFor(target, {
    secrets: options.secrets,
    onExchange: recorder.record,
    tuning: options.tuning,
  });
  const settings = syncSettingsOf(target);
  return runSync(db, {
    targetId: target.id,
    connector,
    recorder,
    language: TARGETS[target.kind].language,
    exportFrom: settings.exportFrom,
    now,
  });
}
