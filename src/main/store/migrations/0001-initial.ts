import type { Migration } from './migration';

/**
 * The first schema. Money columns are INTEGER øre; JSON columns hold validated documents.
 * STRICT tables so SQLite refuses a float where an integer belongs.
 */
export const initial: Migration = {
  id: 1,
  name: 'initial',
  sql: `
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE settlements (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL,
  location TEXT NOT NULL,
  register_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('Z', 'X')),
  report_number TEXT NOT NULL,
  global_sequence INTEGER,
  business_date TEXT NOT NULL CHECK (business_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  opened_at TEXT,
  closed_at TEXT,
  currency TEXT NOT NULL,
  source_ref TEXT,
  warnings TEXT NOT NULL DEFAULT '[]',
  imported_at TEXT NOT NULL,
  UNIQUE (source, location, register_id, kind, report_number)
) STRICT;
CREATE INDEX settlements_by_date ON settlements (business_date, register_id);

CREATE TABLE settlement_lines (
  settlement_id INTEGER NOT NULL REFERENCES settlements (id) ON DELETE CASCADE,
  line_no INTEGER NOT NULL,
  key TEXT NOT NULL,
  amount INTEGER NOT NULL,
  vat INTEGER NOT NULL DEFAULT 0,
  department TEXT,
  source_code TEXT,
  PRIMARY KEY (settlement_id, line_no)
) STRICT;

-- Connection settings only; secrets live in the secret store and are referenced by name.
CREATE TABLE targets (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  name TEXT NOT NULL,
  settings TEXT NOT NULL DEFAULT '{}',
  secret_ref TEXT,
  created_at TEXT NOT NULL
) STRICT;

-- The kontooppsett: one row per key (and optionally per location) per target.
CREATE TABLE mappings (
  target_id TEXT NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  location TEXT NOT NULL DEFAULT '',
  account TEXT NOT NULL,
  vat_code TEXT,
  vat_account TEXT,
  PRIMARY KEY (target_id, key, location)
) STRICT;

CREATE TABLE department_mappings (
  target_id TEXT NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
  location TEXT NOT NULL,
  department TEXT NOT NULL,
  PRIMARY KEY (target_id, location)
) STRICT;

CREATE TABLE chart_accounts (
  target_id TEXT NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
  number TEXT NOT NULL,
  name TEXT NOT NULL,
  active INTEGER NOT NULL CHECK (active IN (0, 1)),
  locked_vat_code TEXT,
  PRIMARY KEY (target_id, number)
) STRICT;

CREATE TABLE chart_vat_codes (
  target_id TEXT NOT NULL REFERENCES targets (id) ON DELETE CASCADE,
  code TEXT NOT NULL,
  description TEXT NOT NULL,
  rate_bp INTEGER,
  PRIMARY KEY (target_id, code)
) STRICT;

CREATE TABLE chart_fetches (
  target_id TEXT PRIMARY KEY REFERENCES targets (id) ON DELETE CASCADE,
  fetched_at TEXT NOT NULL,
  has_vat_codes INTEGER NOT NULL CHECK (has_vat_codes IN (0, 1))
) STRICT;

-- One voucher per (settlement, target). Until it is sent it is derived data and may be rebuilt;
-- from 'queued' on it is frozen, and the idempotency key is what finds it again at the target.
CREATE TABLE vouchers (
  id INTEGER PRIMARY KEY,
  settlement_id INTEGER NOT NULL REFERENCES settlements (id),
  target_id TEXT NOT NULL REFERENCES targets (id),
  idempotency_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('blocked', 'skipped', 'ready', 'queued', 'sending', 'posted', 'failed')),
  date TEXT,
  description TEXT,
  lines TEXT NOT NULL DEFAULT '[]',
  problems TEXT NOT NULL DEFAULT '[]',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  external_id TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (settlement_id, target_id)
) STRICT;
CREATE INDEX vouchers_by_state ON vouchers (target_id, state);

-- Every attempt and every decision, as the owner and the technician read it.
CREATE TABLE integration_log (
  id INTEGER PRIMARY KEY,
  at TEXT NOT NULL,
  target_id TEXT,
  voucher_id INTEGER REFERENCES vouchers (id),
  module TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('transferred', 'not_transferred', 'info')),
  code TEXT,
  message TEXT NOT NULL,
  target_message TEXT,
  payload TEXT,
  response TEXT
) STRICT;
CREATE INDEX integration_log_by_time ON integration_log (at);

CREATE TABLE terminal_reports (
  id TEXT PRIMARY KEY,
  bax TEXT,
  terminal_id TEXT,
  batch TEXT,
  kind TEXT NOT NULL CHECK (kind IN ('Z', 'X')),
  period_start TEXT,
  period_end TEXT,
  totals TEXT NOT NULL,
  raw TEXT,
  warnings TEXT NOT NULL DEFAULT '[]',
  received_at TEXT NOT NULL
) STRICT;
`,
};
