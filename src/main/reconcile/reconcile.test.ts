import { describe, expect, it } from 'vitest';
import { line, settlement } from '../../../test/fixtures/settlements';
import { parseReceipt } from '../terminal/receipt-parser';
import type { StoredTerminalReport } from '../terminal/report-store';
import { fixtureText } from '../terminal/simulate';
import { describeCause } from './causes';
import { reconcileDays } from './reconcile';

const capturedAt = new Date('2026-11-25T08:00:00Z');
function stored(
  fixture: string,
  edit: (text: string) => string = (text) => text,
  extra: Partial<StoredTerminalReport> = {},
): StoredTerminalReport {
  const parsed = parseReceipt(edit(fixtureText(fixture)), { capturedAt });
  if (!parsed.ok) throw new Error(parsed.reason);
  return { report: parsed.report, receivedAt: capturedAt.toISOString(), ...extra };
}
/** Nets fixture: total 13 944,40 incl. tips 225,00 and cashback 400,00, refunds 140,00; closed 23.11 22:14. */
const nets = (edit?: (text: string) => string, extra?: Partial<StoredTerminalReport>): StoredTerminalReport =>
  stored('nets-avstemming-nb', edit, extra);
const day = (lines: ReturnType<typeof line>[], businessDate = '2026-11-23') => settlement(lines, { businessDate });

describe('reconcileDays', () => {
  it('POS card total equal to the terminal total is ok', () => {
    const [result] = reconcileDays([day([line('card_integrated', '13944.40')])], [nets()]);
    expect(result).toMatchObject({ date: '2026-11-23', difference: 0, unexplained: 0, status: 'ok', causes: [] });
    expect(result!.terminal).toMatchObject({ amount: 1394440, tips: 22500, cashback: 40000, refunds: 14000 });
  });

  it('cashback explains a difference of exactly its amount', () => {
    const [result] = reconcileDays([day([line('card_integrated', '13544.40')])], [nets()]);
    expect(result).toMatchObject({ difference: 40000, unexplained: 0, status: 'explained' });
    expect(result!.causes.map((cause) => cause.code)).toEqual(['cashback']);
  });

  it('tips typed on the terminal only plus cashback explain the difference together', () => {
    const [result] = reconcileDays([day([line('card_integrated', '13319.40')])], [nets()]);
    expect(result).toMatchObject({ difference: 62500, status: 'explained' });
    expect(result!.causes.map((cause) => [cause.code, cause.amount])).toEqual([
      ['cashback', 40000],
      ['tips-on-terminal-only', 22500],
    ]);
  });

  it('tips registered in the POS are not a cause', () => {
    const [result] = reconcileDays(
      [day([line('card_integrated', '13319.40'), line('tips_terminal_integrated', '225.00')])],
      [nets()],
    );
    expect(result).toMatchObject({ difference: 62500, unexplained: 62500, status: 'difference' });
    expect(result!.causes.map((cause) => cause.code)).toEqual(['unexplained']);
  });

  it('a difference divisible by 9 with a manual terminal points at swapped digits', () => {
    const [result] = reconcileDays(
      [day([line('card_integrated', '13000.00'), line('card_manual', '935.40')])],
      [nets()],
    );
    expect(result).toMatchObject({ difference: 900, unexplained: 900, status: 'difference' });
    expect(result!.causes).toEqual([{ code: 'manual-terminal-typo', amount: 900, detail: { amount: 900 } }]);
    expect(describeCause(result!.causes[0]!, 'en')).toBe(
      'difference 9.00 is divisible by 9: two digits swapped when typing an amount on the manual terminal?',
    );
    expect(describeCause(result!.causes[0]!, 'nb')).toBe(
      'avviket 9,00 går opp i 9: to sifre byttet om da et beløp ble slått inn på den manuelle terminalen?',
    );
  });

  it('a reconciliation after midnight belongs to the previous business day before the cut-over', () => {
    const late = nets((text) => text.replace('23.11.2026 22:14', '24.11.2026 01:30'));
    const z = [day([line('card_integrated', '13944.40')])];
    expect(reconcileDays(z, [late], { cutover: '04:00' }).map((result) => [result.date, result.status])).toEqual([
      ['2026-11-23', 'ok'],
    ]);
    const midnight = reconcileDays(z, [late], { cutover: '00:00' });
    expect(midnight.map((result) => [result.date, result.status])).toEqual([
      ['2026-11-23', 'no-terminal-report'],
      ['2026-11-24', 'no-pos-report'],
    ]);
    expect(midnight[0]!.causes.map((cause) => cause.code)).toEqual([
      'reconciliation-not-run',
      'reconciliation-at-other-time',
    ]);
  });

  it('duplicates on a shared BAX are not counted again and are named; X-reports are shown, never reconciled', () => {
    const copy = nets((text) => text.replace('80012345', '80012346'), {
      duplicateOf: 'tr-x',
      duplicateReason: 'same totals',
    });
    const xReport = stored('x-rapport-nb');
    const [result] = reconcileDays([day([line('card_integrated', '13944.40')])], [nets(), copy, xReport]);
    expect(result).toMatchObject({ status: 'ok', terminal: { amount: 1394440, duplicatesIgnored: 1 } });
    expect(result!.terminal.interim).toEqual([{ id: xReport.report.id, terminalId: '80012345', amount: 405400 }]);
    expect(result!.causes.map((cause) => cause.code)).toEqual(['duplicate-bax-ignored']);

    const [onlyX] = reconcileDays([day([line('card_integrated', '4054.00')])], [xReport]);
    expect(onlyX).toMatchObject({ status: 'no-terminal-report', difference: -405400 });
    expect(onlyX!.causes.map((cause) => cause.code)).toEqual(['x-report-only']);

    // The day is still open (no Z-report yet): the X-report is shown, and nothing is called missing.
    const [today] = reconcileDays([], [xReport]);
    expect(today).toMatchObject({ status: 'no-terminal-report', difference: 0, pos: { reports: 0 } });
    expect(today!.causes.map((cause) => cause.code)).toEqual(['x-report-only']);
  });

  it('a terminal report whose lines do not add up is named on its day', () => {
    const [result] = reconcileDays(
      [day([line('card_integrated', '7600.00')], '2026-11-24')],
      [stored('sum-mismatch-nb')],
    );
    expect(result!.causes).toEqual([
      {
        code: 'terminal-report-warning',
        detail: { terminal: '80012346', warnings: 'sum-mismatch: scheme lines add up to 750000, total says 760000' },
      },
    ]);
    expect(describeCause(result!.causes[0]!, 'sv')).toBe(
      'terminal 80012346: sum-mismatch: scheme lines add up to 750000, total says 760000',
    );
  });

  it('--from/--to limit the days', () => {
    const z = [day([line('card_integrated', '1.00')], '2026-11-22'), day([line('card_integrated', '13944.40')])];
    expect(reconcileDays(z, [nets()], { from: '2026-11-23', to: '2026-11-23' }).map((result) => result.date)).toEqual([
      '2026-11-23',
    ]);
  });
});

