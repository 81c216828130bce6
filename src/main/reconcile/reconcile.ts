import { ore, type Ore } from '../../shared/money';
import type { LineKey } from '../../shared/settlement-keys';
import { hasCountableAmounts, type Settlement } from '../domain/settlement';
import type { StoredTerminalReport, TerminalPlacement } from '../terminal/report-store';
import { businessDateOf } from '../terminal/zoned-time';
import type { Cause } from './causes';

const TERMINAL_TIP_KEYS: readonly LineKey[] = ['tips_terminal_integrated', 'tips_terminal_manual'];

export type DayStatus = 'ok' | 'explained' | 'difference' | 'no-terminal-report' | 'no-pos-report';

export interface DayReconciliation {
  readonly date: string;
  /** The POS location, when terminals are placed at locations; otherwise all locations together. */
  readonly location?: string;
  readonly pos: { readonly integrated: Ore; readonly manual: Ore; readonly tips: Ore; readonly reports: number };
  readonly terminal: {
    readonly amount: Ore;
    readonly tips: Ore;
    readonly cashback: Ore;
    readonly refunds: Ore;
    readonly reports: readonly string[];
    readonly duplicatesIgnored: number;
    /** X-reports of the day: shown for monitoring, never part of the comparison. */
    readonly interim: readonly { readonly id: string; readonly terminalId: string; readonly amount: Ore }[];
  };
  /** Terminal minus POS card total. */
  readonly difference: Ore;
  readonly unexplained: Ore;
  readonly status: DayStatus;
  readonly causes: readonly Cause[];
}

export interface ReconcileOptions {
  readonly from?: string;
  readonly to?: string;
  /** Terminal closings before this local time belong to the previous business day (bars open past midnight). */
  readonly cutover?: string;
  /** Where each terminal stands; without any, every day is compared across all locations. */
  readonly placements?: readonly TerminalPlacement[];
}

/**
 * Avstemming per business day: the POS's card total (integrated + manual terminal keys of all Z-reports)
 * against the terminal's settled total (original reports only, duplicates on a shared BAX excluded,
 * X-reports never). Differences are explained by the known causes where the numbers fit.
 */
export function reconcileDays(
  stored: readonly Settlement[],
  reports: readonly StoredTerminalReport[],
  options: ReconcileOptions = {},
): DayReconciliation[] {
  // A report too large to count is refused on its own (its voucher says so); summing it would stop every day.
  const settlements = stored.filter(hasCountableAmounts);
  const placements = options.placements ?? [];
  if (placements.length === 0) return reconcileLocation(undefined, settlements, reports, options);
  // Terminals are placed: each shop is compared with its own terminals, and a terminal placed at a
  // register (per-terminal BAX, spec §4 rule 3) with that register alone. Unplaced terminals form their own group.
  const byTerminal = new Map(placements.map((placement) => [placement.terminalId, placement]));
  const ownRegisters = new Set(
    placements
      .filter((placement) => placement.registerId)
      .map((placement) => groupName(placement.location, placement.registerId)),
  );
  const groupOfSettlement = (settlement: Settlement): string => {
    const own = groupName(settlement.location, settlement.registerId);
    return ownRegisters.has(own) ? own : settlement.location;
  };
  const groupOfReport = (stored: StoredTerminalReport): string => {
    const placement = byTerminal.get(stored.report.terminalId);
    return placement ? groupName(placement.location, placement.registerId) : UNPLACED;
  };
  const groups = [...new Set([...settlements.map(groupOfSettlement), ...reports.map(groupOfReport)])];
  return groups
    .flatMap((group) =>
      reconcileLocation(
        group,
        settlements.filter((settlement) => groupOfSettlement(settlement) === group),
        reports.filter((stored) => groupOfReport(stored) === group),
        options,
      ),
    )
    .sort((a, b) => a.date.localeCompare(b.date) || (a.location ?? '').localeCompare(b.location ?? ''));
}

