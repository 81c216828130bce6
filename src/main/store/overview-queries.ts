import type { AccountLineKey } from '../../shared/settlement-keys';
import type { Db } from './database';
import type { VoucherState } from './vouchers';

/** How many vouchers of a target are in each state: the numbers the overview and the tray show. */
export function countVouchersByState(db: Db, targetId: string): Partial<Record<VoucherState, number>> {
  const rows = db
    .prepare('SELECT state, COUNT(*) AS n FROM vouchers WHERE target_id = ? GROUP BY state')
    .all(targetId) as { state: VoucherState; n: number }[];
  return Object.fromEntries(rows.map((row) => [row.state, row.n]));
}

export function settlementCounts(db: Db): { z: number; x: number; lastBusinessDate: string | null } {
  const row = db
    .prepare(
      `SELECT COALESCE(SUM(kind = 'Z'), 0) AS z, COALESCE(SUM(kind = 'X'), 0) AS x, MAX(business_date) AS last
       FROM settlements`,
    )
    .get() as { z: number; x: number; last: string | null };
  return { z: row.z, x: row.x, lastBusinessDate: row.last };
}

export function appliedMigrations(db: Db): { id: number; name: string; appliedAt: string }[] {
  return db.prepare('SELECT id, name, applied_at AS appliedAt FROM schema_migrations ORDER BY id').all() as {
    id: number;
    name: string;
    appliedAt: string;
  }[];
}

/** The POS accounts read as lines of their own (SIE4 `account:5800`), for the mapping lists. */
export function settlementAccountKeys(db: Db): AccountLineKey[] {
  return (
    db.prepare("SELECT DISTINCT key FROM settlement_lines WHERE key LIKE 'account:%' ORDER BY key").all() as {
      key: AccountLineKey;
    }[]
  ).map((row) => row.key);
}

/** The POS locations that have reported, for the department mapping. */
export function settlementLocations(db: Db): string[] {
  return (
    db.prepare('SELECT DISTINCT location FROM settlements ORDER BY location').all() as { location: string }[]
  ).map((row) => row.location);
}
