import { kontooppsettSchema, type Kontooppsett } from '../mapping/kontooppsett';
import { writeTransaction, type Db } from './database';

interface MappingRow {
  key: string;
  location: string;
  account: string;
  vat_code: string | null;
  vat_account: string | null;
}

/** The stored kontooppsett of a target, validated on the way out like any other input. */
export function loadKontooppsett(db: Db, targetId: string): Kontooppsett {
  const entries = (
    db
      .prepare('SELECT key, location, account, vat_code, vat_account FROM mappings WHERE target_id = ? ORDER BY rowid')
      .all(targetId) as MappingRow[]
  ).map((row) => ({
    key: row.key,
    location: row.location,
    account: row.account,
    vatCode: row.vat_code,
    vatAccount: row.vat_account,
  }));
  const departments = db
    .prepare('SELECT location, department FROM department_mappings WHERE target_id = ? ORDER BY location')
    .all(targetId);
  return kontooppsettSchema.parse({ entries, departments });
}

/** Replaces the whole kontooppsett of a target in one transaction. */
export function saveKontooppsett(db: Db, targetId: string, kontooppsett: Kontooppsett): void {
  const insert = db.prepare(
    'INSERT INTO mappings (target_id, key, location, account, vat_code, vat_account) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const insertDepartment = db.prepare(
    'INSERT INTO department_mappings (target_id, location, department) VALUES (?, ?, ?)',
  );
  writeTransaction(db, () => {
    db.prepare('DELETE FROM mappings WHERE target_id = ?').run(targetId);
    db.prepare('DELETE FROM department_mappings WHERE target_id = ?').run(targetId);
    for (const entry of kontooppsett.entries) {
      insert.run(targetId, entry.key, entry.location, entry.account, entry.vatCode, entry.vatAccount);
    }
    for (const department of kontooppsett.departments) {
      insertDepartment.run(targetId, department.location, department.department);
    }
  });
}
