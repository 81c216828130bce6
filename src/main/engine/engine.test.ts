import { describe, expect, it } from 'vitest';
import { testEngine } from '../../../test/helpers/engine';
import { useTempHome } from '../../../test/helpers/temp-home';
import { setLogSink, type LogRecord } from '../log/logger';
import { appendLog } from '../store/integration-log';
import { schemaVersion } from '../store/database';

const newHome = useTempHome();
const demoEngine = () => testEngine(newHome());

describe('Engine over the demo shop', () => {
  it('reports "no target" as not_found before the demo is loaded, then loads it with exact counts', async () => {
    const { call, ok, events } = demoEngine();
    expect(await call('vouchers', {})).toEqual({
      id: 1,
      ok: false,
      error: { type: 'not_found', message: 'No accounting system is set up yet; load the demo or run setup.' },
    });
    expect(await ok('loadDemo')).toEqual({ zReports: 167, ready: 163, blocked: 0, skipped: 4, frozen: 0 });
    expect(events).toContainEqual({ type: 'progress', task: 'loadDemo', done: 1, total: 1 });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'changed', topics: expect.arrayContaining(['vouchers']) }),
    );
    const status = await ok('status');
    expect(status.homeKind).toBe('demo');
    expect(status.activeTarget).toEqual({
      id: 'demo',
      kind: 'tripletex',
      name: 'Demo (Tripletex sandbox)',
      displayName: 'Tripletex',
      transport: 'api',
      hasLogin: false,
    });
    expect(status.vouchers).toEqual({
      blocked: 0,
      skipped: 4,
      ready: 163,
      queued: 0,
      sending: 0,
      posted: 0,
      failed: 0,
    });
    expect(status.lastSyncAt).toBeNull();
  });

  it('returns balanced vouchers in integer øre and daily sales whose rates add up to the demo totals', async () => {
    const { ok } = demoEngine();
    await ok('loadDemo');
    const vouchers = await ok('vouchers', { lang: 'en', states: ['ready'] });
    expect(vouchers).toHaveLength(163);
    for (const voucher of vouchers) {
      expect(voucher.balanced).toBe(true);
      expect(
        voucher.lines.reduce(
          (total: number, line: { amount: number; impliedVat: number }) => total + line.amount + line.impliedVat,
          0,
        ),
      ).toBe(0);
    }
    const overview = await ok('overview', { days: 366 });
    const gross25 = overview.dailySales
      .flatMap((day: { rates: { rateBp: number; gross: number }[] }) => day.rates)
      .filter((rate: { rateBp: number }) => rate.rateBp === 2500)
      .reduce((total: number, rate: { gross: number }) => total + rate.gross, 0);
    expect(gross25).toBe(202213766);
    expect((await ok('overview', {})).dailySales).toHaveLength(30);
  });

  it('explains a mapping to an inactive account, blocks exactly the affected vouchers, and clears on fix', async () => {
    const { ok, events } = demoEngine();
    await ok('loadDemo');
    events.length = 0;
    expect(await ok('setMapping', { key: 'gift_card_issued', account: '2910' })).toEqual({
      zReports: 167,
      ready: 145,
      blocked: 18,
      skipped: 4,
      frozen: 0,
    });
    expect(events.at(-1)).toEqual({ type: 'changed', topics: ['status', 'vouchers', 'mapping', 'log'] });
    const mapping = await ok('mapping');
    expect(mapping.rows.find((row: { key: string }) => row.key === 'gift_card_issued')).toEqual({
      key: 'gift_card_issued',
      location: '',
      account: '2910',
      accountName: 'Gamle gavekort (ikke i bruk)',
      vatCode: null,
      vatAccount: null,
      checks: [{ code: 'account_inactive', lockedVatCode: null }],
    });
    const blocked = await ok('vouchers', { lang: 'nb', states: ['blocked'] });
    expect(blocked).toHaveLength(18);
    const first = blocked[0]!;
    expect(first.lines).toEqual([]);
    expect(first.problems[0]).toMatchObject({
      code: 'account_inactive',
      severity: 'error',
      key: 'gift_card_issued',
      account: '2910',
    });
    expect(first.problems[0]?.short).toBe(
      'konto 2910 (for «Gavekort utstedt») er inaktiv i regnskapssystemet; aktiver den eller velg en annen konto.',
    );
    expect(first.problems[0]?.message).toMatch(
      /^Rapport Z \S+ \d{4}-\d\d-\d\d: konto 2910 \(for «Gavekort utstedt»\) er inaktiv i regnskapssystemet; aktiver den eller velg en annen konto\.$/,
    );
    expect(await ok('setMapping', { key: 'gift_card_issued', account: '2900' })).toMatchObject({
      ready: 163,
      blocked: 0,
    });
  });

  it('marks a VAT code that the account is locked against, and applies a preset back', async () => {
    const { ok } = demoEngine();
    await ok('loadDemo');
    await ok('setMapping', { key: 'sales_25', account: '3000', vatCode: '31' });
    const row = (await ok('mapping')).rows.find((entry: { key: string }) => entry.key === 'sales_25');
    expect(row?.checks).toEqual([{ code: 'vat_code_locked', lockedVatCode: '3' }]);
    expect((await ok('status')).vouchers.blocked).toBe(163);
    expect(await ok('applyPreset', { name: 'no-standard' })).toMatchObject({ ready: 163, blocked: 0 });
  });

  it('validates arguments at the boundary and names the method and field', async () => {
    const { call, ok } = demoEngine();
    await ok('loadDemo');
    expect(await call('setMapping', { key: 'gift_card_issued', account: '   ' })).toEqual({
      id: 2,
      ok: false,
      error: { type: 'invalid_args', message: 'setMapping: account: account must not be empty' },
    });
    const badKey = await call('setMapping', { key: 'beer', account: '3000' });
    expect(badKey.ok).toBe(false);
    expect(!badKey.ok && badKey.error.type).toBe('invalid_args');
    expect(!badKey.ok && badKey.error.message).toMatch(/^setMapping: key: /);
    expect(await call('dropTables', {})).toEqual({
      id: 4,
      ok: false,
      error: { type: 'unknown_method', message: 'Unknown API method "dropTables"' },
    });
    expect(await call('log', { limit: 5000 })).toMatchObject({ ok: false, error: { type: 'invalid_args' } });
    expect(await call('applyPreset', { name: 'us-gaap' })).toMatchObject({
      ok: false,
      error: { type: 'invalid_args' },
    });
    expect(await call('logEntry', { id: 999999 })).toEqual({
      id: 7,
      ok: false,
      error: { type: 'not_found', message: 'Log entry 999999 does not exist' },
    });
  });

  it('pages and filters the integration log and shows a payload with its secrets redacted', async () => {
    const { db, ok } = demoEngine();
    await ok('loadDemo');
    const before = (await ok('log', { limit: 1 })).total;
    const id = appendLog(
      db,
      {
        targetId: 'demo',
        module: 'voucher',
        status: 'not_transferred',
        code: 'account_inactive',
        message: 'Rejected',
        targetMessage: 'Konto 2910 er inaktiv',
        payload: { voucher: 1, accessToken: 'abc123' },
      },
      new Date('2026-11-22T08:00:00Z'),
    );
    const all = await ok('log', { offset: 0, limit: 2 });
    expect(all.total).toBe(before + 1);
    expect(all.rows[0]).toMatchObject({ id, status: 'not_transferred', module: 'voucher', hasPayload: true });
    const failed = await ok('log', { status: 'not_transferred' });
    expect(failed.rows.map((row: { id: number }) => row.id)).toEqual([id]);
    expect(
      (await ok('log', { from: '2026-11-22', to: '2026-11-22' })).rows.map((row: { id: number }) => row.id),
    ).toEqual([id]);
    // Before 2026-11-22 only the demo terminal's captures (7 reports, 2 duplicates), logged at their closing days.
    expect((await ok('log', { to: '2026-11-21' })).total).toBe(9);
    expect((await ok('log', { to: '2026-11-21', module: 'voucher' })).total).toBe(0);
    expect(await ok('logModules')).toEqual(['import', 'terminal', 'voucher']);
    const entry = await ok('logEntry', { id });
    expect(entry.payload).toEqual({ voucher: 1, accessToken: '[redacted]' });
    expect(entry.targetMessage).toBe('Konto 2910 er inaktiv');
  });

  it('writes a support bundle with environment, schema version and the last log rows, without secrets', async () => {
    const { db, ok } = demoEngine();
    await ok('loadDemo');
    appendLog(db, {
      module: 'login',
      status: 'info',
      message: 'token refreshed',
      payload: { refresh_token: 'r-secret' },
    });
    const bundle = await ok('supportBundle');
    expect(bundle.fileName).toBe('kassebro-support-20261123-100000.json');
    const parsed = JSON.parse(bundle.content);
    expect(parsed.environment).toMatchObject({ appVersion: '9.9.9', schemaVersion: schemaVersion(db) });
    expect(parsed.settings).toMatchObject({ 'home.kind': 'demo', activeTarget: 'demo' });
    expect(parsed.log[0].message).toBe('token refreshed');
    expect(bundle.content).not.toContain('r-secret');
  });
});

