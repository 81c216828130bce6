import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testEngine } from '../../../test/helpers/engine';
import { writeSaftYear } from '../../../test/fixtures/saft-year';
import { useTempHome } from '../../../test/helpers/temp-home';
import { PRESETS } from '../mapping/presets';
import { resourcesDir } from '../paths';
import { saveKontooppsett } from '../store/mappings';
import { saveTarget } from '../store/targets';
import { listVouchers } from '../store/vouchers';

const newHome = useTempHome();

describe('reconciliation (Avstemming) over the demo shop', () => {
  it('shows the planted unexplained 90.00, the cashback-explained day and the de-duplicated BAX day', async () => {
    const { ok } = testEngine(newHome());
    await ok('loadDemo');
    const view = await ok('reconciliation', { lang: 'nb', days: 30 });
    expect(view.cutover).toBe('04:00');
    expect(view.days).toHaveLength(30);
    expect(view.days[0]!.date).toBe('2026-10-22');
    const day = (date: string) => view.days.find((entry) => entry.date === date)!;

    expect(day('2026-11-18')).toMatchObject({
      status: 'difference',
      pos: { integrated: 2178714, manual: 0, tips: 34000, zReports: 2 },
      terminal: { amount: 2187714, duplicatesIgnored: 0 },
      difference: 9000,
      unexplained: 9000,
      causes: [
        {
          code: 'unexplained',
          amount: 9000,
          text: 'ingen kjent årsak passer: sammenlign terminalkvitteringene med kassen (feil betalingsmiddel, manuell terminal, manglende Z-rapport)',
        },
      ],
    });
    expect(day('2026-11-16')).toMatchObject({
      status: 'explained',
      difference: 30000,
      unexplained: 0,
      terminal: { amount: 2350109, cashback: 30000 },
      causes: [
        {
          code: 'cashback',
          amount: 30000,
          text: 'kontantuttak 300,00 er betalt ut i kontanter og ligger i terminalens total, ikke i kassens kortsum',
        },
      ],
    });
    expect(day('2026-11-19')).toMatchObject({
      status: 'ok',
      difference: 0,
      terminal: { amount: 3240213, duplicatesIgnored: 2 },
    });
    // Before the demo terminal was capturing, each day says the reconciliation was not run.
    expect(day('2026-11-13')).toMatchObject({ status: 'no-terminal-report', difference: -2603358 });
    expect(day('2026-11-13').causes.map((cause) => cause.code)).toEqual([
      'reconciliation-not-run',
      'reconciliation-at-other-time',
    ]);
    expect(view.days.filter((entry) => entry.status === 'ok').map((entry) => entry.date)).toEqual([
      '2026-11-14',
      '2026-11-15',
      '2026-11-17',
      '2026-11-19',
      '2026-11-20',
    ]);

    expect(view.reports).toHaveLength(9);
    expect(
      view.reports.filter((report) => report.duplicateOf !== null).map((report) => report.duplicateReason),
    ).toEqual([
      'terminal 80012399 printed the same totals as terminal 80012345 for shared BAX 1234567 batch 405',
      'terminal 80012398 reported 0 for BAX 1234567 batch 405; the totals come from terminal 80012345',
    ]);
    const planted = view.reports.find((report) => report.businessDate === '2026-11-18')!;
    expect(planted).toMatchObject({ bax: '1234567', terminalId: '80012345', batchNo: '404', amount: 2187714 });
    expect(planted.schemes.reduce((total, scheme) => total + scheme.amount, 0)).toBe(2187714);
  });

  it('explains causes in Swedish and English and narrows to the asked number of days', async () => {
    const { ok } = testEngine(newHome());
    await ok('loadDemo');
    const sv = await ok('reconciliation', { lang: 'sv', days: 7 });
    expect(sv.days.map((day) => day.date)).toEqual([
      '2026-11-14',
      '2026-11-15',
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
    ]);
    expect(sv.days[2]!.causes[0]!.text).toBe(
      'kontantuttag 300,00 är utbetalt kontant och ingår i terminalens total, inte i kassans kortsumma',
    );
    const en = await ok('reconciliation', { lang: 'en', days: 1 });
    expect(en.days).toHaveLength(1);
    expect(en.reports.map((report) => report.batchNo)).toEqual(['406']);
  });

  it('shows an X-report from the terminal on its day but never counts it as the settled total', async () => {
    const { ok, events } = testEngine(newHome());
    await ok('loadDemo');
    const path = join(resourcesDir(), 'terminal', 'x-rapport-nb.txt');
    expect(await ok('importTerminalFile', { path })).toEqual({
      file: path,
      outcomes: [
        {
          outcome: 'stored',
          id: expect.stringMatching(/^tr-/),
          kind: 'x',
          terminalId: '80012345',
          batchNo: null,
          closedAt: '2026-11-23T14:02:00+01:00',
          amount: 405400,
          reason: null,
        },
      ],
    });
    expect(events).toContainEqual({ type: 'changed', topics: ['terminal', 'log'] });
    const view = await ok('reconciliation', { lang: 'en', days: 30 });
    const day = view.days.at(-1)!;
    expect(day).toMatchObject({
      date: '2026-11-23',
      pos: { zReports: 0 },
      terminal: { amount: 0, reports: [], xReports: [{ terminalId: '80012345', amount: 405400 }] },
      difference: 0,
      status: 'no-terminal-report',
    });
    expect(day.causes.map((cause) => cause.text)).toEqual([
      'only an X-report (interim) from the terminal; it is shown but never reconciled as final',
    ]);
    expect(view.reports.at(-1)).toMatchObject({
      kind: 'x',
      businessDate: '2026-11-23',
      amount: 405400,
      duplicateOf: null,
    });
  });

  it('imports terminal files: a copy is stored as a duplicate with its reason, a sale receipt is refused, a missing file named', async () => {
    const { ok, call } = testEngine(newHome());
    const fixture = (name: string) => join(resourcesDir(), 'terminal', name);
    const [original] = (await ok('importTerminalFile', { path: fixture('nets-avstemming-nb.txt') })).outcomes;
    expect(original).toMatchObject({ outcome: 'stored', kind: 'reconciliation', terminalId: '80012345', reason: null });
    const [copy] = (await ok('importTerminalFile', { path: fixture('kopi-avstemming-nb.txt') })).outcomes;
    expect(copy).toMatchObject({
      outcome: 'duplicate',
      reason: expect.stringMatching(/^printed copy \(KOPI\) of BAX/),
    });
    const [again] = (await ok('importTerminalFile', { path: fixture('nets-avstemming-nb.txt') })).outcomes;
    expect(again).toMatchObject({ outcome: 'already-stored', id: original!.id });
    const [sale] = (await ok('importTerminalFile', { path: fixture('sale-receipt-nb.txt') })).outcomes;
    expect(sale).toMatchObject({ outcome: 'not-a-report', id: null, reason: expect.any(String) });
    const missing = fixture('finnes-ikke.txt');
    expect(await call('importTerminalFile', { path: missing })).toMatchObject({
      ok: false,
      error: { type: 'refused', message: `Kan ikke lese ${missing}: den finnes ikke` },
    });
  });

  it('has nothing to reconcile in an empty home', async () => {
    const { ok } = testEngine(newHome());
    expect(await ok('reconciliation', {})).toEqual({ cutover: '04:00', days: [], reports: [] });
  });
});