const groupName = (location: string, registerId: string | undefined): string =>
  registerId ? `${location} register ${registerId}` : location;

/** The group of reports from terminals no `terminal place` has put at a location. */
export const UNPLACED = '(terminal not placed)';

function reconcileLocation(
  location: string | undefined,
  settlements: readonly Settlement[],
  reports: readonly StoredTerminalReport[],
  options: ReconcileOptions,
): DayReconciliation[] {
  const cutover = options.cutover ?? '04:00';
  const inRange = (date: string): boolean =>
    (!options.from || date >= options.from) && (!options.to || date <= options.to);
  const days = new Set<string>();
  const zReports = settlements.filter((settlement) => settlement.kind === 'Z' && inRange(settlement.businessDate));
  for (const settlement of zReports) days.add(settlement.businessDate);
  const byDay = new Map<string, StoredTerminalReport[]>();
  for (const stored of reports) {
    const date = businessDateOf(stored.report.closedAt, cutover);
    if (!inRange(date)) continue;
    days.add(date);
    byDay.set(date, [...(byDay.get(date) ?? []), stored]);
  }
  const sorted = [...days].sort();
  return sorted.map((date) => {
    const day = reconcileDay(date, zReports, byDay, sorted);
    if (location === undefined) return day;
    const causes: Cause[] =
      location === UNPLACED
        ? [
            {
              code: 'terminal-not-placed',
              detail: {},
            },
            ...day.causes,
          ]
        : [...day.causes];
    return { ...day, location, causes };
  });
}

function sumKeys(settlements: readonly Settlement[], keys: readonly LineKey[]): Ore {
  let total = 0;
  for (const settlement of settlements)
    for (const line of settlement.lines) if (keys.includes(line.key)) total += line.amount;
  return ore(total);
}

function reconcileDay(
  date: string,
  zReports: readonly Settlement[],
  byDay: ReadonlyMap<string, StoredTerminalReport[]>,
  allDays: readonly string[],
): DayReconciliation {
  const daySettlements = zReports.filter((settlement) => settlement.businessDate === date);
  const integrated = sumKeys(daySettlements, ['card_integrated']);
  const manual = sumKeys(daySettlements, ['card_manual']);
  const posTips = sumKeys(daySettlements, TERMINAL_TIP_KEYS);
  const posCard = ore(integrated + manual);
  const stored = byDay.get(date) ?? [];
  const finals = stored.filter((entry) => !entry.duplicateOf && entry.report.kind !== 'x');
  const interim = stored
    .filter((entry) => entry.report.kind === 'x')
    .map((entry) => ({
      id: entry.report.id,
      terminalId: entry.report.terminalId,
      amount: ore(entry.report.totals.amount),
    }));
  const duplicatesIgnored = stored.filter((entry) => entry.duplicateOf && entry.report.kind !== 'x').length;
  const total = (pick: (report: StoredTerminalReport['report']) => number): Ore =>
    ore(finals.reduce((acc, entry) => acc + pick(entry.report), 0));
  const terminal = {
    amount: total((report) => report.totals.amount),
    tips: total((report) => report.totals.tips),
    cashback: total((report) => report.totals.cashback),
    refunds: total((report) => report.totals.refunds),
    reports: finals.map((entry) => entry.report.id),
    duplicatesIgnored,
    interim,
  };
  const difference = ore(terminal.amount - posCard);
  const causes: Cause[] = [];
  if (duplicatesIgnored > 0) {
    causes.push({
      code: 'duplicate-bax-ignored',
      detail: { count: duplicatesIgnored },
    });
  }
  for (const entry of finals) {
    const blocking = entry.report.warnings.filter((warning) => /mismatch|differs|conflict/i.test(warning));
    if (blocking.length) {
      causes.push({
        code: 'terminal-report-warning',
        detail: { terminal: entry.report.terminalId, warnings: blocking.join('; ') },
      });
    }
  }

  // An X-report alone (today, before the Z) is "X-report only", not a missing Z-report.
  if (finals.length === 0 && (posCard !== 0 || interim.length > 0)) {
    const later = allDays.find(
      (day) => day > date && (byDay.get(day) ?? []).some((entry) => !entry.duplicateOf && entry.report.kind !== 'x'),
    );
    causes.push(
      interim.length
        ? {
            code: 'x-report-only',
            detail: {},
          }
        : {
            code: 'reconciliation-not-run',
            detail: {},
          },
    );
    if (later) {
      causes.push({
        code: 'reconciliation-at-other-time',
        detail: { date: later },
      });
    }
    return finish(
      date,
      integrated,
      manual,
      posTips,
      daySettlements.length,
      terminal,
      difference,
      difference,
      'no-terminal-report',
      causes,
    );
  }
  if (daySettlements.length === 0) {
    causes.push({
      code: 'no-pos-report',
      detail: {},
    });
    return finish(date, integrated, manual, posTips, 0, terminal, difference, difference, 'no-pos-report', causes);
  }

  const unexplained = explain(difference, terminal, posTips, manual, causes);
  const status: DayStatus = difference === 0 ? 'ok' : unexplained === 0 ? 'explained' : 'difference';
  return finish(
    date,
    integrated,
    manual,
    posTips,
    daySettlements.length,
    terminal,
    difference,
    unexplained,
    status,
    causes,
  );
}

