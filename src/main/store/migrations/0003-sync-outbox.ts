import type { Migration } from './migration';

/**
 * The outbox side of vouchers: why the last attempt failed (app code + the target's words), what
 * the target calls the posted voucher, and one lock row per target so only one runner sends.
 */
export const syncOutbox: Migration = {
  id: 3,
  name: 'sync-outbox',
  sql: `
ALTER TABLE vouchers ADD COLUMN error_code TEXT;
ALTER TABLE vouchers ADD COLUMN error_message TEXT;
ALTER TABLE vouchers ADD COLUMN external_number TEXT;
ALTER TABLE vouchers ADD COLUMN posted_at TEXT;

CREATE TABLE sync_locks (
  target_id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  pid INTEGER NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;
`,
};
