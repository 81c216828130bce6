import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importZReports } from '../../../../test/helpers/sync-home';
import { useTempHome } from '../../../../test/helpers/temp-home';
import { PRESETS } from '../../mapping/presets';
import { homeSecretStore, type SecretStore } from '../../secrets/secret-store';
import { openDatabase, type Db } from '../../store/database';
import { listLog } from '../../store/integration-log';
import { saveKontooppsett } from '../../store/mappings';
import { getTarget, saveTarget } from '../../store/targets';
import { listVouchers } from '../../store/vouchers';
import { syncTarget } from '../../sync/run-target';
import type { RunningSandbox } from '../api-target';
import { CONTRACT_TUNING } from '../contract-suite';
import { vismaEaccountingTarget } from './target';

const newHome = useTempHome();

describe('sync engine against the Visma eAccounting sandbox', () => {
  let sandbox: RunningSandbox;
  let db: Db;
  let secrets: SecretStore;
  const sync = () => {
    const target = getTarget(db, 'visma');
    if (!target) throw new Error('target vanished');
    return syncTarget(db, target, { secrets, tuning: CONTRACT_TUNING });
  };

  beforeEach(async () => {
    sandbox = await vismaEaccountingTarget.startSandbox();
    const home = newHome();
    db = openDatabase(join(home, 'kassebro.sqlite'));
    saveTarget(db, {
      id: 'visma',
      kind: 'visma-eaccounting',
      name: 'Visma sandbox',
      settings: sandbox.targetSettings(),
      secretRef: 'visma',
    });
    saveKontooppsett(db, 'visma', PRESETS['no-standard'].kontooppsett);
    secrets = homeSecretStore(home);
    await secrets.set('visma', sandbox.credentials());
  });
  afterEach(async () => {
    db.close();
    await sandbox.close();
  });

  it('posts Z-reports built from the no-standard preset, and resolves a dropped answer by looking it up', async () => {
    importZReports(db, 1, 3);
    sandbox.inject('post', { kind: 'drop-after-store' });
    expect(await sync()).toMatchObject({ posted: 2, failed: 1 });
    expect(sandbox.vouchers()).toHaveLength(3);
    db.prepare("UPDATE vouchers SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE state = 'failed'").run();
    expect(await sync()).toMatchObject({ posted: 1, foundExisting: 1 });
    expect(sandbox.vouchers()).toHaveLength(3);
    const stored = listVouchers(db, { targetId: 'visma' });
    expect(stored.map((voucher) => voucher.state)).toEqual(['posted', 'posted', 'posted']);
    expect(stored.map((voucher) => voucher.externalId).sort()).toEqual(
      sandbox
        .vouchers()
        .map((voucher) => voucher.id)
        .sort(),
    );
    // Each Z-report's key is in eAccounting's VoucherText, so every stored voucher names its own.
    expect(sandbox.vouchers().map((voucher) => voucher.idempotencyKey)).toEqual(
      [...stored].sort((a, b) => a.id - b.id).map((voucher) => voucher.idempotencyKey),
    );
    // 1750.00 VAT from the POS reaches 2700 unchanged; the tokens never reach the log.
    expect(sandbox.vouchers()[0]?.lines.find((line) => line.account === '2700')?.amountOre).toBe(-175_000);
    const credentials = (await secrets.get('visma')) ?? {};
    const log = JSON.stringify(listLog(db));
    expect(log).toContain('VoucherText');
    expect(log).not.toContain(credentials['accessToken'] ?? 'no token');
    expect(log).not.toContain(credentials['clientSecret'] ?? 'no secret');
  });
});
