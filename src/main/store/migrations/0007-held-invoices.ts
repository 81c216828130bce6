import type { Migration } from './migration';

/**
 * An invoice read after its day's Z voucher was handed to sending is 'held': that voucher already
 * books the sale as revenue, so sending the invoice too would book it twice. SQLite cannot widen a
 * CHECK in place, so the outbox is copied into a table that allows the new state.
 */
export const heldInvoices: Migration = {
  id: 7,
  name: 'held-invoices',
  sql: `
CREATE TABLE invoice_outbox_0007 (
  id INTEGER PRIMARY KEY,
  invoice_id INTEGER NOT NULL REFERENCES invoice_sales (id) ON DELETE CASCADE,
  target_id TEXT NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
  mode TEXT NOT NULL CHECK (mode IN ('invoice-in-target', 'pos-issued')),
  idempotency_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'posted', 'failed', 'held')),
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  external_id TEXT,
  external_number TEXT,
  error_code TEXT,
  error_message TEXT,
  posted_at TEXT,
  updated_at TEXT NOT NULL,
  UNIQUE (invoice_id, target_id)
) STRICT;
INSERT INTO invoice_outbox_0007 SELECT * FROM invoice_outbox;
DROP TABLE invoice_outbox;
ALTER TABLE invoice_outbox_0007 RENAME TO invoice_outbox;
`,
};
