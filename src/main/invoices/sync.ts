import type { Language } from '../../shared/settlement-keys';
import type { InvoiceConnector, InvoiceToSend, TargetCustomer } from '../connectors/invoice-connector';
import type { Db } from '../store/database';
import {
  DEFAULT_LOOKUP_DELAY,
  drainOutbox,
  ExchangeRecorder,
  type LookupDelay,
  type OutboxItem,
} from '../sync/delivery';
import { acquireSyncLease } from '../sync/lock';
import { doubleBookingReason, type InvoiceConfig } from './config';
import { resolveCustomer } from './customers';
import { explainInvoiceError } from './explain';
import { outboxRow } from '../sync/outbox';
import { nextDueInvoice } from './store';
import { targetLines } from './target-lines';

export interface InvoiceRunOptions {
  readonly targetId: string;
  readonly connector: InvoiceConnector;
  readonly config: InvoiceConfig;
  readonly language: Language;
  readonly recorder?: ExchangeRecorder;
  /** How long an invoice that may be on its way is left alone before it is looked up. */
  readonly lookupDelay?: LookupDelay;
  readonly now?: () => Date;
}

export interface InvoiceRunResult {
  readonly outcome: 'done' | 'locked' | 'offline' | 'target-unavailable' | 'auth' | 'refused';
  readonly posted: number;
  readonly foundExisting: number;
  readonly failed: number;
  /** Why the run was refused (a configuration that would double-book). */
  readonly reason?: string;
}

const INVOICE_WORD: Readonly<Record<Language, string>> = { nb: 'Faktura', sv: 'Faktura', en: 'Invoice' };

/**
 * Sends a target's queued invoices once each, through the same delivery loop as vouchers: the
 * customer is resolved (matched or created once), the state is committed before the invoice
 * leaves, and an invoice that may have arrived is looked up before it is sent again.
 */
export async function runInvoiceSync(db: Db, options: InvoiceRunOptions): Promise<InvoiceRunResult> {
  const now = options.now ?? (() => new Date());
  const refused =
    doubleBookingReason(options.config, options.language) ??
    (options.connector.modes.includes(options.config.mode)
      ? null
      : `This accounting system takes invoices only as ${options.connector.modes.join(' or ')}, not ${options.config.mode}.`);
  if (refused) return { outcome: 'refused', posted: 0, foundExisting: 0, failed: 0, reason: refused };
  const lease = acquireSyncLease(db, `${options.targetId}#invoices`, { now });
  if (!lease) return { outcome: 'locked', posted: 0, foundExisting: 0, failed: 0 };
  const { connector } = options;
  try {
    const next = (attempted: ReadonlySet<number>): OutboxItem | undefined => {
      const due = nextDueInvoice(db, options.targetId, now(), attempted);
      if (!due) return undefined;
      const sale = due.invoice.sale;
      let customer: TargetCustomer | undefined;
      const toSend = (): InvoiceToSend => {
        if (!customer) throw new Error('customer not resolved');
        return {
          sale,
          mode: due.mode,
          customer,
          idempotencyKey: due.idempotencyKey,
          lines: targetLines(sale, connector.lineBasis),
        };
      };
      return {
        id: due.id,
        attempts: due.attempts,
        state: due.state,
        description: `${INVOICE_WORD[options.language]} ${sale.posNumber} ${sale.customer.name} ${sale.issueDate}`,
        module: 'invoice',
        explain: explainInvoiceError,
        prepare: async () => {
          customer = await resolveCustomer(
            db,
            options.targetId,
            connector,
            sale.customer,
            options.config.customerNumberStart,
            now,
          );
        },
        // Without a customer nothing can have been sent.
        findExisting: async () => (customer ? connector.findExistingInvoice(toSend()) : null),
        send: () => connector.postInvoice(toSend()),
        ...outboxRow(db, 'invoice_outbox', due.id),
      };
    };
    const { stop, counts } = await drainOutbox(
      {
        db,
        targetId: options.targetId,
        language: options.language,
        recorder: options.recorder ?? new ExchangeRecorder(),
        lease,
        lookupDelay: options.lookupDelay ?? DEFAULT_LOOKUP_DELAY,
        now,
      },
      next,
    );
    return { outcome: stop ?? 'done', ...counts };
  } finally {
    lease.release();
  }
}
