import { createHash } from 'node:crypto';
import { writeTransaction, type Db } from '../store/database';
import type { InvoiceMode } from './config';
import { customerKey, invoiceIdentity, invoiceSaleSchema, invoiceTotals, type InvoiceSale } from './invoice';

export interface StoredInvoice {
  readonly id: number;
  readonly sale: InvoiceSale;
}

interface SaleRow {
  id: number;
  sale: string;
}

const fromRow = (row: SaleRow): StoredInvoice => ({ id: row.id, sale: invoiceSaleSchema.parse(JSON.parse(row.sale)) });

/** Stores invoice sales; one already stored (same source, location and POS number) is left as it is. */
export function importInvoiceSales(
  db: Db,
  sales: readonly InvoiceSale[],
  now = new Date(),
): { inserted: number; alreadyPresent: number } {
  const insert = db.prepare(
    `INSERT INTO invoice_sales (identity, source, location, register_id, business_date, pos_number, customer_key, gross, sale, imported_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (identity) DO NOTHING`,
  );
  let inserted = 0;
  writeTransaction(db, () => {
    for (const sale of sales) {
      const valid = invoiceSaleSchema.parse(sale);
      inserted += insert.run(
        invoiceIdentity(valid),
        valid.source,
        valid.location,
        valid.registerId,
        valid.businessDate,
        valid.posNumber,
        customerKey(valid.customer),
        invoiceTotals(valid).gross,
        JSON.stringify(valid),
        now.toISOString(),
      ).changes;
    }
  });
  return { inserted, alreadyPresent: sales.length - inserted };
}

export function listInvoiceSales(db: Db): StoredInvoice[] {
  return (db.prepare('SELECT id, sale FROM invoice_sales ORDER BY business_date, id').all() as SaleRow[]).map(fromRow);
}

/** The invoice sales a register's Z-report of that business day contains. */
export function invoicesOfDay(
  db: Db,
  day: { location: string; registerId: string; businessDate: string },
): StoredInvoice[] {
  return (
    db
      .prepare(
        'SELECT id, sale FROM invoice_sales WHERE location = ? AND register_id = ? AND business_date = ? ORDER BY id',
      )
      .all(day.location, day.registerId, day.businessDate) as SaleRow[]
  ).map(fromRow);
}

/** Derived, never random: the same invoice for the same target always has the same key. */
export function invoiceIdempotencyKey(targetId: string, sale: InvoiceSale): string {
  const digest = createHash('sha256')
    .update(`invoice\n${targetId}\n${invoiceIdentity(sale)}`)
    .digest('hex');
  return `kbi1-${digest.slice(0, 32)}`;
}

export const INVOICE_OUTBOX_STATES = ['queued', 'sending', 'posted', 'failed', 'held'] as const;
export type InvoiceOutboxState = (typeof INVOICE_OUTBOX_STATES)[number];

/** How many of a target's invoices are in each outbox state (every state present, 0 when none). */
export function countInvoicesByState(db: Db, targetId: string): Record<InvoiceOutboxState, number> {
  const rows = db
    .prepare('SELECT state, COUNT(*) AS n FROM invoice_outbox WHERE target_id = ? GROUP BY state')
    .all(targetId) as { state: InvoiceOutboxState; n: number }[];
  const counts = Object.fromEntries(INVOICE_OUTBOX_STATES.map((state) => [state, 0])) as Record<
    InvoiceOutboxState,
    number
  >;
  for (const row of rows) counts[row.state] = row.n;
  return counts;
}

export interface InvoiceOutboxRow {
  readonly id: number;
  readonly invoiceId: number;
  readonly targetId: string;
  readonly mode: InvoiceMode;
  readonly idempotencyKey: string;
  readonly state: InvoiceOutboxState;
  readonly attempts: number;
  readonly externalId: string | null;
  readonly externalNumber: string | null;
  readonly errorCode: string | null;
  readonly errorMessage: string | null;
}

interface OutboxRow {
  id: number;
  invoice_id: number;
  target_id: string;
  mode: InvoiceMode;
  idempotency_key: string;
  state: InvoiceOutboxState;
  attempts: number;
  external_id: string | null;
  external_number: string | null;
  error_code: string | null;
  error_message: string | null;
}

const outboxFromRow = (row: OutboxRow): InvoiceOutboxRow => ({
  id: row.id,
  invoiceId: row.invoice_id,
  targetId: row.target_id,
  mode: row.mode,
  idempotencyKey: row.idempotency_key,
  state: row.state,
  attempts: row.attempts,
  externalId: row.external_id,
  externalNumber: row.external_number,
  errorCode: row.error_code,
  errorMessage: row.error_message,
});

/** Queues an invoice for a target once; the mode is fixed from then on (a retry never changes it). */
export function enqueueInvoice(db: Db, invoice: StoredInvoice, targetId: string, mode: InvoiceMode, now: Date): void {
  db.prepare(
    `INSERT INTO invoice_outbox (invoice_id, target_id, mode, idempotency_key, state, updated_at)
     VALUES (?, ?, ?, ?, 'queued', ?) ON CONFLICT (invoice_id, target_id) DO NOTHING`,
  ).run(invoice.id, targetId, mode, invoiceIdempotencyKey(targetId, invoice.sale), now.toISOString());
}