describe('numbering (gaps) over the demo shop', () => {
  it('lists every day per register with its state and explains the empty Z-reports and global numbers', async () => {
    const { ok } = testEngine(newHome());
    await ok('loadDemo');
    const view = await ok('numbering');
    expect(view.missing).toBe(0);
    expect(view.registers.map((register) => [register.registerId, register.days.length, register.gaps.length])).toEqual(
      [
        ['10009', 90, 125],
        ['10010', 89, 141],
      ],
    );
    const states: Record<string, number> = {};
    for (const register of view.registers)
      for (const day of register.days) states[day.state] = (states[day.state] ?? 0) + 1;
    expect(states).toEqual({ ready: 163, skipped: 4, no_report: 12 });

    const second = view.registers[1]!;
    expect(second.gaps.filter((gap) => gap.scheme === 'report')).toEqual(
      [23, 39, 55, 72].map((number) => ({
        scheme: 'report',
        number,
        reason: 'empty_z',
        heldBy: expect.objectContaining({ registerId: '10010', kind: 'Z', number: `${number}/10010` }),
      })),
    );
    expect(second.days.find((day) => day.date === '2026-11-14')).toMatchObject({
      state: 'skipped',
      reports: [{ number: '72/10010', state: 'skipped' }],
    });
    // Global sequence 4 lies between register 10009's Z 1 and 2: the X-report of that register took it.
    expect(view.registers[0]!.gaps.slice(0, 2)).toEqual([
      {
        scheme: 'sequence',
        number: 3,
        reason: 'other_register',
        heldBy: { registerId: '10010', kind: 'Z', number: '1/10010', businessDate: '2026-08-24' },
      },
      {
        scheme: 'sequence',
        number: 4,
        reason: 'x_report',
        heldBy: { registerId: '10009', kind: 'X', number: '1/10009', businessDate: '2026-08-25' },
      },
    ]);
  });
});