describe('UI errors', () => {
  it('writes an error the UI caught to the log, with secrets redacted', async () => {
    const { ok } = demoEngine();
    const records: LogRecord[] = [];
    setLogSink((record) => records.push(record));
    try {
      expect(await ok('reportUiError', { message: 'boom at Bearer abc.def', stack: 'at Mapping.svelte:12' })).toEqual(
        {},
      );
    } finally {
      setLogSink((record) => process.stderr.write(`${JSON.stringify(record)}\n`));
    }
    expect(records).toEqual([
      expect.objectContaining({
        level: 'error',
        scope: 'ui',
        message: 'boom at Bearer [redacted]',
        data: { stack: 'at Mapping.svelte:12' },
      }),
    ]);
  });
});

describe('departments', () => {
  it('puts the department of a location on every line of its vouchers, and removes it again', async () => {
    const { ok } = demoEngine();
    await ok('loadDemo');
    expect((await ok('mapping')).locations).toEqual(['1']);
    expect(await ok('setDepartment', { location: '1', department: '20' })).toMatchObject({ ready: 163 });
    expect((await ok('mapping')).departments).toEqual([{ location: '1', department: '20' }]);
    const [voucher] = await ok('vouchers', { states: ['ready'] });
    expect(new Set(voucher?.lines.map((line) => line.department))).toEqual(new Set(['20']));
    await ok('setDepartment', { location: '1', department: null });
    const [after] = await ok('vouchers', { states: ['ready'] });
    expect(new Set(after?.lines.map((line) => line.department))).toEqual(new Set([null]));
  });
});

