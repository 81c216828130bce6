import { join } from 'node:path';
import { norwegianDay } from '../fixtures/settlements';
import type { SettlementDraft } from '../../src/main/domain/settlement';
import { PRESETS } from '../../src/main/mapping/presets';
import { TRIPLETEX_SANDBOX_DEFAULTS } from '../../src/main/sandboxes/tripletex';
import { homeSecretStore, type SecretStore } from '../../src/main/secrets/secret-store';
import { openDatabase, type Db } from '../../src/main/store/database';
import { saveKontooppsett } from '../../src/main/store/mappings';
import { importSettlements } from '../../src/main/store/settlements';
import { getTarget, saveTarget, type TargetRecord } from '../../src/main/store/targets';

export const SYNC_TARGET = 'tt';

/** A shop home with one Tripletex target pointed at a sandbox, its tokens in the home's secret store. */
export async function tripletexHome(
  home: string,
  sandboxUrl: string,
  sync: Record<string, unknown> = {},
): Promise<{ db: Db; file: string; secrets: SecretStore; target: () => TargetRecord }> {
  const file = join(home, 'kassebro.sqlite');
  const db = openDatabase(file);
  saveTarget(db, {
    id: SYNC_TARGET,
    kind: 'tripletex',
    name: 'Tripletex sandbox',
    settings: { baseUrl: `${sandboxUrl}/v2`, sync },
    secretRef: SYNC_TARGET,
  });
  saveKontooppsett(db, SYNC_TARGET, PRESETS['no-standard'].kontooppsett);
  const secrets = homeSecretStore(home);
  await secrets.set(SYNC_TARGET, {
    consumerToken: TRIPLETEX_SANDBOX_DEFAULTS.consumerToken,
    employeeToken: TRIPLETEX_SANDBOX_DEFAULTS.employeeToken,
  });
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

/** Z-report n of register 10009, one per day from 2026-01-01 (a Norwegian day with distinct amounts). */
export function zReport(n: number): SettlementDraft {
  const date = new Date(Date.UTC(2026, 0, 1) + (n - 1) * 86_400_000).toISOString().slice(0, 10);
  const day = norwegianDay({ businessDate: date, reportNumber: `${n}/10009` });
  const { id: _id, importedAt: _importedAt, ...draft } = day;
  return draft;
}

export function importZReports(db: Db, from: number, to: number): void {
  const drafts: SettlementDraft[] = [];
  for (let n = from; n <= to; n += 1) drafts.push(zReport(n));
  importSettlements(db, drafts);
}
