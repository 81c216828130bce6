import type { ApiResult } from '../../../shared/api';
import type { Language } from '../../../shared/settlement-keys';
import { describeCause } from '../../reconcile/causes';
import { reconcileDays } from '../../reconcile/reconcile';
import type { Db } from '../../store/database';
import { listSettlements } from '../../store/settlements';
import { listTerminalReports, terminalPlacements } from '../../terminal/report-store';
import { businessDateOf } from '../../terminal/zoned-time';

/** The same cut-over `kassebro reconcile` uses by default: a terminal closing at 01:30 counts for the day before. */
export const RECONCILE_CUTOVER = '04:00';

/**
 * The Avstemming screen's data: the last `days` business days reconciled exactly as
 * `kassebro reconcile` does (POS card keys vs original terminal reports), cause sentences in the
 * asked language, and every terminal report of those days including duplicates and X-reports.
 */
export function reconciliationView(db: Db, days: number, language: Language): ApiResult<'reconciliation'> {
  const settlements = listSettlements(db, { kind: 'Z' });
  const stored = listTerminalReports(db, { includeDuplicates: true });
  const businessDates = [
    ...new Set([
      ...settlements.map((settlement) => settlement.businessDate),
      ...stored.map((entry) => businessDateOf(entry.report.closedAt, RECONCILE_CUTOVER)),
    ]),
  ].sort();
  const from = businessDates.at(-days);
  const reconciled = reconcileDays(settlements, stored, {
    cutover: RECONCILE_CUTOVER,
    placements: terminalPlacements(db),
    ...(from ? { from } : {}),
  });
  return {
    cutover: RECONCILE_CUTOVER,
    days: reconciled.map((day) => ({
      date: day.date,
      location: day.location ?? null,
      status: day.status,
      pos: { integrated: day.pos.integrated, manual: day.pos.manual, tips: day.pos.tips, zReports: day.pos.reports },
      terminal: {
        amount: day.terminal.amount,
        tips: day.terminal.tips,
        cashback: day.terminal.cashback,
        refunds: day.terminal.refunds,
        reports: [...day.terminal.reports],
        duplicatesIgnored: day.terminal.duplicatesIgnored,
        xReports: day.terminal.interim.map((x) => ({ id: x.id, terminalId: x.terminalId, amount: x.amount })),
      },
      difference: day.difference,
      unexplained: day.unexplained,
      causes: day.causes.map((cause) => ({
        code: cause.code,
        amount: cause.amount ?? null,
        text: describeCause(cause, language),
      })),
    })),
    reports: stored
      .map((entry) => ({ entry, businessDate: businessDateOf(entry.report.closedAt, RECONCILE_CUTOVER) }))
      .filter(({ businessDate }) => from === undefined || businessDate >= from)
      .map(({ entry: { report, duplicateOf, duplicateReason }, businessDate }) => ({
        id: report.id,
        kind: report.kind,
        source: report.source,
        bax: report.bax ?? null,
        terminalId: report.terminalId,
        batchNo: report.batchNo ?? null,
        closedAt: report.closedAt,
        businessDate,
        count: report.totals.count,
        amount: report.totals.amount,
        tips: report.totals.tips,
        cashback: report.totals.cashback,
        schemes: report.schemes.map((scheme) => ({
          scheme: scheme.scheme,
          label: scheme.label,
          count: scheme.count,
          amount: scheme.netAmount,
        })),
        duplicateOf: duplicateOf ?? null,
        duplicateReason: duplicateReason ?? null,
        warnings: [...report.warnings],
      })),
  };
}
