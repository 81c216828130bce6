import { formatAmount } from '../../../shared/money';
import { describeProblem } from '../../../shared/problems';
import { prepareVouchers } from '../../vouchers/prepare';
import type { CliContext } from '../context';
import { EXIT, type Output } from '../output';

/** Rebuilds every unsent voucher against the current mapping and chart; exit 1 when any is refused. */
export function validateCommand(context: CliContext, out: Output): number {
  const target = context.target();
  const summary = prepareVouchers(context.db, target.id);
  const errors = summary.problems.filter((problem) => problem.severity === 'error');
  if (out.json) {
    out.data({
      target: target.id,
      zReports: summary.zReports,
      ready: summary.ready,
      blocked: summary.blocked,
      skipped: summary.skipped,
      frozen: summary.frozen,
      problems: summary.problems.map((problem) => ({
        code: problem.code,
        severity: problem.severity,
        settlement: problem.settlement,
        key: problem.key ?? null,
        account: problem.account ?? null,
        vatCode: problem.vatCode ?? null,
        amount: problem.amount === undefined ? null : formatAmount(problem.amount),
        message: describeProblem(problem, out.language),
      })),
    });
  } else {
    for (const problem of summary.problems)
      out.line(`${problem.severity.padEnd(7)} ${problem.code.padEnd(22)} ${describeProblem(problem, out.language)}`);
    out.line(
      `${summary.zReports} Z-reports for target "${target.id}": ${summary.ready} ready, ${summary.blocked} blocked, ` +
        `${summary.skipped} skipped, ${summary.frozen} already sent; ${errors.length} errors`,
    );
  }
  return errors.length > 0 ? EXIT.problems : EXIT.ok;
}
