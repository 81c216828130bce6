import type { Migration } from './migration';

/**
 * Invoice sales (faktura / kreditsalg) read from the POS, the customers each target holds for
 * them, and the invoice outbox: one row per (invoice, target) with a derived idempotency key,
 * moving queued → sending → posted | failed like the voucher outbox.
 */
export const invoices: Migration = {
  id: 6,
  name: 'invoices',
  sql: `
CREATE TABLE invoice_sales (
  id INTEGER PRIMARY KEY,
  identity TEXT NOT NULL UNIQUE,
  source TEXT NOT NULL,
  location TEXT NOT NULL,
  register_id TEXT NOT NULL,
  business_date TEXT NOT NULL CHECK (business_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  pos_number TEXT NOT NULL,
  customer_key TEXT NOT NULL,
  gross INTEGER NOT NULL,
  -- The validated sale as JSON (amounts in øre); re-validated when read.
  sale TEXT NOT NULL,
  imported_at TEXT NOT NULL
) STRICT;
CREATE INDEX invoice_sales_day ON invoice_sales (location, register_id, business_date);

-- Which target customer a POS customer is. external_id NULL = a number is reserved and the
-- customer is being created: a retry looks the number up instead of creating a second customer.
CREATE TABLE target_customers (
  target_id TEXT NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
  customer_key TEXT NOT NULL,
  customer_number TEXT,
  external_id TEXT,
  matched_by TEXT NOT NULL CHECK (matched_by IN ('organization_number', 'customer_number', 'email', 'created')),
  updated_at TEXT NOT NULL,
  PRIMARY KEY (target_id, customer_key)
) STRICT;

CREATE TABLE invoice_outbox (
  id INTEGER PRIMARY KEY,
  invoice_id INTEGER NOT NULL REFERENCES invoice_sales (id) ON DELETE CASCADE,
  target_id TEXT NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
  mode TEXT NOT NULL CHECK (mode IN ('invoice-in-target', 'pos-issued')),
  idempotency_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'posted', 'failed')),
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

`,
};
