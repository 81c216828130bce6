import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { receiptFixtureDir } from './simulate';
import { openDatabase } from '../store/database';
import { listLog } from '../store/integration-log';
import { appendJournal, readJournal } from './journal';
import { parseReceipt } from './receipt-parser';
import { listTerminalReports, saveTerminalReport, setBaxScope } from './report-store';
import type { TerminalReport } from './report';

const capturedAt = new Date('2026-11-24T08:00:00Z');
const text = (name: string): string => readFileSync(join(receiptFixtureDir(), name), 'utf8');
function parse(body: string): TerminalReport {
  const result = parseReceipt(body, { capturedAt });
  if (!result.ok) throw new Error(result.reason);
  return result.report;
}
/** The Nets fixture as printed by another terminal on the same BAX, a few minutes later. */
const fromTerminal = (body: string, terminalId: string, time = '22:15'): string =>
  body.replace('80012345', terminalId).replace('22:14', time);

describe('terminal report store and BAX de-duplication', () => {
  it('stores a report once; the same report again changes nothing', () => {
    const db = openDatabase(':memory:');
    const report = parse(text('nets-avstemming-nb.txt'));
    expect(saveTerminalReport(db, report)).toEqual({ outcome: 'stored', id: report.id });
    expect(saveTerminalReport(db, report)).toEqual({ outcome: 'already-stored', id: report.id });
    expect(listTerminalReports(db)).toHaveLength(1);
    expect(listTerminalReports(db)[0]!.report).toEqual(report);
  });

  it('a second terminal printing the same totals for the shared BAX batch is a logged duplicate', () => {
    const db = openDatabase(':memory:');
    const first = parse(text('nets-avstemming-nb.txt'));
    const second = parse(fromTerminal(text('nets-avstemming-nb.txt'), '80012399'));
    saveTerminalReport(db, first);
    expect(saveTerminalReport(db, second)).toEqual({
      outcome: 'duplicate',
      id: second.id,
      duplicateOf: first.id,
      reason: 'terminal 80012399 printed the same totals as terminal 80012345 for shared BAX 1234567 batch 412',
    });
    expect(listTerminalReports(db).map((stored) => stored.report.id)).toEqual([first.id]);
    expect(listTerminalReports(db, { includeDuplicates: true })).toHaveLength(2);
    expect(listLog(db).map((entry) => entry.message)).toEqual([
      `Terminal report ${second.id} stored as a duplicate of ${first.id}: terminal 80012399 printed the same totals as terminal 80012345 for shared BAX 1234567 batch 412`,
    ]);
  });

  it('zero reports from the other terminals are ignored, whichever arrives first', () => {
    const db = openDatabase(':memory:');
    const zero = parse(text('zero-avstemming-nb.txt'));
    const real = parse(text('nets-avstemming-nb.txt'));
    expect(saveTerminalReport(db, zero).outcome).toBe('stored');
    expect(saveTerminalReport(db, real).outcome).toBe('stored');
    const all = listTerminalReports(db, { includeDuplicates: true });
    expect(all.find((stored) => stored.report.id === zero.id)).toMatchObject({
      duplicateOf: real.id,
      duplicateReason: 'terminal 80012399 reported 0 for BAX 1234567 batch 412; the totals came from terminal 80012345',
    });
    expect(listTerminalReports(db).map((stored) => stored.report.totals.amount)).toEqual([1394440]);
  });

  it('a printed copy (KOPI) becomes a duplicate of the original', () => {
    const db = openDatabase(':memory:');
    const original = parse(text('nets-avstemming-nb.txt'));
    const copy = parse(text('kopi-avstemming-nb.txt'));
    saveTerminalReport(db, original);
    expect(saveTerminalReport(db, copy)).toMatchObject({
      outcome: 'duplicate',
      reason: 'printed copy (KOPI) of BAX 1234567 batch 412',
    });
  });

  it('different non-zero totals for the same BAX batch are flagged as a conflict, never counted twice', () => {
    const db = openDatabase(':memory:');
    saveTerminalReport(db, parse(text('nets-avstemming-nb.txt')));
    const other = parse(
      fromTerminal(text('nets-avstemming-nb.txt'), '80012399').replace(
        'TOTALT       93 13 944,40',
        'TOTALT       93 13 944,50',
      ),
    );
    const outcome = saveTerminalReport(db, other);
    expect(outcome.outcome).toBe('duplicate');
    expect(outcome.outcome === 'duplicate' && outcome.reason).toMatch(
      /^CONFLICT: BAX 1234567 batch 412 was already reported by terminal 80012345 with 1394440 øre; this one says 1394450 øre/,
    );
  });

  it('per-terminal scope keeps each terminal’s own batch', () => {
    const db = openDatabase(':memory:');
    setBaxScope(db, '1234567', 'per-terminal');
    saveTerminalReport(db, parse(text('nets-avstemming-nb.txt')));
    expect(saveTerminalReport(db, parse(fromTerminal(text('nets-avstemming-nb.txt'), '80012399'))).outcome).toBe(
      'stored',
    );
    expect(listTerminalReports(db)).toHaveLength(2);
  });

  it('the designated terminal of a per-BAX scope wins even when it reports second', () => {
    const db = openDatabase(':memory:');
    setBaxScope(db, '1234567', 'per-bax', '80012399');
    const first = parse(text('nets-avstemming-nb.txt'));
    const designated = parse(fromTerminal(text('nets-avstemming-nb.txt'), '80012399'));
    saveTerminalReport(db, first);
    expect(saveTerminalReport(db, designated).outcome).toBe('stored');
    expect(listTerminalReports(db).map((stored) => stored.report.terminalId)).toEqual(['80012399']);
  });

  it('without a batch number, the same BAX and totals within five minutes is the same settlement', () => {
    const db = openDatabase(':memory:');
    const body = text('nets-avstemming-nb.txt').replace('Bunt:               0412\n', '');
    saveTerminalReport(db, parse(body));
    expect(saveTerminalReport(db, parse(fromTerminal(body, '80012399', '22:18'))).outcome).toBe('duplicate');
    expect(saveTerminalReport(db, parse(fromTerminal(body, '80012398', '22:25'))).outcome).toBe('stored');
  });

  it('the journal keeps raw bytes in order per session', () => {
    const db = openDatabase(':memory:');
    appendJournal(db, {
      session: 's1',
      device: '/dev/ttyUSB0',
      protocol: 'receipt',
      direction: 'in',
      bytes: Buffer.from([0x1b, 0x40, 0xe6]),
    });
    appendJournal(db, {
      session: 's1',
      device: '/dev/ttyUSB0',
      protocol: 'receipt',
      direction: 'in',
      bytes: Buffer.from('AB'),
    });
    expect(readJournal(db, 's1').map((chunk) => Buffer.from(chunk.bytes).toString('hex'))).toEqual(['1b40e6', '4142']);
  });
});
