import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../test/helpers/temp-home';
import { runDemo } from '../demo/run-demo';
import { openDatabase } from '../store/database';
import { runTerminalDemo } from './demo';
import { listTerminalReports } from './report-store';

const newHome = useTempHome();

describe('runTerminalDemo', () => {
  it('reconciles the demo week with exactly one planted, unexplained difference of 90.00', () => {
    const file = join(newHome(), 'kassebro.sqlite');
    const db = openDatabase(file);
    runDemo(db, file);
    const summary = runTerminalDemo(db);
    expect(summary.outcomes).toEqual([
      'stored',
      'stored',
      'stored',
      'stored',
      'stored',
      'stored',
      'duplicate',
      'duplicate',
      'stored',
    ]);
    expect(summary.days.map((day) => [day.date, day.status, day.difference])).toEqual([
      ['2026-11-14', 'ok', 0],
      ['2026-11-15', 'ok', 0],
      ['2026-11-16', 'explained', 30000],
      ['2026-11-17', 'ok', 0],
      ['2026-11-18', 'difference', 9000],
      ['2026-11-19', 'ok', 0],
      ['2026-11-20', 'ok', 0],
    ]);
    expect(summary.days[2]!.causes.map((cause) => cause.code)).toEqual(['cashback']);
    expect(summary.days[5]!.terminal.duplicatesIgnored).toBe(2);
    // Every demo print went through the parser without a warning.
    expect(listTerminalReports(db).flatMap((stored) => stored.report.warnings)).toEqual([]);

    const again = runTerminalDemo(db);
    expect(again.outcomes).toEqual([]);
    expect(again.days).toEqual(summary.days);
    expect(listTerminalReports(db, { includeDuplicates: true })).toHaveLength(9);
    db.close();
  });
});