/**
 * Holds an invoice back for good: it was read after its day's Z voucher was handed to sending, and
 * that voucher books it as revenue. True when it was newly held (an invoice already in the outbox
 * keeps its state).
 */
export function holdInvoice(
  db: Db,
  invoice: StoredInvoice,
  targetId: string,
  mode: InvoiceMode,
  explanation: string,
  now: Date,
): boolean {
  return (
    db
      .prepare(
        `INSERT INTO invoice_outbox (invoice_id, target_id, mode, idempotency_key, state, error_code, error_message, updated_at)
         VALUES (?, ?, ?, ?, 'held', 'invoice_after_z', ?, ?) ON CONFLICT (invoice_id, target_id) DO NOTHING`,
      )
      .run(invoice.id, targetId, mode, invoiceIdempotencyKey(targetId, invoice.sale), explanation, now.toISOString())
      .changes === 1
  );
}

export function listInvoiceOutbox(db: Db, targetId: string): InvoiceOutboxRow[] {
  return (db.prepare('SELECT * FROM invoice_outbox WHERE target_id = ? ORDER BY id').all(targetId) as OutboxRow[]).map(
    outboxFromRow,
  );
}

/**
 * Takes never-tried invoices of a day out of a target's queue: their Z voucher was rebuilt with
 * their revenue in it (transfer turned off), so sending them later would book it twice.
 */
export function dropUnsentInvoices(db: Db, targetId: string, invoiceIds: readonly number[]): void {
  const drop = db.prepare(
    `DELETE FROM invoice_outbox WHERE target_id = ? AND invoice_id = ? AND state = 'queued' AND attempts = 0`,
  );
  for (const id of invoiceIds) drop.run(targetId, id);
}

/**
 * Invoices whose transfer has begun: the Z-report must keep them off revenue whatever the setting
 * says now. A held invoice never began: its revenue is in the Z voucher.
 */
export function transferStartedIds(db: Db, targetId: string): Set<number> {
  const rows = db
    .prepare(
      `SELECT invoice_id FROM invoice_outbox WHERE target_id = ? AND (attempts > 0 OR state NOT IN ('queued', 'held'))`,
    )
    .all(targetId) as { invoice_id: number }[];
  return new Set(rows.map((row) => row.invoice_id));
}

export function nextDueInvoice(
  db: Db,
  targetId: string,
  now: Date,
  skip: ReadonlySet<number>,
): (InvoiceOutboxRow & { invoice: StoredInvoice }) | undefined {
  const skipped = [...skip];
  const row = db
    .prepare(
      `SELECT o.* FROM invoice_outbox o JOIN invoice_sales s ON s.id = o.invoice_id
       WHERE o.target_id = ? AND (o.state IN ('queued', 'sending') OR (o.state = 'failed' AND o.next_attempt_at <= ?))
         AND (o.lookup_after IS NULL OR o.lookup_after <= ?)
         AND o.id NOT IN (${skipped.map(() => '?').join(', ')})
       ORDER BY s.business_date, s.id LIMIT 1`,
    )
    .get(targetId, now.toISOString(), now.toISOString(), ...skipped) as OutboxRow | undefined;
  if (!row) return undefined;
  const sale = db.prepare('SELECT id, sale FROM invoice_sales WHERE id = ?').get(row.invoice_id) as SaleRow;
  return { ...outboxFromRow(row), invoice: fromRow(sale) };
}

export type MatchedBy = 'organization_number' | 'customer_number' | 'email' | 'created';

export interface TargetCustomerRow {
  readonly customerKey: string;
  readonly customerNumber: string | null;
  readonly externalId: string | null;
  readonly matchedBy: MatchedBy;
}

export function getTargetCustomer(db: Db, targetId: string, key: string): TargetCustomerRow | undefined {
  const row = db
    .prepare(
      'SELECT customer_key, customer_number, external_id, matched_by FROM target_customers WHERE target_id = ? AND customer_key = ?',
    )
    .get(targetId, key) as
    | { customer_key: string; customer_number: string | null; external_id: string | null; matched_by: MatchedBy }
    | undefined;
  return row
    ? {
        customerKey: row.customer_key,
        customerNumber: row.customer_number,
        externalId: row.external_id,
        matchedBy: row.matched_by,
      }
    : undefined;
}

export function saveTargetCustomer(db: Db, targetId: string, row: TargetCustomerRow, now: Date): void {
  db.prepare(
    `INSERT INTO target_customers (target_id, customer_key, customer_number, external_id, matched_by, updated_at)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (target_id, customer_key) DO UPDATE SET customer_number = excluded.customer_number,
       external_id = excluded.external_id, matched_by = excluded.matched_by, updated_at = excluded.updated_at`,
  ).run(targetId, row.customerKey, row.customerNumber, row.externalId, row.matchedBy, now.toISOString());
}

/** The next free number of our customer series at this target (reserved numbers count as used). */
export function nextCustomerNumber(db: Db, targetId: string, start: number): number {
  const row = db
    .prepare(
      `SELECT MAX(CAST(customer_number AS INTEGER)) AS top FROM target_customers
       WHERE target_id = ? AND matched_by = 'created' AND customer_number GLOB '[0-9]*'`,
    )
    .get(targetId) as { top: number | null };
  return Math.max(start, (row.top ?? 0) + 1);
}
