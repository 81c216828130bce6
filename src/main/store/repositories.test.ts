import { describe, expect, it } from 'vitest';
import { norwegianDay } from '../../../test/fixtures/settlements';
import { PRESETS } from '../mapping/presets';
import { prepareVouchers } from '../vouchers/prepare';
import { loadChart, saveChart } from './charts';
import { openDatabase, type Db } from './database';
import { appendLog, listLog } from './integration-log';
import { loadKontooppsett, saveKontooppsett } from './mappings';
import { importSettlements, listSettlements } from './settlements';
import { saveTarget } from './targets';
import { listVouchers } from './vouchers';

function freshDb(): Db {
  const db = openDatabase(':memory:');
  saveTarget(db, { id: 't', kind: 'tripletex', name: 'Test', settings: {}, secretRef: null });
  return db;
}

describe('settlements', () => {
  it('stores a report once by identity; reading it again changes nothing', () => {
    const db = freshDb();
    const day = norwegianDay();
    expect(importSettlements(db, [day])).toMatchObject({ inserted: 1, alreadyPresent: 0 });
    const changed = norwegianDay({ lines: [] });
    expect(importSettlements(db, [changed, day])).toMatchObject({ inserted: 0, alreadyPresent: 2 });
    const stored = listSettlements(db);
    expect(stored).toHaveLength(1);
    expect(stored[0]!.lines).toEqual(day.lines);
    expect(stored[0]).toMatchObject({
      reportNumber: '33/10009',
      globalSequence: 512,
      kind: 'Z',
      businessDate: '2026-11-20',
    });
  });

  it('keeps X and Z with the same number apart', () => {
    const db = freshDb();
    importSettlements(db, [norwegianDay(), norwegianDay({ kind: 'X' })]);
    expect(listSettlements(db, { kind: 'X' })).toHaveLength(1);
    expect(listSettlements(db, { kind: 'Z' })).toHaveLength(1);
  });

  it('imports all or nothing: a bad report rolls back the whole batch', () => {
    const db = freshDb();
    expect(() =>
      importSettlements(db, [norwegianDay(), norwegianDay({ reportNumber: '34/10009', businessDate: '20.11.2026' })]),
    ).toThrow(/CHECK constraint failed/);
    expect(listSettlements(db)).toHaveLength(0);
  });
});

describe('mapping and chart', () => {
  it('round-trips a kontooppsett with departments', () => {
    const db = freshDb();
    const kontooppsett = { ...PRESETS['se-bas'].kontooppsett, departments: [{ location: '1', department: '10' }] };
    saveKontooppsett(db, 't', kontooppsett);
    expect(loadKontooppsett(db, 't')).toEqual(kontooppsett);
  });

  it('has no chart until one is saved, then returns it', () => {
    const db = freshDb();
    expect(loadChart(db, 't')).toBeNull();
    saveChart(db, 't', [{ number: '1920', name: 'Bank', active: false, lockedVatCode: '0' }], null);
    const chart = loadChart(db, 't');
    expect(chart?.accounts.get('1920')).toEqual({ number: '1920', name: 'Bank', active: false, lockedVatCode: '0' });
    expect(chart?.vatCodes).toBeNull();
  });
});

describe('vouchers', () => {
  it('rebuilds unsent vouchers when the mapping changes, but never one that was queued', () => {
    const db = freshDb();
    importSettlements(db, [norwegianDay(), norwegianDay({ reportNumber: '34/10009', businessDate: '2026-11-21' })]);
    saveKontooppsett(db, 't', PRESETS['no-standard'].kontooppsett);
    expect(prepareVouchers(db, 't')).toMatchObject({ zReports: 2, ready: 2, blocked: 0 });

    // The first one is handed to the sync engine; from then on it is frozen.
    db.prepare("UPDATE vouchers SET state = 'queued' WHERE id = (SELECT MIN(id) FROM vouchers)").run();
    const withoutCash = PRESETS['no-standard'].kontooppsett.entries.filter((entry) => entry.key !== 'cash');
    saveKontooppsett(db, 't', { entries: withoutCash, departments: [] });
    expect(prepareVouchers(db, 't')).toMatchObject({ ready: 0, blocked: 1, frozen: 1 });

    const [queued, blocked] = listVouchers(db, { targetId: 't' });
    expect(queued).toMatchObject({ state: 'queued' });
    expect(queued!.voucher!.lines.map((line) => line.account)).toContain('1900');
    expect(blocked).toMatchObject({ state: 'blocked', voucher: null });
    expect(blocked!.problems.map((problem) => problem.code)).toEqual(['unmapped_key']);
    expect(queued!.idempotencyKey).toMatch(/^kb1-[0-9a-f]{32}$/);
    expect(queued!.idempotencyKey).not.toBe(blocked!.idempotencyKey);
  });

  it('logs a skipped empty Z-report once, not on every rebuild', () => {
    const db = freshDb();
    importSettlements(db, [norwegianDay({ lines: [] })]);
    saveKontooppsett(db, 't', PRESETS['no-standard'].kontooppsett);
    prepareVouchers(db, 't');
    prepareVouchers(db, 't');
    const skipped = listLog(db).filter((entry) => entry.code === 'empty_settlement');
    expect(skipped).toHaveLength(1);
    expect(skipped[0]).toMatchObject({ status: 'info', module: 'voucher' });
  });
});

describe('integration log', () => {
  it('never stores a secret, whatever the caller passes', () => {
    const db = freshDb();
    appendLog(db, {
      targetId: 't',
      module: 'login',
      status: 'not_transferred',
      message: 'Login failed for Bearer abc.def.ghi',
      targetMessage: 'The employee token is invalid or does not exist.',
      payload: { consumerToken: 'c-123', employeeToken: 'e-456', company: 42, nested: { refresh_token: 'r-789' } },
      response: { headers: { Authorization: 'Basic dXNlcjpwYXNz' }, body: '{"access_token":"tok-1"}' },
    });
    const [entry] = listLog(db);
    const stored = JSON.stringify(entry);
    for (const secret of ['abc.def.ghi', 'c-123', 'e-456', 'r-789', 'dXNlcjpwYXNz', 'tok-1'])
      expect(stored).not.toContain(secret);
    expect(entry!.payload).toEqual({
      consumerToken: '[redacted]',
      employeeToken: '[redacted]',
      company: 42,
      nested: { refresh_token: '[redacted]' },
    });
    expect(entry!.targetMessage).toBe('The employee token is invalid or does not exist.');
  });
});
