import type { Migration } from './migration';

/**
 * Terminal reconciliation: the raw byte journal (written before any parsing, so a fixed parser can
 * read it again), the TerminalReport table in the spec's shape, terminal placement and the per-BAX scope choice.
 * 0001's placeholder table never had a writer; it is renamed, not dropped, so nothing can be lost.
 */
export const terminalCapture: Migration = {
  id: 5,
  name: 'terminal-capture',
  sql: `
ALTER TABLE terminal_reports RENAME TO terminal_reports_0001;

CREATE TABLE terminal_journal (
  id INTEGER PRIMARY KEY,
  session TEXT NOT NULL,
  device TEXT NOT NULL,
  protocol TEXT NOT NULL CHECK (protocol IN ('receipt', 'zvt', 'file')),
  direction TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  bytes BLOB NOT NULL,
  at TEXT NOT NULL
) STRICT;
CREATE INDEX terminal_journal_by_session ON terminal_journal (session, id);

CREATE TABLE terminal_reports (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('reconciliation', 'z', 'x')),
  source TEXT NOT NULL,
  bax TEXT,
  terminal_id TEXT NOT NULL,
  batch TEXT,
  closed_at TEXT NOT NULL,
  total_amount INTEGER NOT NULL,
  total_count INTEGER NOT NULL,
  report TEXT NOT NULL,
  duplicate_of TEXT REFERENCES terminal_reports (id),
  duplicate_reason TEXT,
  journal_session TEXT,
  journal_from INTEGER,
  journal_to INTEGER,
  warnings TEXT NOT NULL DEFAULT '[]',
  received_at TEXT NOT NULL
) STRICT;
CREATE INDEX terminal_reports_by_bax ON terminal_reports (bax, batch);
CREATE INDEX terminal_reports_by_close ON terminal_reports (closed_at);

-- Which shop (POS location) and register a terminal stands at, and whether the POS sends it the
-- amount (integrated) or the cashier types it (manual). Unlisted terminals are reconciled per day only.
CREATE TABLE terminal_config (
  terminal_id TEXT PRIMARY KEY,
  location TEXT NOT NULL,
  register_id TEXT,
  mode TEXT NOT NULL CHECK (mode IN ('integrated', 'manual'))
) STRICT;

CREATE TABLE terminal_bax_scope (
  bax TEXT PRIMARY KEY,
  scope TEXT NOT NULL CHECK (scope IN ('per-terminal', 'per-bax')),
  designated_terminal TEXT
) STRICT;
`,
};