const CSV = [
  'location;register;number;kind;date;key;amount;vat;code',
  '7;20001;41;Z;2026-11-21;sales_25;1 250,00;250,00;Varer 25 %',
  '7;20001;41;Z;2026-11-21;card_integrated;1000,00;;BAX',
  '7;20001;41;Z;2026-11-21;cash;250,00;;Kontant',
  '7;20001;40;Z;2026-11-20;sales_25;100,00;20,00;Varer 25 %',
  '7;20001;40;Z;2026-11-20;cash;100,00;;Kontant',
].join('\n');

// Each import starts a parse worker, which under vitest loads tsx first: seconds on a busy machine.
describe('importFile', { timeout: 60_000 }, () => {
  it('imports a CSV by path, rebuilds the vouchers, says what was already present and a missing number', async () => {
    const home = newHome();
    const { ok, events } = testEngine(home);
    await ok('loadDemo');
    const path = join(home, 'z.csv');
    writeFileSync(path, CSV);
    const first = await ok('importFile', { path });
    expect(first).toEqual({
      file: path,
      format: 'csv',
      imported: [
        { registerId: '20001', kind: 'Z', number: '41', businessDate: '2026-11-21', warnings: [] },
        { registerId: '20001', kind: 'Z', number: '40', businessDate: '2026-11-20', warnings: [] },
      ],
      duplicates: [],
      conflicts: [],
      warnings: [],
      vouchers: { zReports: 169, ready: 165, blocked: 0, skipped: 4, frozen: 0 },
    });
    expect(events).toContainEqual({ type: 'changed', topics: ['status', 'settlements', 'vouchers', 'log'] });
    const again = await ok('importFile', { path, format: 'csv' });
    expect(again.imported).toEqual([]);
    expect(again.duplicates.map((report) => report.number)).toEqual(['41', '40']);
  });

  it('imports into a home without an accounting system (no vouchers) and refuses a bad file naming it', async () => {
    const home = newHome();
    const { ok, call } = testEngine(home);
    const path = join(home, 'z.csv');
    writeFileSync(path, CSV);
    expect((await ok('importFile', { path })).vouchers).toBeNull();
    expect((await ok('status')).homeKind).toBe('shop');
    const missing = join(home, 'nope.csv');
    expect(await call('importFile', { path: missing })).toMatchObject({
      ok: false,
      error: { type: 'refused', message: `Kan ikke lese ${missing}: den finnes ikke` },
    });
    // In the language the window chose; a folder is named as one, not as EISDIR.
    await ok('setUiLanguage', { lang: 'sv' });
    expect(await call('importFile', { path: home })).toMatchObject({
      ok: false,
      error: { type: 'refused', message: `Kan inte läsa ${home}: det är en mapp, inte en fil` },
    });
    await ok('setUiLanguage', { lang: 'nb' });
    expect(await call('importFile', { path: ' ' })).toMatchObject({
      ok: false,
      error: { type: 'invalid_args', message: 'importFile: path: give the path of a file' },
    });
  });

  it('answers other calls while a large file is read, and reports its progress up to the whole file', async () => {
    const home = newHome();
    const { ok, events } = testEngine(home);
    const path = join(home, 'year.xml');
    writeSaftYear(path, 30);
    const size = statSync(path).size;
    let imported = false;
    const importing = ok('importFile', { path }).finally(() => (imported = true));
    const progressOf = () => events.filter((event) => event.type === 'importProgress');
    // Answered mid-read: the reading is in the worker, not on the engine's thread.
    while (progressOf().length === 0 && !imported) await new Promise((resolve) => setImmediate(resolve));
    expect(imported).toBe(false);
    expect((await ok('status')).settlements).toEqual({ z: 0, x: 0, lastBusinessDate: null });
    expect(imported).toBe(false);
    expect((await importing).imported).toHaveLength(730);
    const progress = progressOf();
    expect(progress.at(-1)).toEqual({
      type: 'importProgress',
      file: path,
      bytesRead: size,
      totalBytes: size,
      reportsFound: 730,
    });
    const bytes = progress.map((event) => event.bytesRead);
    expect(bytes).toEqual([...bytes].sort((a, b) => a - b));
  });
});

