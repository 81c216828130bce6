import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { testEngine } from '../../../test/helpers/engine';
import { importZReports, SYNC_TARGET, tripletexHome } from '../../../test/helpers/sync-home';
import { runCli as run } from '../../../test/helpers/run-cli';
import { useTempHome } from '../../../test/helpers/temp-home';
import { ore } from '../../shared/money';
import type { RunningSandbox } from '../connectors/api-target';
import { tripletexTarget } from '../connectors/tripletex/target';
import type { SettlementDraft } from '../domain/settlement';
import type { Db } from '../store/database';
import { setActiveTarget } from '../store/home';
import { listLog } from '../store/integration-log';
import { importSettlements } from '../store/settlements';
import { listVouchers } from '../store/vouchers';

const newHome = useTempHome();

/**
 * What the SIE4 file of the field report became: four balancing rows of ±90 071 992 547 409,91,
 * each a safe amount, whose per-key sums are not. Stored directly, as a reader that let it
 * through would have stored it.
 */
const MAX = ore(Number.MAX_SAFE_INTEGER);
const poisoned: SettlementDraft = {
  source: 'sie4',
  location: '1',
  registerId: '10009',
  kind: 'Z',
  reportNumber: '999/10009',
  businessDate: '2026-01-03',
  currency: 'NOK',
  lines: [
    { key: 'sales_0', amount: MAX, vat: ore(0) },
    { key: 'sales_0', amount: MAX, vat: ore(0) },
    { key: 'card_integrated', amount: MAX, vat: ore(0) },
    { key: 'card_integrated', amount: MAX, vat: ore(0) },
  ],
};

describe('one report that cannot be built stops no other', () => {
  let sandbox: RunningSandbox;
  let db: Db;
  let file: string;
  let home: string;
  let poisonedId: number;
  const cli = (...args: string[]) => run(['--db', file, '--target', SYNC_TARGET, '--lang', 'en', ...args]);

  beforeEach(async () => {
    sandbox = await tripletexTarget.startSandbox();
    home = newHome();
    ({ db, file } = await tripletexHome(home, sandbox));
    importZReports(db, 1, 4);
    poisonedId = importSettlements(db, [poisoned]).ids[0] ?? 0;
  });
  afterEach(async () => {
    db.close();
    await sandbox.close();
  });

  it('marks it blocked with its reason in vouchers, validate and the log, and sends the others', async () => {
    const validate = await cli('validate', '--json');
    expect(validate.stderr).toBe('');
    expect(validate.code).toBe(1);
    const summary = JSON.parse(validate.stdout);
    expect(summary).toMatchObject({ zReports: 5, ready: 4, blocked: 1 });
    expect(summary.problems).toEqual([
      expect.objectContaining({
        code: 'amounts_too_large',
        settlement: expect.objectContaining({ id: poisonedId, reportNumber: '999/10009' }),
        message: expect.stringContaining(`kassebro settlements remove ${poisonedId}`),
      }),
    ]);

    const vouchers = await cli('vouchers');
    expect(vouchers.code).toBe(0);
    expect(vouchers.stdout).toContain(`settlement ${poisonedId} — blocked: Report Z 999/10009 2026-01-03: its amounts`);

    // Said once in the integration log, not on every rebuild.
    const logged = () => listLog(db).filter((row) => row.code === 'amounts_too_large');
    expect(logged()).toHaveLength(1);
    expect(logged()[0]).toMatchObject({ targetId: SYNC_TARGET, module: 'voucher', status: 'not_transferred' });

    const sync = await cli('sync', '--once', '--json');
    expect(sync.stderr).toBe('');
    expect(JSON.parse(sync.stdout)).toMatchObject([{ target: SYNC_TARGET, outcome: 'done', posted: 4, failed: 0 }]);
    expect(sandbox.vouchers()).toHaveLength(4);
    expect(logged()).toHaveLength(1);
    const states = listVouchers(db, { targetId: SYNC_TARGET }).map((voucher) => [voucher.settlementId, voucher.state]);
    expect(states).toContainEqual([poisonedId, 'blocked']);
    expect(states.filter(([, state]) => state === 'posted')).toHaveLength(4);
  });

  it('lists it without totals, and a file export writes the others', async () => {
    const list = await cli('settlements', '--json');
    expect(list.code).toBe(0);
    const rows = JSON.parse(list.stdout);
    expect(rows).toHaveLength(5);
    expect(rows.find((row: { id: number }) => row.id === poisonedId)).toMatchObject({
      amountsCountable: false,
      salesGross: null,
      lines: expect.arrayContaining([expect.objectContaining({ amount: '90071992547409.91' })]),
    });
    expect((await cli('settlements')).stdout).toMatch(/999\/10009 .* too large to total/);

    const folder = join(home, 'gbat10');
    mkdirSync(folder);
    const add = await cli('target', 'add', 'gbat', '--kind', 'gbat10', '--out', folder);
    expect(add.code).toBe(0);
    expect((await run(['--db', file, '--target', 'gbat', 'mapping', 'preset', 'no-standard'])).code).toBe(0);
    const exported = await run(['--db', file, '--target', 'gbat', 'export', 'gbat', '--json']);
    expect(exported.stderr).toBe('');
    const result = JSON.parse(exported.stdout);
    expect(result.exported).toHaveLength(4);
    expect(result.notExported).toEqual([
      expect.objectContaining({
        reportNumber: '999/10009',
        problems: [expect.objectContaining({ code: 'amounts_too_large' })],
      }),
    ]);
  });

  it('the engine shows it among the problems, without gross sales or daily totals, and removes it', async () => {
    setActiveTarget(db, SYNC_TARGET);
    db.close();
    const engine = testEngine(home);
    db = engine.db;
    await engine.ok('validate');
    const vouchers = await engine.ok('vouchers', { lang: 'nb' });
    expect(vouchers.find((voucher) => voucher.settlement.id === poisonedId)).toMatchObject({
      state: 'blocked',
      problems: [{ code: 'amounts_too_large', message: expect.stringContaining('Rapport Z 999/10009 2026-01-03') }],
    });
    const settlements = await engine.ok('settlements', {});
    expect(settlements.find((row) => row.id === poisonedId)?.grossSales).toBeNull();
    const overview = await engine.ok('overview', {});
    expect(overview.dailySales.find((day) => day.date === '2026-01-03')?.rates).toEqual([
      expect.objectContaining({ gross: 875_000 }),
      expect.objectContaining({ gross: 125_000 }),
      expect.objectContaining({ gross: 10_000 }),
    ]);

    expect(await engine.ok('removeSettlement', { id: poisonedId, lang: 'en' })).toEqual({
      removed: {
        id: poisonedId,
        registerId: '10009',
        reportNumber: '999/10009',
        businessDate: '2026-01-03',
        kind: 'Z',
      },
    });
    expect((await engine.ok('settlements', {})).map((row) => row.id)).not.toContain(poisonedId);
    expect(await engine.call('removeSettlement', { id: poisonedId })).toMatchObject({
      ok: false,
      error: { type: 'not_found', message: `No stored settlement has id ${poisonedId}` },
    });
  });
});

