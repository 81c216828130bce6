import type { Migration } from './migration';

/**
 * Sources (issue 4): the POS's own account on a settlement line (SIE4 lines are keyed by it; SAF-T
 * rows may name one), and the sources the engine runs on its own — POS databases it polls and
 * folders it watches — with their settings as validated JSON.
 */
export const sources: Migration = {
  id: 2,
  name: 'sources',
  sql: `
ALTER TABLE settlement_lines ADD COLUMN source_account TEXT;

CREATE TABLE source_registrations (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('pos-db', 'watch-folder')),
  settings TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
`,
};
