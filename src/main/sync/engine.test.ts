import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tripletexHome, importZReports, SYNC_TARGET } from '../../../test/helpers/sync-home';
import { useTempHome } from '../../../test/helpers/temp-home';
import type { RunningSandbox } from '../connectors/api-target';
import { tripletexTarget } from '../connectors/tripletex/target';
import type { Db } from '../store/database';
import { listLog } from '../store/integration-log';
import { loadKontooppsett, saveKontooppsett } from '../store/mappings';
import { withEntry } from '../mapping/kontooppsett';
import { listVouchers } from '../store/vouchers';
import type { SecretStore } from '../secrets/secret-store';
import type { TargetRecord } from '../store/targets';
import { CONTRACT_TUNING } from '../connectors/contract-suite';
import { acquireSyncLease, LeaseLostError } from './lock';
import { outboxCounts, outboxRow } from './outbox';
import { syncTarget } from './run-target';

const newHome = useTempHome();

describe('sync engine against the Tripletex sandbox', () => {
  let sandbox: RunningSandbox;
  let db: Db;
  let secrets: SecretStore;
  let target: () => TargetRecord;
  const sync = (retry = false) => syncTarget(db, target(), { secrets, tuning: CONTRACT_TUNING, retryFailed: retry });

  const setup = async (settings: Record<string, unknown> = {}) => {
    ({ db, secrets, target } = await tripletexHome(newHome(), sandbox, settings));
  };
  beforeEach(async () => {
    sandbox = await tripletexTarget.startSandbox();
  });
  afterEach(async () => {
    db.close();
    await sandbox.close();
  });

  it('posts every voucher once, oldest business date first, and logs each with redacted payloads', async () => {
    await setup();
    importZReports(db, 1, 5);
    const result = await sync();
    expect(result).toMatchObject({ outcome: 'done', posted: 5, foundExisting: 0, failed: 0 });
    expect(sandbox.vouchers().map((voucher) => voucher.date)).toEqual([
      '2026-01-01',
      '2026-01-02',
      '2026-01-03',
      '2026-01-04',
      '2026-01-05',
    ]);
    const stored = listVouchers(db, { targetId: SYNC_TARGET });
    expect(stored.map((voucher) => voucher.state)).toEqual(Array(5).fill('posted'));
    expect(stored.map((voucher) => voucher.externalId)).toEqual(sandbox.vouchers().map((voucher) => voucher.id));
    // 8125.00 on card reaches 1920 as 812500 øre.
    expect(sandbox.vouchers()[0]?.lines.find((line) => line.account === '1920')?.amountOre).toBe(812_500);
    const log = listLog(db).filter((row) => row.module === 'voucher');
    expect(log).toHaveLength(5);
    expect(log.every((row) => row.status === 'transferred')).toBe(true);
    const everything = JSON.stringify(listLog(db));
    expect(everything).toContain('externalVoucherNumber');
    expect(everything).not.toMatch(/test-employee-demo|test-consumer-kassebro/);

    expect(await sync()).toMatchObject({ outcome: 'done', posted: 0 });
    expect(sandbox.vouchers()).toHaveLength(5);
  });

  it('never posts Z-reports dated before the export-from date', async () => {
    await setup({ exportFrom: '2026-01-04' });
    importZReports(db, 1, 5);
    expect((await sync()).posted).toBe(2);
    expect(sandbox.vouchers().map((voucher) => voucher.date)).toEqual(['2026-01-04', '2026-01-05']);
    expect(listVouchers(db, { targetId: SYNC_TARGET, states: ['ready'] })).toHaveLength(3);
  });

  it('parks a permanent failure for a person, says it once, and lets later days through', async () => {
    await setup();
    importZReports(db, 1, 3);
    sandbox.lockPeriodThrough('2026-01-01');
    const first = await sync();
    expect(first).toMatchObject({ posted: 2, failed: 1 });
    const [failed] = listVouchers(db, { targetId: SYNC_TARGET, states: ['failed'] });
    expect(failed?.voucher?.date).toBe('2026-01-01');
    const row = db
      .prepare('SELECT error_code, error_message, next_attempt_at FROM vouchers WHERE id = ?')
      .get(failed?.id);
    expect(row).toEqual({
      error_code: 'locked_period',
      error_message: 'Validering feilet. Regnskapet er låst for mva-posteringer på følgende dato: 2026-01-01.',
      next_attempt_at: null,
    });
    const notTransferred = () => listLog(db).filter((entry) => entry.status === 'not_transferred');
    expect(notTransferred()).toHaveLength(1);
    expect(notTransferred()[0]?.message).toMatch(/låst periode.*Be regnskapsføreren åpne perioden/);

    await sync();
    await sync();
    expect(notTransferred()).toHaveLength(1);
    expect(outboxCounts(db, SYNC_TARGET)).toMatchObject({ posted: 2, waitingForPerson: 1 });

    sandbox.lockPeriodThrough(null);
    expect(await sync(true)).toMatchObject({ posted: 1 });
    expect(sandbox.vouchers()).toHaveLength(3);
  });

  it('a retry after a fixed mapping sends the voucher rebuilt with the new account', async () => {
    await setup();
    importZReports(db, 1, 1);
    sandbox.setAccount('1920', { active: false });
    expect(await sync()).toMatchObject({ posted: 0, failed: 1 });
    const mapping = loadKontooppsett(db, SYNC_TARGET);
    const card = mapping.entries.find((entry) => entry.key === 'card_integrated');
    if (!card) throw new Error('the preset maps card_integrated');
    saveKontooppsett(db, SYNC_TARGET, withEntry(mapping, { ...card, account: '1900' }));
    expect(await sync(true)).toMatchObject({ posted: 1 });
    const [held] = sandbox.vouchers();
    expect(held?.lines.map((line) => line.account)).toContain('1900');
    expect(held?.lines.map((line) => line.account)).not.toContain('1920');
  });

  it('after a dropped connection looks the voucher up instead of sending it again', async () => {
    await setup();
    importZReports(db, 1, 2);
    sandbox.inject('post', { kind: 'drop-after-store' });
    const first = await sync();
    expect(first).toMatchObject({ posted: 1, failed: 1 });
    expect(sandbox.vouchers()).toHaveLength(2);
    db.prepare("UPDATE vouchers SET next_attempt_at = '2000-01-01T00:00:00.000Z' WHERE state = 'failed'").run();
    expect(await sync()).toMatchObject({ posted: 1, foundExisting: 1 });
    expect(sandbox.vouchers()).toHaveLength(2);
    expect(listVouchers(db, { targetId: SYNC_TARGET }).map((voucher) => voucher.state)).toEqual(['posted', 'posted']);
  });

  it('a voucher left "sending" by a crash is looked up, then sent only if the target lacks it', async () => {
    await setup();
    importZReports(db, 1, 1);
    await sync();
    importZReports(db, 2, 2);
    await syncTarget(db, target(), { secrets, tuning: CONTRACT_TUNING }).catch(() => undefined);
    // Simulate a crash between "sending" committed and the request leaving: target has nothing.
    db.prepare(
      "UPDATE vouchers SET state = 'queued', external_id = NULL WHERE id = (SELECT MAX(id) FROM vouchers)",
    ).run();
    const last = listVouchers(db, { targetId: SYNC_TARGET }).at(-1);
    sandbox.vouchers();
    // Its look-up time has come (the crash was long enough ago for the target to have finished).
    outboxRow(db, 'vouchers', last?.id ?? 0).markSending(new Date(), new Date());
    const before = sandbox.vouchers().length;
    const result = await sync();
    // The target already held it from the previous run: found, not re-sent.
    expect(result).toMatchObject({ foundExisting: 1 });
    expect(sandbox.vouchers()).toHaveLength(before);
  });

  it('when offline the queue waits, says so once, and drains when the target is back', async () => {
    await setup();
    importZReports(db, 1, 3);
    const url = sandbox.url;
    await sandbox.close();
    expect((await sync()).outcome).toBe('offline');
    expect((await sync()).outcome).toBe('offline');
    expect(outboxCounts(db, SYNC_TARGET)).toMatchObject({ queued: 3, posted: 0 });
    expect(listLog(db).filter((entry) => entry.code === 'offline')).toHaveLength(1);
    sandbox = await tripletexTarget.startSandbox({ port: Number(new URL(url).port) });
    expect((await sync()).posted).toBe(3);
  });

  it('stops at a server error and schedules a retry instead of hammering the target', async () => {
    await setup();
    importZReports(db, 1, 3);
    sandbox.inject('post', { kind: 'status', status: 503 });
    const result = await sync();
    expect(result).toMatchObject({ outcome: 'target-unavailable', posted: 0, failed: 1 });
    const row = db.prepare("SELECT next_attempt_at FROM vouchers WHERE state = 'failed'").get() as {
      next_attempt_at: string | null;
    };
    expect(row.next_attempt_at).not.toBeNull();
    expect(outboxCounts(db, SYNC_TARGET)).toMatchObject({ queued: 2, failed: 1, waitingForPerson: 0 });
  });

  it('lets only one runner work on a target', async () => {
    await setup();
    importZReports(db, 1, 1);
    const held = acquireSyncLease(db, SYNC_TARGET);
    expect(held).not.toBeNull();
    expect((await sync()).outcome).toBe('locked');
    held?.release();
    expect((await sync()).posted).toBe(1);
  });

  /** The voucher's outbox columns that decide when it is tried again. */
  const outboxOf = (id: number | undefined) =>
    db.prepare('SELECT state, attempts, lookup_after, next_attempt_at FROM vouchers WHERE id = ?').get(id) as {
      state: string;
      attempts: number;
      lookup_after: string | null;
      next_attempt_at: string | null;
    };

  it('a voucher whose answer never came is not looked up before the target can have finished with it', async () => {
    await setup();
    importZReports(db, 1, 1);
    // The target takes 2 s; we wait 1 s, and allow it 3 s more than our wait.
    const tuning = { ...CONTRACT_TUNING, timeoutMs: 1_000, lookupMarginMs: 3_000 };
    const run = (now?: () => Date) =>
      syncTarget(db, target(), { secrets, tuning, retryFailed: true, ...(now ? { now } : {}) });
    sandbox.inject('post', { kind: 'delay', ms: 2_000 });
    const startedAt = Date.now();
    expect(await run()).toMatchObject({ posted: 0, failed: 1 });
    const [voucher] = listVouchers(db, { targetId: SYNC_TARGET });
    const row = outboxOf(voucher?.id);
    expect(row).toMatchObject({ state: 'failed', attempts: 1 });
    expect(Date.parse(row.lookup_after ?? '')).toBeGreaterThanOrEqual(startedAt + 1_000 + 3_000);
    expect(row.next_attempt_at! >= row.lookup_after!).toBe(true);

    // At once (the app restarted, a person pressed retry): neither looked up nor sent again.
    const requests = sandbox.requestCount();
    expect(await run()).toMatchObject({ outcome: 'done', posted: 0, foundExisting: 0 });
    expect(sandbox.requestCount()).toBe(requests);
    await expect.poll(() => sandbox.vouchers().length, { timeout: 5_000, interval: 20 }).toBe(1);

    // Once the target can have finished: found, not sent again.
    const later = new Date(Date.parse(row.lookup_after ?? '') + 1);
    expect(await run(() => later)).toMatchObject({ posted: 1, foundExisting: 1 });
    expect(sandbox.vouchers()).toHaveLength(1);
  });

  it('a voucher on its way keeps pushing its look-up time out while the request runs', async () => {
    await setup();
    importZReports(db, 1, 1);
    // Heartbeats every 750 ms (a quarter of the timeout) while the post takes 2 s.
    const tuning = { ...CONTRACT_TUNING, timeoutMs: 3_000, lookupMarginMs: 0 };
    sandbox.inject('post', { kind: 'delay', ms: 2_000 });
    const running = syncTarget(db, target(), { secrets, tuning });
    const lookupAfter = () =>
      Date.parse(outboxOf(listVouchers(db, { targetId: SYNC_TARGET })[0]?.id).lookup_after ?? '') || 0;
    await expect.poll(lookupAfter, { timeout: 5_000, interval: 5 }).toBeGreaterThan(0);
    const first = lookupAfter();
    // A process killed now leaves a time our whole timeout beyond the latest heartbeat.
    expect(first - Date.now()).toBeGreaterThan(3_000);
    await expect.poll(lookupAfter, { timeout: 5_000, interval: 20 }).toBeGreaterThan(first);
    expect(await running).toMatchObject({ posted: 1 });
    expect(lookupAfter()).toBe(0);
  });

  it('a failed look-up counts as an attempt, is logged once, and never leads to a post', async () => {
    await setup();
    importZReports(db, 1, 1);
    sandbox.inject('post', { kind: 'drop-before-store' });
    expect(await sync()).toMatchObject({ failed: 1 });
    const [voucher] = listVouchers(db, { targetId: SYNC_TARGET });
    for (const attempts of [2, 3, 4]) {
      db.prepare("UPDATE vouchers SET next_attempt_at = '2000-01-01T00:00:00.000Z'").run();
      // The look-up (and the HTTP layer's two retries of it) meets a server error.
      sandbox.inject('any', { kind: 'status', status: 503 }, 3);
      expect(await sync()).toMatchObject({ outcome: 'target-unavailable', posted: 0, failed: 1 });
      expect(outboxOf(voucher?.id)).toMatchObject({ state: 'failed', attempts });
    }
    expect(sandbox.vouchers()).toHaveLength(0);
    expect(listLog(db).filter((entry) => entry.code === 'server_error')).toHaveLength(3);
    db.prepare("UPDATE vouchers SET next_attempt_at = '2000-01-01T00:00:00.000Z'").run();
    expect(await sync()).toMatchObject({ posted: 1, foundExisting: 0 });
    expect(sandbox.vouchers()).toHaveLength(1);
  });

  it('a run whose lease was taken over stops before it sends anything more', async () => {
    await setup();
    importZReports(db, 1, 3);
    sandbox.inject('post', { kind: 'delay', ms: 300 });
    const running = syncTarget(db, target(), { secrets, tuning: CONTRACT_TUNING });
    await expect.poll(() => sandbox.inFlight(), { timeout: 2_000, interval: 2 }).toBeGreaterThan(0);
    await expect
      .poll(() => listVouchers(db, { targetId: SYNC_TARGET, states: ['sending'] }).length, { interval: 2 })
      .toBe(1);
    db.prepare("UPDATE sync_locks SET owner = 'the-run-that-took-over'").run();
    await expect(running).rejects.toThrow(LeaseLostError);
    // The request already on its way was recorded; nothing after it left.
    expect(sandbox.vouchers()).toHaveLength(1);
    expect(outboxCounts(db, SYNC_TARGET)).toMatchObject({ posted: 1, queued: 2 });
  });
});
