import type { Migration } from './migration';

/**
 * File exports (SIE4, GBAT10…): one row per written file and one per voucher in it. The UNIQUE
 * idempotency key is what makes a re-run unable to put a voucher in a second file.
 */
export const fileExports: Migration = {
  id: 4,
  name: 'file-exports',
  sql: `
CREATE TABLE export_files (
  id INTEGER PRIMARY KEY,
  target_id TEXT NOT NULL REFERENCES targets (id),
  format TEXT NOT NULL,
  folder TEXT NOT NULL,
  file_name TEXT NOT NULL,
  -- 'writing' until the file is in place; a run left 'writing' by a crash is finished or undone at the next run.
  state TEXT NOT NULL CHECK (state IN ('writing', 'written')),
  from_date TEXT,
  to_date TEXT,
  sha256 TEXT,
  bytes INTEGER,
  created_at TEXT NOT NULL,
  written_at TEXT,
  UNIQUE (folder, file_name)
) STRICT;

CREATE TABLE export_file_vouchers (
  file_id INTEGER NOT NULL REFERENCES export_files (id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  voucher_id INTEGER NOT NULL REFERENCES vouchers (id),
  idempotency_key TEXT NOT NULL UNIQUE,
  -- The number the file gave the voucher; NULL when the receiver numbers it.
  voucher_number INTEGER,
  PRIMARY KEY (file_id, position)
) STRICT;
CREATE INDEX export_file_vouchers_by_voucher ON export_file_vouchers (voucher_id);
`,
};