describe('file export from the UI', () => {
  it('exports the ready vouchers of a GBAT10 target into one file and lists which vouchers went into it', async () => {
    const home = newHome();
    const { ok, call, db } = testEngine(home);
    await ok('loadDemo');
    expect(await ok('fileTargets')).toEqual([]);
    saveTarget(db, {
      id: 'fil',
      kind: 'gbat10',
      name: 'GBAT10 til Mamut',
      settings: { folder: home },
      secretRef: null,
    });
    saveKontooppsett(db, 'fil', PRESETS['no-standard'].kontooppsett);

    const run = await ok('exportFiles', { targetId: 'fil', from: '2026-11-18', to: '2026-11-20' });
    expect(run.file?.name).toBe('kassebro-fil-0001-20261118-20261120.csv');
    expect(existsSync(run.file!.path)).toBe(true);
    expect(readFileSync(run.file!.path).length).toBe(run.file!.bytes);
    expect(run.exported.map((voucher) => [voucher.number, voucher.reportNumber, voucher.businessDate])).toEqual([
      [1, '88/10009', '2026-11-18'],
      [2, '75/10010', '2026-11-18'],
      [3, '89/10009', '2026-11-19'],
      [4, '76/10010', '2026-11-19'],
      [5, '90/10009', '2026-11-20'],
      [6, '77/10010', '2026-11-20'],
    ]);
    expect(run).toMatchObject({ alreadyExported: 0, notExported: [], recovered: [] });

    const [target] = await ok('fileTargets');
    expect(target).toMatchObject({ id: 'fil', kind: 'gbat10', displayName: 'GBAT10 file', folder: home });
    expect(target!.files).toHaveLength(1);
    expect(target!.files[0]).toMatchObject({
      state: 'written',
      from: '2026-11-18',
      to: '2026-11-20',
      bytes: run.file!.bytes,
    });
    expect(target!.files[0]!.vouchers).toEqual(run.exported);
    expect(listVouchers(db, { targetId: 'fil', states: ['posted'] })).toHaveLength(6);

    const again = await ok('exportFiles', { targetId: 'fil', from: '2026-11-18', to: '2026-11-20' });
    expect(again).toMatchObject({ file: null, exported: [], alreadyExported: 6 });
    expect(await call('exportFiles', { targetId: 'fil', folder: join(home, 'nowhere') })).toMatchObject({
      ok: false,
      error: { type: 'refused', message: `Kan ikke skrive til ${join(home, 'nowhere')}: den finnes ikke` },
    });
    expect(await call('exportFiles', { targetId: 'fil', folder: run.file!.path })).toMatchObject({
      ok: false,
      error: {
        type: 'refused',
        message: `Kan ikke skrive til ${run.file!.path}: det er ikke en mappe (eller en del av stien er en fil)`,
      },
    });
    expect(await call('exportFiles', { targetId: 'demo' })).toMatchObject({
      ok: false,
      error: { type: 'refused', message: 'Target "demo" is a Tripletex target, not a file export' },
    });
    expect(await call('exportFiles', { targetId: 'ingen' })).toMatchObject({
      ok: false,
      error: { type: 'not_found', message: 'No target called "ingen" is set up' },
    });
  });
});