describe('kassebro settlements remove', () => {
  let sandbox: RunningSandbox;
  let db: Db;
  let file: string;
  const cli = (...args: string[]) => run(['--db', file, '--target', SYNC_TARGET, '--lang', 'en', ...args]);

  beforeEach(async () => {
    sandbox = await tripletexTarget.startSandbox();
    ({ db, file } = await tripletexHome(newHome(), sandbox));
    importZReports(db, 1, 2);
  });
  afterEach(async () => {
    db.close();
    await sandbox.close();
  });

  it('removes an unsent report with its voucher and logs it; after that the rest syncs cleanly', async () => {
    const id = importSettlements(db, [poisoned]).ids[0] ?? 0;
    expect((await cli('validate')).code).toBe(1);
    const voucherId = listVouchers(db, { targetId: SYNC_TARGET, settlementId: id })[0]?.id;
    expect(listLog(db).some((row) => row.voucherId === voucherId)).toBe(false);

    const removed = await cli('settlements', 'remove', String(id));
    expect(removed).toMatchObject({ code: 0, stderr: '' });
    expect(removed.stdout).toBe(`Removed Report Z 999/10009 2026-01-03 (settlement ${id}).\n`);
    expect(listVouchers(db, { targetId: SYNC_TARGET }).map((voucher) => voucher.settlementId)).not.toContain(id);
    expect(db.prepare('SELECT COUNT(*) AS n FROM settlement_lines WHERE settlement_id = ?').get(id)).toEqual({ n: 0 });
    expect(listLog(db).find((row) => row.code === 'settlement_removed')).toMatchObject({
      module: 'settlement',
      status: 'info',
      message: 'Report Z 999/10009 2026-01-03 (sie4, register 10009) was removed by hand; it was never sent.',
    });
    expect((await cli('validate')).code).toBe(0);

    const again = await cli('settlements', 'remove', String(id));
    expect(again).toMatchObject({ code: 2, stderr: `kassebro: No stored settlement has id ${id}\n` });
    expect((await cli('settlements', 'remove', 'x1')).code).toBe(2);
  });

  it('refuses a report whose voucher was sent, and keeps it', async () => {
    expect(JSON.parse((await cli('sync', '--once', '--json')).stdout)).toMatchObject([{ posted: 2 }]);
    const [first] = listVouchers(db, { targetId: SYNC_TARGET });
    const refused = await cli('settlements', 'remove', String(first?.settlementId));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`handed to "${SYNC_TARGET}" (posted)`);
    expect(listVouchers(db, { targetId: SYNC_TARGET })).toHaveLength(2);
    expect(listLog(db).some((row) => row.code === 'settlement_removed')).toBe(false);
  });
});
