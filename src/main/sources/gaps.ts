import { hasPostings, type Settlement } from '../domain/settlement';

/**
 * Why a number is absent from the posted Z-reports:
 * - `x_report`: an X report took it (POS that number X and Z in one sequence);
 * - `other_register`: another register's report took that global sequence number (kasseoppgjør-ID);
 * - `empty_z`: the Z exists but has nothing to post, so no voucher carries it;
 * - `missing`: no stored report holds it — a real gap to look into.
 */
export type GapReason = 'x_report' | 'other_register' | 'empty_z' | 'missing';

export interface NumberingGap {
  readonly source: string;
  readonly location: string;
  readonly registerId: string;
  /** `report` = the register's own Z number (dagsoppgjør nr); `sequence` = the global sequence. */
  readonly scheme: 'report' | 'sequence';
  readonly number: number;
  readonly reason: GapReason;
}

function leadingNumber(reportNumber: string): number | null {
  const match = /^\d+/.exec(reportNumber.trim());
  return match ? Number(match[0]) : null;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return groups;
}

/**
 * Explains every hole in the numbering of stored reports. Per register, missing Z numbers between
 * the lowest and highest stored one; per location, the global sequence numbers between a register's
 * consecutive Z reports, each attributed to the report that took it or marked missing.
 */
export function findNumberingGaps(settlements: readonly Settlement[]): NumberingGap[] {
  const gaps: NumberingGap[] = [];
  const byRegister = groupBy(settlements, (s) => [s.source, s.location, s.registerId].join('|'));
  for (const reports of byRegister.values()) {
    const { source, location, registerId } = reports[0]!;
    const base = { source, location, registerId, scheme: 'report' as const };
    const zNumbers = new Set<number>();
    const xNumbers = new Set<number>();
    for (const report of reports) {
      const number = leadingNumber(report.reportNumber);
      if (number === null) continue;
      if (report.kind === 'X') xNumbers.add(number);
      else {
        zNumbers.add(number);
        if (!hasPostings(report)) gaps.push({ ...base, number, reason: 'empty_z' });
      }
    }
    const sorted = [...zNumbers].sort((a, b) => a - b);
    for (let index = 1; index < sorted.length; index += 1) {
      for (let number = sorted[index - 1]! + 1; number < sorted[index]!; number += 1) {
        gaps.push({ ...base, number, reason: xNumbers.has(number) ? 'x_report' : 'missing' });
      }
    }
  }

  const byLocation = groupBy(
    settlements.filter((s) => s.globalSequence !== undefined),
    (s) => `${s.source}|${s.location}`,
  );
  for (const reports of byLocation.values()) {
    const holder = new Map(reports.map((report) => [report.globalSequence!, report]));
    for (const [registerKey, registerReports] of groupBy(reports, (s) => s.registerId)) {
      const zSequences = registerReports
        .filter((report) => report.kind === 'Z')
        .map((report) => report.globalSequence!)
        .sort((a, b) => a - b);
      const { source, location } = registerReports[0]!;
      for (let index = 1; index < zSequences.length; index += 1) {
        for (let number = zSequences[index - 1]! + 1; number < zSequences[index]!; number += 1) {
          const taken = holder.get(number);
          const reason: GapReason = !taken
            ? 'missing'
            : taken.registerId !== registerKey
              ? 'other_register'
              : 'x_report';
          gaps.push({ source, location, registerId: registerKey, scheme: 'sequence', number, reason });
        }
      }
    }
  }
  return gaps;
}
