import { afterEach, describe, expect, it } from 'vitest';
import { importZReports, sandboxHome, SYNC_TARGET } from '../../../../test/helpers/sync-home';
import { useTempHome } from '../../../../test/helpers/temp-home';
import type { SecretStore } from '../../secrets/secret-store';
import type { Db } from '../../store/database';
import { listLog } from '../../store/integration-log';
import { listVouchers } from '../../store/vouchers';
import { syncTarget } from '../../sync/run-target';
import type { RunningSandbox } from '../api-target';
import { CONTRACT_TUNING } from '../contract-suite';
import { apiTarget } from '../registry';

const newHome = useTempHome();

describe('sync engine against the Fortnox sandbox (through the registry)', () => {
  let sandbox: RunningSandbox | undefined;
  let db: Db | undefined;
  afterEach(async () => {
    db?.close();
    await sandbox?.close();
  });

  /** A Swedish shop home with a Fortnox target built from the registry's module, pointed at its sandbox. */
  async function shop(): Promise<{ db: Db; secrets: SecretStore; sync: () => ReturnType<typeof syncTarget> }> {
    const target = apiTarget('fortnox');
    if (!target) throw new Error('fortnox is not registered');
    sandbox = await target.startSandbox();
    const home = await sandboxHome(newHome(), target, sandbox);
    db = home.db;
    return {
      db: home.db,
      secrets: home.secrets,
      sync: () => syncTarget(home.db, home.target(), { secrets: home.secrets, tuning: CONTRACT_TUNING }),
    };
  }

  it('posts each Z-report once with exact öre, and after a dropped connection finds it instead of re-sending', async () => {
    const home = await shop();
    importZReports(home.db, 1, 3, 'SE');
    sandbox?.inject('post', { kind: 'drop-after-store' });
    expect(await home.sync()).toMatchObject({ posted: 2, failed: 1 });
    expect(sandbox?.vouchers()).toHaveLength(3);
    home.db.prepare("UPDATE vouchers SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE state = 'failed'").run();
    expect(await home.sync()).toMatchObject({ posted: 1, foundExisting: 1 });
    const held = sandbox?.vouchers() ?? [];
    expect(held.map((voucher) => voucher.number)).toEqual(['F 1', 'F 2', 'F 3']);
    const local = listVouchers(home.db, { targetId: SYNC_TARGET });
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
    const before = await home.secrets.get(SYNC_TARGET);
    importZReports(home.db, 1, 2, 'SE');
    await home.sync();
    sandbox?.expireTokens();
    importZReports(home.db, 3, 4, 'SE');
    expect(await home.sync()).toMatchObject({ outcome: 'done', posted: 2 });
    expect(sandbox?.vouchers()).toHaveLength(4);
    expect((await home.secrets.get(SYNC_TARGET))?.['refreshToken']).not.toBe(before?.['refreshToken']);
  });

  it('stops with outcome auth and says so when the connection was revoked; nothing is lost', async () => {
    const home = await shop();
    importZReports(home.db, 1, 2, 'SE');
    sandbox?.revokeCredentials();
    expect((await home.sync()).outcome).toBe('auth');
    const log = listLog(home.db).find((row) => row.code === 'auth');
    expect(log?.targetMessage).toBe('invalid_grant: The refresh token is invalid or expired.');
    expect(log?.message).toMatch(/anslut igen/);
    expect(listVouchers(home.db, { targetId: SYNC_TARGET }).map((voucher) => voucher.state)).toEqual([
      'queued',
      'queued',
    ]);
  });
});
