import type { ApiResult } from '../../../shared/api';
import type { Settlement } from '../../domain/settlement';
import { findNumberingGaps, type NumberingGap } from '../../sources/gaps';
import type { Db } from '../../store/database';
import { listSettlements } from '../../store/settlements';
import type { VoucherState } from '../../store/vouchers';

type Numbering = ApiResult<'numbering'>;
type DayState = Numbering['registers'][number]['days'][number]['state'];

/** When a register has several Z-reports in a day, the day shows the one that needs attention most. */
const DAY_PRIORITY: readonly DayState[] = [
  'failed',
  'blocked',
  'no_voucher',
  'sending',
  'queued',
  'ready',
  'posted',
  'skipped',
];

const leadingNumber = (reportNumber: string): number | null => {
  const match = /^\d+/.exec(reportNumber.trim());
  return match ? Number(match[0]) : null;
};

function* datesBetween(first: string, last: string): Generator<string> {
  for (let day = new Date(`${first}T00:00:00Z`); day.toISOString().slice(0, 10) <= last;) {
    yield day.toISOString().slice(0, 10);
    day = new Date(day.getTime() + 86_400_000);
  }
}

/**
 * The numbering view: per register (source, location, register) a day-by-day list of its Z-reports
 * with their voucher state, and the holes of `findNumberingGaps` each with the report that holds the
 * number — so "why is number 34 missing?" has an answer on screen.
 */
export function numberingView(db: Db, voucherStates: ReadonlyMap<number, VoucherState>): Numbering {
  const settlements = listSettlements(db);
  const gaps = findNumberingGaps(settlements);
  const registerKey = (item: { source: string; location: string; registerId: string }): string =>
    [item.source, item.location, item.registerId].join('|');
  const registers = new Map<string, Settlement[]>();
  for (const settlement of settlements) {
    const key = registerKey(settlement);
    registers.set(key, [...(registers.get(key) ?? []), settlement]);
  }
  const registerViews = [...registers.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, reports]) => {
      const { source, location, registerId } = reports[0]!;
      const zReports = reports.filter((report) => report.kind === 'Z');
      const dates = zReports.map((report) => report.businessDate).sort();
      const days = dates.length
        ? [...datesBetween(dates[0]!, dates.at(-1)!)].map((date) => {
            const ofDay = zReports
              .filter((report) => report.businessDate === date)
              .map((report) => ({
                id: report.id,
                number: report.reportNumber,
                globalSequence: report.globalSequence ?? null,
                state: voucherStates.get(report.id) ?? null,
              }));
            const states = ofDay.map((report): DayState => report.state ?? 'no_voucher');
            const state: DayState =
              states.length === 0
                ? 'no_report'
                : (DAY_PRIORITY.find((candidate) => states.includes(candidate)) ?? states[0]!);
            return { date, state, reports: ofDay };
          })
        : [];
      return {
        source,
        location,
        registerId,
        days,
        gaps: gaps
          .filter((gap) => registerKey(gap) === key)
          .map((gap) => ({
            scheme: gap.scheme,
            number: gap.number,
            reason: gap.reason,
            heldBy: holderOf(gap, settlements),
          })),
      };
    });
  return { registers: registerViews, missing: gaps.filter((gap) => gap.reason === 'missing').length };
}

function holderOf(
  gap: NumberingGap,
  settlements: readonly Settlement[],
): Numbering['registers'][number]['gaps'][number]['heldBy'] {
  if (gap.reason === 'missing') return null;
  const sameLocation = settlements.filter(
    (settlement) => settlement.source === gap.source && settlement.location === gap.location,
  );
  const holder =
    gap.scheme === 'sequence'
      ? sameLocation.find((settlement) => settlement.globalSequence === gap.number)
      : sameLocation.find(
          (settlement) =>
            settlement.registerId === gap.registerId &&
            settlement.kind === (gap.reason === 'empty_z' ? 'Z' : 'X') &&
            leadingNumber(settlement.reportNumber) === gap.number,
        );
  return holder
    ? {
        registerId: holder.registerId,
        kind: holder.kind,
        number: holder.reportNumber,
        businessDate: holder.businessDate,
      }
    : null;
}