describe('reconcileDays with terminals placed at locations', () => {
  it('compares each shop with its own terminals and names unplaced terminals', () => {
    const oslo = settlement([line('card_integrated', '13944.40')], { businessDate: '2026-11-23', location: 'oslo' });
    const bergen = settlement([line('card_integrated', '100.00')], {
      businessDate: '2026-11-23',
      location: 'bergen',
      registerId: '2',
    });
    const unplaced = stored('end-of-day-en');
    const days = reconcileDays([oslo, bergen], [nets(), unplaced], {
      placements: [{ terminalId: '80012345', location: 'oslo', mode: 'integrated' }],
    });
    expect(days.map((result) => [result.date, result.location, result.status, result.difference])).toEqual([
      ['2026-11-23', '(terminal not placed)', 'no-pos-report', 470060],
      ['2026-11-23', 'bergen', 'no-terminal-report', -10000],
      ['2026-11-23', 'oslo', 'ok', 0],
    ]);
    expect(days[0]!.causes[0]!.code).toBe('terminal-not-placed');
  });

  it('a terminal placed at a register is compared with that register only', () => {
    const register1 = settlement([line('card_integrated', '13944.40')], {
      businessDate: '2026-11-23',
      location: 'oslo',
      registerId: '1',
    });
    const register2 = settlement([line('card_integrated', '50.00')], {
      businessDate: '2026-11-23',
      location: 'oslo',
      registerId: '2',
    });
    const days = reconcileDays([register1, register2], [nets()], {
      placements: [{ terminalId: '80012345', location: 'oslo', registerId: '1', mode: 'integrated' }],
    });
    expect(days.map((result) => [result.location, result.status, result.difference])).toEqual([
      ['oslo', 'no-terminal-report', -5000],
      ['oslo register 1', 'ok', 0],
    ]);
  });
});
