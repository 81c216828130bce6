import { beforeAll, describe, expect, it } from 'vitest';
import { tripletexTarget } from '../../src/main/connectors/tripletex/target';
import { listVouchers } from '../../src/main/store/vouchers';
import { importZReports, sandboxHome, SYNC_TARGET } from '../helpers/sync-home';
import { useTempHome } from '../helpers/temp-home';
import { bundleCliChild } from '../helpers/cli-child';
import { runChild } from './child';

const newHome = useTempHome();
const VOUCHERS = 12;
const RATE = { requests: 10_000, perMs: 1_000 };

describe('one sync run per target, however long a request blocks', () => {
  let child: string;
  beforeAll(async () => {
    child = await bundleCliChild('lease');
  });

  it('a second run started after the blocked run’s lease would have expired refuses while the first lives; every voucher once', async () => {
    const sandbox = await tripletexTarget.startSandbox({ rateLimit: RATE });
    const { db, file } = await sandboxHome(newHome(), tripletexTarget, sandbox);
    db.prepare('UPDATE targets SET settings = json_set(settings, ?, json(?)) WHERE id = ?').run(
      '$.rateLimit',
      JSON.stringify(RATE),
      SYNC_TARGET,
    );
    importZReports(db, 1, VOUCHERS);
    // The first post meets three 429s with Retry-After, sat out inside the HTTP layer: the run blocks in one voucher.
    sandbox.inject('post', { kind: 'status', status: 429, retryAfterSeconds: 2 }, 3);
    const started = performance.now();
    let firstDone = false;
    const first = runChild(child, file, null, sandbox).finally(() => (firstDone = true));
    await expect
      .poll(() => listVouchers(db, { targetId: SYNC_TARGET, states: ['sending'] }).length, {
        timeout: 30_000,
        interval: 10,
      })
      .toBe(1);
    // As if the blocked run had not renewed its lease for longer than its lifetime.
    db.prepare("UPDATE sync_locks SET expires_at = '2000-01-01T00:00:00.000Z' WHERE target_id = ?").run(SYNC_TARGET);

    const second = await runChild(child, file, null, sandbox, ['--json']);
    const secondAlone = !firstDone;
    const [result] = JSON.parse(second.stdout) as { outcome: string; posted: number }[];
    const firstRun = await first;
    const seconds = (performance.now() - started) / 1000;

    const held = sandbox.vouchers();
    await sandbox.close();
    const local = listVouchers(db, { targetId: SYNC_TARGET });
    const keys = held.map((voucher) => voucher.idempotencyKey);
    const figures = {
      vouchers: local.length,
      sandboxVouchers: held.length,
      second: result?.outcome,
      duplicates: keys.length - new Set(keys).size,
      lost: local.filter((voucher) => !keys.includes(voucher.idempotencyKey)).length,
      seconds: Number(seconds.toFixed(1)),
    };
    console.log(`SIGKILL lease: ${JSON.stringify(figures)}`);

    expect(secondAlone).toBe(true);
    expect(result).toMatchObject({ outcome: 'locked', posted: 0 });
    expect(firstRun.code).toBe(0);
    expect(figures.duplicates).toBe(0);
    expect(figures.lost).toBe(0);
    expect(held).toHaveLength(VOUCHERS);
    expect(local.every((voucher) => voucher.state === 'posted')).toBe(true);
    expect(db.prepare('SELECT COUNT(*) AS n FROM sync_locks').get()).toEqual({ n: 0 });
    db.close();
  }, 120_000);
});
