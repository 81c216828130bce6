import type { Migration } from './migration';

/**
 * Exactly once when the target is slow: an outbox item that may still be on its way is not looked
 * up before `lookup_after`, and the sync lease names its holder well enough (OS start time, host)
 * to tell a live holder from a dead one whose pid was reused.
 */
export const inFlightLookups: Migration = {
  id: 8,
  name: 'in-flight-lookups',
  sql: `
ALTER TABLE vouchers ADD COLUMN lookup_after TEXT;
ALTER TABLE invoice_outbox ADD COLUMN lookup_after TEXT;
ALTER TABLE sync_locks ADD COLUMN started_at TEXT;
ALTER TABLE sync_locks ADD COLUMN host TEXT NOT NULL DEFAULT '';
`,
};