/** Tries the known causes, alone and together, against the difference; returns what is left unexplained. */
function explain(
  difference: Ore,
  terminal: { tips: Ore; cashback: Ore; refunds: Ore },
  posTips: Ore,
  manual: Ore,
  causes: Cause[],
): Ore {
  if (difference === 0) return difference;
  const candidates: Cause[] = [];
  if (terminal.cashback !== 0) {
    candidates.push({
      code: 'cashback',
      amount: terminal.cashback,
      detail: { amount: terminal.cashback },
    });
  }
  const tipsOnlyOnTerminal = ore(terminal.tips - posTips);
  if (tipsOnlyOnTerminal > 0) {
    candidates.push({
      code: 'tips-on-terminal-only',
      amount: tipsOnlyOnTerminal,
      detail: { amount: tipsOnlyOnTerminal },
    });
  }
  if (terminal.refunds !== 0) {
    candidates.push({
      code: 'refund-on-terminal-only',
      amount: ore(-terminal.refunds),
      detail: { amount: terminal.refunds },
    });
  }
  // Smallest set of causes whose amounts add up to the difference exactly.
  for (let size = 1; size <= candidates.length; size += 1) {
    for (const subset of subsets(candidates, size)) {
      if (subset.reduce((acc, cause) => acc + (cause.amount ?? 0), 0) === difference) {
        causes.push(...subset);
        return ore(0);
      }
    }
  }
  if (manual === 0) {
    causes.push({
      code: 'unexplained',
      amount: difference,
      detail: {},
    });
  } else {
    const typo = Math.abs(difference) % 9 === 0;
    causes.push(
      typo
        ? {
            code: 'manual-terminal-typo',
            amount: difference,
            detail: { amount: difference },
          }
        : {
            code: 'manual-terminal',
            amount: difference,
            detail: { amount: manual },
          },
    );
  }
  return difference;
}

function* subsets<T>(items: readonly T[], size: number, start = 0): Generator<T[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let index = start; index <= items.length - size; index += 1) {
    for (const rest of subsets(items, size - 1, index + 1)) yield [items[index]!, ...rest];
  }
}

function finish(
  date: string,
  integrated: Ore,
  manual: Ore,
  tips: Ore,
  reports: number,
  terminal: DayReconciliation['terminal'],
  difference: Ore,
  unexplained: Ore,
  status: DayStatus,
  causes: Cause[],
): DayReconciliation {
  return { date, pos: { integrated, manual, tips, reports }, terminal, difference, unexplained, status, causes };
}
