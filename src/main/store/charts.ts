import { chartOf, type Chart, type ChartAccount, type VatCodeInfo } from '../domain/chart';
import { writeTransaction, type Db } from './database';

/** Replaces the stored chart of a target with what was just fetched or imported. */
export function saveChart(
  db: Db,
  targetId: string,
  accounts: readonly ChartAccount[],
  vatCodes: readonly VatCodeInfo[] | null,
  now = new Date(),
): void {
  const insertAccount = db.prepare(
    'INSERT INTO chart_accounts (target_id, number, name, active, locked_vat_code) VALUES (?, ?, ?, ?, ?)',
  );
  const insertVat = db.prepare(
    'INSERT INTO chart_vat_codes (target_id, code, description, rate_bp) VALUES (?, ?, ?, ?)',
  );
  writeTransaction(db, () => {
    db.prepare('DELETE FROM chart_accounts WHERE target_id = ?').run(targetId);
    db.prepare('DELETE FROM chart_vat_codes WHERE target_id = ?').run(targetId);
    for (const account of accounts) {
      insertAccount.run(targetId, account.number, account.name, account.active ? 1 : 0, account.lockedVatCode);
    }
    for (const vat of vatCodes ?? []) insertVat.run(targetId, vat.code, vat.description, vat.rateBp);
    db.prepare(
      `INSERT INTO chart_fetches (target_id, fetched_at, has_vat_codes) VALUES (?, ?, ?)
       ON CONFLICT (target_id) DO UPDATE SET fetched_at = excluded.fetched_at, has_vat_codes = excluded.has_vat_codes`,
    ).run(targetId, now.toISOString(), vatCodes ? 1 : 0);
  });
}

/** The target's chart, or null when none has been fetched yet (then accounts are not checked). */
export function loadChart(db: Db, targetId: string): Chart | null {
  const fetch = db.prepare('SELECT has_vat_codes FROM chart_fetches WHERE target_id = ?').get(targetId) as
    { has_vat_codes: number } | undefined;
  if (!fetch) return null;
  const accounts = (
    db
      .prepare('SELECT number, name, active, locked_vat_code FROM chart_accounts WHERE target_id = ?')
      .all(targetId) as { number: string; name: string; active: number; locked_vat_code: string | null }[]
  ).map((row) => ({
    number: row.number,
    name: row.name,
    active: row.active === 1,
    lockedVatCode: row.locked_vat_code,
  }));
  const vatCodes = fetch.has_vat_codes
    ? (
        db.prepare('SELECT code, description, rate_bp FROM chart_vat_codes WHERE target_id = ?').all(targetId) as {
          code: string;
          description: string;
          rate_bp: number | null;
        }[]
      ).map((row) => ({ code: row.code, description: row.description, rateBp: row.rate_bp }))
    : null;
  return chartOf(accounts, vatCodes);
}
