import { join } from 'node:path';
import { TARGETS } from '../../src/shared/targets';
import type { ApiTarget, RunningSandbox } from '../../src/main/connectors/api-target';
import { PRESETS } from '../../src/main/mapping/presets';
import { homeSecretStore, type SecretStore } from '../../src/main/secrets/secret-store';
import { openDatabase, type Db } from '../../src/main/store/database';
import { saveKontooppsett } from '../../src/main/store/mappings';
import { getTarget, saveTarget, type TargetRecord } from '../../src/main/store/targets';

export const INVOICE_TARGET = 'tt';

/**
 * A home (new, or the one a demo made) with one API target pointed at a running sandbox through
 * the target's own pieces (settings, credentials, default preset), so a test works for any target.
 */
export async function invoiceHome(
  home: string,
  api: ApiTarget,
  sandbox: RunningSandbox,
): Promise<{ db: Db; secrets: SecretStore; target: () => TargetRecord }> {
  const db = openDatabase(join(home, 'kassebro.sqlite'));
  saveTarget(db, {
    id: INVOICE_TARGET,
    kind: api.kind,
    name: `${TARGETS[api.kind].displayName} sandbox`,
    settings: sandbox.targetSettings(),
    secretRef: INVOICE_TARGET,
  });
  saveKontooppsett(db, INVOICE_TARGET, PRESETS[TARGETS[api.kind].defaultPreset].kontooppsett);
  const secrets = homeSecretStore(home);
  await secrets.set(INVOICE_TARGET, sandbox.credentials());
  return {
    db,
    secrets,
    target: () => {
      const target = getTarget(db, INVOICE_TARGET);
      if (!target) throw new Error('target vanished');
      return target;
    },
  };
}
