import { join } from 'node:path';
import { norwegianDay, swedishDay } from '../fixtures/settlements';
import { TARGETS } from '../../src/shared/targets';
import type { ApiTarget, RunningSandbox } from '../../src/main/connectors/api-target';
import { tripletexTarget } from '../../src/main/connectors/tripletex/target';
import type { SettlementDraft } from '../../src/main/domain/settlement';
import { INVOICES_OFF, saveInvoiceConfig, type InvoiceConfig } from '../../src/main/invoices/config';
import type { InvoiceSale } from '../../src/main/invoices/invoice';
import { importInvoiceSales } from '../../src/main/invoices/store';
import { PRESETS } from '../../src/main/mapping/presets';
import { homeSecretStore, type SecretStore } from '../../src/main/secrets/secret-store';
import { openDatabase, type Db } from '../../src/main/store/database';
import { saveKontooppsett } from '../../src/main/store/mappings';
import { importSettlements } from '../../src/main/store/settlements';
import { getTarget, saveTarget, type TargetRecord } from '../../src/main/store/targets';

export const SYNC_TARGET = 'tt';

interface SyncHome {
  db: Db;
  file: string;
  secrets: SecretStore;
  target: () => TargetRecord;
}

/** A shop home with one target of the sandbox's kind pointed at it, its credentials in the home's secret store. */
export async function sandboxHome(
  home: string,
  api: ApiTarget,
  sandbox: RunningSandbox,
  sync: Record<string, unknown> = {},
): Promise<SyncHome> {
  const file = join(home, 'kassebro.sqlite');
  const db = openDatabase(file);
  saveTarget(db, {
    id: SYNC_TARGET,
    kind: api.kind,
    name: `${TARGETS[api.kind].displayName} sandbox`,
    settings: { ...sandbox.targetSettings(), sync },
    secretRef: SYNC_TARGET,
  });
  saveKontooppsett(db, SYNC_TARGET, PRESETS[TARGETS[api.kind].defaultPreset].kontooppsett);
  const secrets = homeSecretStore(home);
  await secrets.set(SYNC_TARGET, sandbox.credentials());
  return {
    db,
    file,
    secrets,
    target: () => {
      const target = getTarget(db, SYNC_TARGET);
      if (!target) throw new Error('target vanished');
      return target;
    },
  };
}

/**
 * A shop home with invoice transfer on for its target (mode etc. from `config`), one Z-report and
 * the invoice sales it contains.
 */
export async function invoiceSyncHome(
  home: string,
  api: ApiTarget,
  sandbox: RunningSandbox,
  day: { report: SettlementDraft; sales: readonly InvoiceSale[] },
  config: Partial<InvoiceConfig> = {},
): Promise<SyncHome> {
  const synced = await sandboxHome(home, api, sandbox);
  saveInvoiceConfig(synced.db, SYNC_TARGET, { ...INVOICES_OFF, enabled: true, ...config }, TARGETS[api.kind].language);
  importSettlements(synced.db, [day.report]);
  importInvoiceSales(synced.db, day.sales);
  return synced;
}

/** A shop home with one Tripletex target pointed at a sandbox started with the Tripletex module. */
export async function tripletexHome(
  home: string,
  sandbox: RunningSandbox,
  sync: Record<string, unknown> = {},
): Promise<SyncHome> {
  return sandboxHome(home, tripletexTarget, sandbox, sync);
}

/** Z-report n of register 10009, one per day from 2026-01-01, a day of the target's country. */
export function zReport(n: number, country: 'NO' | 'SE' = 'NO'): SettlementDraft {
  const date = new Date(Date.UTC(2026, 0, 1) + (n - 1) * 86_400_000).toISOString().slice(0, 10);
  const day = (country === 'SE' ? swedishDay : norwegianDay)({ businessDate: date, reportNumber: `${n}/10009` });
  const { id: _id, importedAt: _importedAt, ...draft } = day;
  return draft;
}

export function importZReports(db: Db, from: number, to: number, country: 'NO' | 'SE' = 'NO'): void {
  const drafts: SettlementDraft[] = [];
  for (let n = from; n <= to; n += 1) drafts.push(zReport(n, country));
  importSettlements(db, drafts);
}
