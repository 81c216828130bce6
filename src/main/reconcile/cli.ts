import { formatAmount, ore } from '../../shared/money';
import type { CliContext } from '../cli/context';
import { EXIT, table, type Output } from '../cli/output';
import { listSettlements } from '../store/settlements';
import { listTerminalReports, terminalPlacements } from '../terminal/report-store';
import type { Language } from '../../shared/settlement-keys';
import { describeCause } from './causes';
import { reconcileDays, type DayReconciliation } from './reconcile';

const amount = (value: number): string => formatAmount(ore(value));

export function dayJson(day: DayReconciliation, language: Language): unknown {
  return {
    date: day.date,
    location: day.location ?? null,
    status: day.status,
    pos: {
      cardIntegrated: amount(day.pos.integrated),
      cardManual: amount(day.pos.manual),
      tips: amount(day.pos.tips),
      zReports: day.pos.reports,
    },
    terminal: {
      amount: amount(day.terminal.amount),
      tips: amount(day.terminal.tips),
      cashback: amount(day.terminal.cashback),
      refunds: amount(day.terminal.refunds),
      reports: day.terminal.reports,
      duplicatesIgnored: day.terminal.duplicatesIgnored,
      xReports: day.terminal.interim.map((x) => ({ id: x.id, terminalId: x.terminalId, amount: amount(x.amount) })),
    },
    difference: amount(day.difference),
    unexplained: amount(day.unexplained),
    causes: day.causes.map((cause) => ({
      code: cause.code,
      ...(cause.amount === undefined ? {} : { amount: amount(cause.amount) }),
      text: describeCause(cause, language),
    })),
  };
}

export function printDays(days: readonly DayReconciliation[], out: Output): void {
  const rows = [['date', 'POS card', 'terminal', 'difference', 'status']];
  for (const day of days)
    rows.push([
      day.location === undefined ? day.date : `${day.date} ${day.location}`,
      amount(day.pos.integrated + day.pos.manual),
      amount(day.terminal.amount),
      amount(day.difference),
      day.status,
    ]);
  const lines = table(rows, [1, 2, 3]);
  out.line(lines[0]);
  days.forEach((day, index) => {
    out.line(lines[index + 1]);
    for (const cause of day.causes) out.line(`    ${cause.code}: ${describeCause(cause, out.language)}`);
    for (const x of day.terminal.interim)
      out.line(`    X-report from terminal ${x.terminalId}: ${amount(x.amount)} (shown, not reconciled)`);
  });
}

/** Runs the avstemming for a period from the store: what `kassebro reconcile` and the demo show. */
export function reconcileStore(
  ctx: CliContext,
  options: { from?: string; to?: string; cutover?: string },
): DayReconciliation[] {
  return reconcileDays(
    listSettlements(ctx.db, { kind: 'Z' }),
    listTerminalReports(ctx.db, { includeDuplicates: true }),
    { ...options, placements: terminalPlacements(ctx.db) },
  );
}

export function reconcileCommand(
  ctx: CliContext,
  out: Output,
  options: { from?: string; to?: string; cutover: string },
): number {
  const days = reconcileStore(ctx, options);
  if (out.json) out.data(days.map((day) => dayJson(day, out.language)));
  else if (days.length === 0) out.line('Nothing to reconcile in this period.');
  else printDays(days, out);
  return days.some((day) => day.status === 'difference') ? EXIT.problems : EXIT.ok;
}