describe('mapping files', () => {
  it('exports the mapping and imports it back; a bad file is refused naming the row and field', async () => {
    const { ok, call } = demoEngine();
    await ok('loadDemo');
    const exported = await ok('exportMapping');
    expect(exported.fileName).toBe('kontooppsett-demo.json');
    const document = JSON.parse(exported.content) as {
      targetKind: string;
      entries: { key: string; account: string }[];
    };
    expect(document.targetKind).toBe('tripletex');
    expect(document.entries.find((entry) => entry.key === 'gift_card_issued')?.account).toBe('2900');

    document.entries = document.entries.map((entry) =>
      entry.key === 'gift_card_issued' ? { ...entry, account: '2910' } : entry,
    );
    expect(await ok('importMapping', { content: JSON.stringify(document) })).toMatchObject({ ready: 145, blocked: 18 });

    const broken = { entries: [{ key: 'cash', account: '' }] };
    expect(await call('importMapping', { content: JSON.stringify(broken) })).toMatchObject({
      ok: false,
      error: { type: 'invalid_args', message: 'mapping file: entries.0.account: account must not be empty' },
    });
    expect(await call('importMapping', { content: '{not json' })).toMatchObject({
      ok: false,
      error: { type: 'invalid_args', message: expect.stringMatching(/^The mapping file is not JSON: /) },
    });
    expect((await ok('status')).vouchers.blocked).toBe(18);
  });
});
