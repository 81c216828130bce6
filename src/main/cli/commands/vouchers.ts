import { describeProblem } from '../../../shared/problems';
import { listVouchers } from '../../store/vouchers';
import { prepareVouchers } from '../../vouchers/prepare';
import { voucherToJson } from '../../vouchers/voucher';
import type { CliContext } from '../context';
import { CliError, EXIT, table, type Output } from '../output';

export function vouchersCommand(context: CliContext, out: Output, settlementOption?: string): number {
  const target = context.target();
  let settlementId: number | undefined;
  if (settlementOption !== undefined) {
    settlementId = Number(settlementOption);
    if (!Number.isSafeInteger(settlementId) || settlementId <= 0) {
      throw new CliError(`--settlement must be a settlement id (a positive whole number), not "${settlementOption}"`);
    }
  }
  // Unsent vouchers are derived from the current mapping: refresh them before showing them.
  prepareVouchers(context.db, target.id);
  const stored = listVouchers(context.db, { targetId: target.id, ...(settlementId ? { settlementId } : {}) });
  if (settlementId !== undefined && stored.length === 0) {
    throw new CliError(
      `Settlement ${settlementId} has no voucher for target "${target.id}" (it is missing or an X-report)`,
    );
  }
  if (out.json) {
    out.data(
      stored.map((entry) => ({
        ...(entry.voucher
          ? voucherToJson(entry.voucher, entry.id)
          : { id: entry.id, settlement: null, date: null, description: null, lines: [], balanced: false }),
        settlementId: entry.settlementId,
        state: entry.state,
        idempotencyKey: entry.idempotencyKey,
        problems: entry.problems.map((problem) => ({
          code: problem.code,
          severity: problem.severity,
          message: describeProblem(problem, out.language),
        })),
      })),
    );
    return EXIT.ok;
  }
  for (const entry of stored) {
    if (!entry.voucher) {
      const reason = entry.problems.map((problem) => describeProblem(problem, out.language)).join(' ');
      out.line(`#${entry.id} settlement ${entry.settlementId} — ${entry.state}: ${reason}`);
      continue;
    }
    const json = voucherToJson(entry.voucher, entry.id);
    out.line(`#${json.id} ${json.date} ${json.description} — ${entry.state}${json.balanced ? '' : ' (NOT BALANCED)'}`);
    const rows = json.lines.map((line) => [
      `  ${line.account}`,
      line.vatCode ?? '',
      line.debit === '0.00' ? '' : line.debit,
      line.credit === '0.00' ? '' : line.credit,
      line.department ?? '',
      line.text,
    ]);
    for (const row of table([['  account', 'vat', 'debit', 'credit', 'dept', 'text'], ...rows], [2, 3])) out.line(row);
  }
  out.line(`${stored.length} vouchers for target "${target.id}"`);
  return EXIT.ok;
}
