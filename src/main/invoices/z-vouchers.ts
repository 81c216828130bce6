import { sum } from '../../shared/money';
import { describeProblem, SEVERITY_OF, type Problem, type ProblemCode } from '../../shared/problems';
import type { Language } from '../../shared/settlement-keys';
import type { Settlement } from '../domain/settlement';
import type { Db } from '../store/database';
import type { TargetRecord } from '../store/targets';
import { syncSettingsOf } from '../sync/settings';
import { settlementRef, type BuildResult } from '../vouchers/build';
import { loadInvoiceConfig } from './config';
import { invoiceTotals } from './invoice';
import { dropUnsentInvoices, enqueueInvoice, holdInvoice, invoicesOfDay, transferStartedIds } from './store';
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
  /**
   * Called when the Z voucher was already handed to sending: the day's invoices read since then
   * are held back (that voucher books them as revenue) and each is reported once, naming the
   * account the voucher used for invoice sales.
   */
  readonly holdLate: (clearingAccount: string | null, language: Language, now: Date) => Problem[];
}

/**
 * Decides, per Z-report, what happens to its invoice sales for one target. Invoices whose transfer
 * has begun stay cleared even if the setting is turned off later, so nothing is booked twice.
 */
export function planInvoiceClearing(db: Db, target: TargetRecord): (settlement: Settlement) => InvoicePlan {
  const targetId = target.id;
  const config = loadInvoiceConfig(db, targetId);
  // Days before go-live were booked by hand; their invoices wait with their Z vouchers, unsent.
  const { exportFrom } = syncSettingsOf(target);
  const started = transferStartedIds(db, targetId);
  return (settlement) => {
    const none: InvoicePlan = { settlement, problems: [], enqueue: () => undefined, holdLate: () => [] };
    if (settlement.kind !== 'Z') return none;
    const ofDay = invoicesOfDay(db, settlement);
    const transferred = config.enabled ? ofDay : ofDay.filter((invoice) => started.has(invoice.id));
    const kept = ofDay.filter((invoice) => !transferred.includes(invoice)).map((invoice) => invoice.id);
    const problem = (code: ProblemCode, details: Partial<Problem>): Problem => ({
      code,
      severity: SEVERITY_OF[code],
      settlement: settlementRef(settlement),
      ...details,
    });
    const holdLate = (clearingAccount: string | null, language: Language, now: Date): Problem[] => {
      if (!config.enabled) return [];
      const held: Problem[] = [];
      for (const invoice of ofDay) {
        const late = problem('invoice_after_z', {
          key: 'invoice',
          amount: invoiceTotals(invoice.sale).gross,
          ...(clearingAccount ? { account: clearingAccount } : {}),
          invoice: {
            posNumber: invoice.sale.posNumber,
            customer: invoice.sale.customer.name,
            issuedByPos: config.mode === 'pos-issued',
          },
        });
        if (holdInvoice(db, invoice, targetId, config.mode, describeProblem(late, language), now)) held.push(late);
      }
      return held;
    };
    if (config.enabled && config.zRevenue === 'include' && transferred.length > 0) {
      const gross = sum(transferred.map((invoice) => invoiceTotals(invoice.sale).gross));
      return {
        ...none,
        holdLate,
        problems: [
          problem('invoice_double_booking', { key: 'invoice', amount: gross, invoiceCount: transferred.length }),
        ],
      };
    }
    const cleared = clearInvoiceSales(
      settlement,
      transferred.map((invoice) => invoice.sale),
    );
    // With transfer on, invoice payments the POS reports without a read invoice are worth a warning.
    const open =
      cleared.clearingOpen !== 0 && (config.enabled || transferred.length > 0)
        ? [problem('invoice_clearing_open', { key: 'invoice', amount: cleared.clearingOpen })]
        : [];
    return {
      settlement: cleared.settlement,
      problems: open,
      holdLate,
      enqueue: (now) => {
        const beforeGoLive = exportFrom !== null && settlement.businessDate < exportFrom;
        dropUnsentInvoices(db, targetId, beforeGoLive ? ofDay.map((invoice) => invoice.id) : kept);
        if (!config.enabled || beforeGoLive) return;
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
