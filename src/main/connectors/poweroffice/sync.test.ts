import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importZReports } from '../../../../test/helpers/sync-home';
import { useTempHome } from '../../../../test/helpers/temp-home';
import { PRESETS } from '../../mapping/presets';
import {
  POWEROFFICE_SANDBOX_DEFAULTS,
  startPowerOfficeSandbox,
  type PowerOfficeSandbox,
} from '../../sandboxes/poweroffice';
import { homeSecretStore } from '../../secrets/secret-store';
import { openDatabase } from '../../store/database';
import { saveKontooppsett } from '../../store/mappings';
import { getTarget, saveTarget } from '../../store/targets';
import { listVouchers } from '../../store/vouchers';
import { syncTarget } from '../../sync/run-target';
import { CONTRACT_TUNING } from '../contract-suite';

const newHome = useTempHome();
const KEYS = {
  applicationKey: POWEROFFICE_SANDBOX_DEFAULTS.applicationKey,
  clientKey: POWEROFFICE_SANDBOX_DEFAULTS.clientKey,
  subscriptionKey: POWEROFFICE_SANDBOX_DEFAULTS.subscriptionKey,
};

describe('PowerOffice Go through the sync engine', () => {
  let sandbox: PowerOfficeSandbox;
  afterEach(async () => {
    await sandbox.close();
  });

  it('posts each Z-report once, resolves a lost answer by its reference, and logs no key or token', async () => {
    sandbox = await startPowerOfficeSandbox({ rateLimit: { requests: 1_000, perMs: 1_000 } });
    const home = newHome();
    const db = openDatabase(join(home, 'kassebro.sqlite'));
    saveTarget(db, {
      id: 'po',
      kind: 'poweroffice',
      name: 'PowerOffice Go sandbox',
      settings: { baseUrl: `${sandbox.url}/v2` },
      secretRef: 'po',
    });
    saveKontooppsett(db, 'po', PRESETS['no-standard'].kontooppsett);
    const secrets = homeSecretStore(home);
    await secrets.set('po', KEYS);
    importZReports(db, 1, 3);
    const target = () => {
      const record = getTarget(db, 'po');
      if (!record) throw new Error('target vanished');
      return record;
    };

    // Go stores the first voucher but the answer never arrives; the other two go through.
    sandbox.inject('post', { kind: 'drop-after-store' });
    const first = await syncTarget(db, target(), { secrets, tuning: CONTRACT_TUNING });
    expect(first).toMatchObject({ posted: 2, failed: 1 });
    expect(sandbox.vouchers()).toHaveLength(3);

    const later = new Date(Date.now() + 86_400_000);
    const second = await syncTarget(db, target(), { secrets, tuning: CONTRACT_TUNING, now: () => later });
    expect(second).toMatchObject({ posted: 1, foundExisting: 1 });
    const local = listVouchers(db, { targetId: 'po' });
    const held = sandbox.vouchers();
    expect(held).toHaveLength(3);
    expect(local.map((voucher) => voucher.state)).toEqual(['posted', 'posted', 'posted']);
    const idOf = new Map(held.map((voucher) => [voucher.idempotencyKey, voucher.id]));
    for (const voucher of local) expect(voucher.externalId).toBe(idOf.get(voucher.idempotencyKey));
    const found = db.prepare("SELECT COUNT(*) AS n FROM integration_log WHERE code = 'found_existing'").get() as {
      n: number;
    };
    expect(found.n).toBe(1);

    const stored = JSON.stringify(db.prepare('SELECT * FROM integration_log').all());
    const token = (await secrets.get('po'))?.['accessToken'] ?? 'no token stored';
    for (const secret of [...Object.values(KEYS), token]) expect(stored).not.toContain(secret);
    db.close();
  });
});
