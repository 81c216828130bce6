import { sum } from '../../shared/money';
import { SEVERITY_OF, type Problem, type ProblemCode } from '../../shared/problems';
import type { Settlement } from '../domain/settlement';
import type { Db } from '../store/database';
import { settlementRef, type BuildResult } from '../vouchers/build';
import { loadInvoiceConfig } from './config';
import { invoiceTotals } from './invoice';
import { dropUnsentInvoices, enqueueInvoice, invoicesOfDay, transferStartedIds } from './store';
import { clearInvoiceSales } from './z-clearing';

export interface InvoicePlan {
  /** The settlement the voucher is built from: invoice sales moved to the clearing key when they are transferred. */
  readonly settlement: Settlement;
  readonly problems: readonly Problem[];
  /**
   * Called when the Z voucher is saved as ready: queues the invoices it clears, or takes the day's
   * unsent invoices out of the queue when it now keeps their revenue (transfer turned off).
   */
  readonly enqueue: (now: Date) => void;
}

/**
 * Decides, per Z-report, what happens to its invoice sales for one target. Invoices whose transfer
 * has begun stay cleared even if the setting is turned off later, so nothing is booked twice.
 */
export function planInvoiceClearing(db: Db, targetId: string): (settlement: Settlement) => InvoicePlan {
  const config = loadInvoiceConfig(db, targetId);
  const started = transferStartedIds(db, targetId);
  return (settlement) => {
    const none: InvoicePlan = { settlement, problems: [], enqueue: () => undefined };
    if (settlement.kind !== 'Z') return none;
    const ofDay = invoicesOfDay(db, settlement);
    const transferred = config.enabled ? ofDay : ofDay.filter((invoice) => started.has(invoice.id));
    const kept = ofDay.filter((invoice) => !transferred.includes(invoice)).map((invoice) => invoice.id);
    if (transferred.length === 0) {
      return { ...none, enqueue: () => dropUnsentInvoices(db, targetId, kept) };
    }
    const problem = (code: ProblemCode, details: Partial<Problem>): Problem => ({
      code,
      severity: SEVERITY_OF[code],
      settlement: settlementRef(settlement),
      ...details,
    });
    if (config.enabled && config.zRevenue === 'include') {
      const gross = sum(transferred.map((invoice) => invoiceTotals(invoice.sale).gross));
      return {
        ...none,
        problems: [
          problem('invoice_double_booking', { key: 'invoice', amount: gross, invoiceCount: transferred.length }),
        ],
      };
    }
    const cleared = clearInvoiceSales(
      settlement,
      transferred.map((invoice) => invoice.sale),
    );
    return {
      settlement: cleared.settlement,
      problems:
        cleared.clearingOpen === 0
          ? []
          : [problem('invoice_clearing_open', { key: 'invoice', amount: cleared.clearingOpen })],
      enqueue: (now) => {
        if (!config.enabled) return;
        for (const invoice of transferred) enqueueInvoice(db, invoice, targetId, config.mode, now);
      },
    };
  };
}

/** A build result with the invoice plan's problems in front; an invoice error refuses the voucher. */
export function withInvoiceProblems(result: BuildResult, problems: readonly Problem[]): BuildResult {
  if (problems.length === 0) return result;
  const refused = problems.some((problem) => problem.severity === 'error');
  return { voucher: refused ? null : result.voucher, problems: [...problems, ...result.problems] };
}
