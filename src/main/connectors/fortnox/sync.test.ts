import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { swedishDay } from '../../../../test/fixtures/settlements';
import { useTempHome } from '../../../../test/helpers/temp-home';
import { PRESETS } from '../../mapping/presets';
import { homeSecretStore, type SecretStore } from '../../secrets/secret-store';
import { openDatabase, type Db } from '../../store/database';
import { listLog } from '../../store/integration-log';
import { saveKontooppsett } from '../../store/mappings';
import { importSettlements } from '../../store/settlements';
import { getTarget, saveTarget } from '../../store/targets';
import { listVouchers } from '../../store/vouchers';
import { syncTarget } from '../../sync/run-target';
import type { RunningSandbox } from '../api-target';
import { CONTRACT_TUNING } from '../contract-suite';
import { apiTarget } from '../registry';

const newHome = useTempHome();

/** Swedish Z-report n of register 10009, one per day from 2026-01-01. */
function zReports(from: number, to: number) {
  return Array.from({ length: to - from + 1 }, (_, index) => {
    const n = from + index;
    const date = new Date(Date.UTC(2026, 0, n)).toISOString().slice(0, 10);
    const {
      id: _id,
      importedAt: _importedAt,
      ...draft
    } = swedishDay({ businessDate: date, reportNumber: `${n}/10009` });
    return draft;
  });
}

describe('sync engine against the Fortnox sandbox (through the registry)', () => {
  let sandbox: RunningSandbox | undefined;
  let db: Db | undefined;
  afterEach(async () => {
    db?.close();
    await sandbox?.close();
  });

  async function shop(
    tokenTtlMs?: number,
  ): Promise<{ db: Db; secrets: SecretStore; sync: () => ReturnType<typeof syncTarget> }> {
    const target = apiTarget('fortnox');
    if (!target) throw new Error('fortnox is not registered');
    sandbox = await target.startSandbox(tokenTtlMs === undefined ? {} : { tokenTtlMs });
    const home = newHome();
    db = openDatabase(join(home, 'kassebro.sqlite'));
    saveTarget(db, {
      id: 'fx',
      kind: 'fortnox',
      name: 'Fortnox sandbox',
      settings: { ...target.settingsSchema.parse(sandbox.targetSettings()), sync: {} },
      secretRef: 'fx',
    });
    saveKontooppsett(db, 'fx', PRESETS['se-bas'].kontooppsett);
    const secrets = homeSecretStore(home);
    await secrets.set('fx', sandbox.credentials());
    const opened = db;
    return {
      db: opened,
      secrets,
      sync: () => {
        const stored = getTarget(opened, 'fx');
        if (!stored) throw new Error('target vanished');
        return syncTarget(opened, stored, { secrets, tuning: CONTRACT_TUNING });
      },
    };
  }

  it('posts each Z-report once with exact öre, and after a dropped connection finds it instead of re-sending', async () => {
    const home = await shop();
    importSettlements(home.db, zReports(1, 3));
    sandbox?.inject('post', { kind: 'drop-after-store' });
    expect(await home.sync()).toMatchObject({ posted: 2, failed: 1 });
    expect(sandbox?.vouchers()).toHaveLength(3);
    home.db.prepare("UPDATE vouchers SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE state = 'failed'").run();
    expect(await home.sync()).toMatchObject({ posted: 1, foundExisting: 1 });
    const held = sandbox?.vouchers() ?? [];
    expect(held.map((voucher) => voucher.number)).toEqual(['F 1', 'F 2', 'F 3']);
    const local = listVouchers(home.db, { targetId: 'fx' });
    expect(local.map((voucher) => voucher.state)).toEqual(['posted', 'posted', 'posted']);
    expect(local.map((voucher) => voucher.externalId)).toEqual(held.map((voucher) => voucher.id));
    expect(new Set(held.map((voucher) => voucher.idempotencyKey))).toEqual(
      new Set(local.map((voucher) => voucher.idempotencyKey)),
    );
    // 8125.00 on card → 1580, 1750.00 output VAT → 2611, as öre.
    expect(held[0]?.lines.find((line) => line.account === '1580')?.amountOre).toBe(812_500);
    expect(held[0]?.lines.find((line) => line.account === '2611')?.amountOre).toBe(-175_000);
    expect(listLog(home.db).some((row) => row.code === 'found_existing')).toBe(true);
    expect(JSON.stringify(listLog(home.db))).not.toContain(sandbox?.credentials()['clientSecret'] ?? 'never');
  });

  it('keeps posting across access-token expiry; the rotated refresh token is in the home’s secret store', async () => {
    const home = await shop();
    const before = await home.secrets.get('fx');
    importSettlements(home.db, zReports(1, 2));
    await home.sync();
    sandbox?.expireTokens();
    importSettlements(home.db, zReports(3, 4));
    expect(await home.sync()).toMatchObject({ outcome: 'done', posted: 2 });
    expect(sandbox?.vouchers()).toHaveLength(4);
    expect((await home.secrets.get('fx'))?.['refreshToken']).not.toBe(before?.['refreshToken']);
  });

  it('stops with outcome auth and says so when the connection was revoked; nothing is lost', async () => {
    const home = await shop();
    importSettlements(home.db, zReports(1, 2));
    sandbox?.revokeCredentials();
    expect((await home.sync()).outcome).toBe('auth');
    const log = listLog(home.db).find((row) => row.code === 'auth');
    expect(log?.targetMessage).toBe('invalid_grant: The refresh token is invalid or expired.');
    expect(log?.message).toMatch(/Anslut igen/);
    expect(listVouchers(home.db, { targetId: 'fx' }).map((voucher) => voucher.state)).toEqual(['queued', 'queued']);
  });
});
