import { ore } from '../../shared/money';
import { isLineKey } from '../../shared/settlement-keys';
import type { ReportKind, Settlement, SettlementDraft, SettlementLine } from '../domain/settlement';
import { writeTransaction, type Db } from './database';

export interface ImportOutcome {
  readonly inserted: number;
  /** Already stored under the same identity: left exactly as they were. */
  readonly alreadyPresent: number;
  readonly ids: readonly number[];
}

interface SettlementRow {
  id: number;
  source: string;
  location: string;
  register_id: string;
  kind: ReportKind;
  report_number: string;
  global_sequence: number | null;
  business_date: string;
  opened_at: string | null;
  closed_at: string | null;
  currency: string;
  source_ref: string | null;
  warnings: string;
  imported_at: string;
}

interface LineRow {
  settlement_id: number;
  key: string;
  amount: number;
  vat: number;
  department: string | null;
  source_code: string | null;
  source_account: string | null;
}

/**
 * Stores settlements exactly once by identity (source, location, register, kind, report number).
 * A report read again is never overwritten: what was stored, and maybe posted, stays as it was.
 */
export function importSettlements(db: Db, drafts: readonly SettlementDraft[], now = new Date()): ImportOutcome {
  const insert = db.prepare(`INSERT INTO settlements
      (source, location, register_id, kind, report_number, global_sequence, business_date, opened_at, closed_at,
       currency, source_ref, warnings, imported_at)
    VALUES (@source, @location, @registerId, @kind, @reportNumber, @globalSequence, @businessDate, @openedAt,
       @closedAt, @currency, @sourceRef, @warnings, @importedAt)
    ON CONFLICT (source, location, register_id, kind, report_number) DO NOTHING`);
  const insertLine = db.prepare(`INSERT INTO settlement_lines
      (settlement_id, line_no, key, amount, vat, department, source_code, source_account) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`);
  const importedAt = now.toISOString();
  let inserted = 0;
  let alreadyPresent = 0;
  const ids: number[] = [];
  writeTransaction(db, () => {
    for (const draft of drafts) {
      const result = insert.run({
        source: draft.source,
        location: draft.location,
        registerId: draft.registerId,
        kind: draft.kind,
        reportNumber: draft.reportNumber,
        globalSequence: draft.globalSequence ?? null,
        businessDate: draft.businessDate,
        openedAt: draft.openedAt ?? null,
        closedAt: draft.closedAt ?? null,
        currency: draft.currency,
        sourceRef: draft.sourceRef ?? null,
        warnings: JSON.stringify(draft.warnings ?? []),
        importedAt,
      });
      if (result.changes === 0) {
        alreadyPresent += 1;
        continue;
      }
      const id = Number(result.lastInsertRowid);
      draft.lines.forEach((line, index) =>
        insertLine.run(
          id,
          index + 1,
          line.key,
          line.amount,
          line.vat,
          line.department ?? null,
          line.sourceCode ?? null,
          line.sourceAccount ?? null,
        ),
      );
      inserted += 1;
      ids.push(id);
    }
  });
  return { inserted, alreadyPresent, ids };
}

export interface SettlementQuery {
  readonly kind?: ReportKind;
  readonly ids?: readonly number[];
}

export function listSettlements(db: Db, query: SettlementQuery = {}): Settlement[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.kind) {
    where.push('kind = ?');
    params.push(query.kind);
  }
  if (query.ids) {
    where.push(`id IN (${query.ids.map(() => '?').join(',') || 'NULL'})`);
    params.push(...query.ids);
  }
  const rows = db
    .prepare(
      `SELECT * FROM settlements ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY business_date, register_id, global_sequence, id`,
    )
    .all(...params) as SettlementRow[];
  if (rows.length === 0) return [];
  const lines = db
    .prepare(
      `SELECT settlement_id, key, amount, vat, department, source_code, source_account FROM settlement_lines
       WHERE settlement_id IN (SELECT value FROM json_each(?)) ORDER BY settlement_id, line_no`,
    )
    .all(JSON.stringify(rows.map((row) => row.id))) as LineRow[];
  const linesById = new Map<number, SettlementLine[]>();
  for (const line of lines) {
    if (!isLineKey(line.key)) throw new Error(`Stored settlement ${line.settlement_id} has unknown key "${line.key}"`);
    const list = linesById.get(line.settlement_id) ?? [];
    list.push({
      key: line.key,
      amount: ore(line.amount),
      vat: ore(line.vat),
      ...(line.department !== null ? { department: line.department } : {}),
      ...(line.source_code !== null ? { sourceCode: line.source_code } : {}),
      ...(line.source_account !== null ? { sourceAccount: line.source_account } : {}),
    });
    linesById.set(line.settlement_id, list);
  }
  return rows.map((row) => ({
    id: row.id,
    source: row.source,
    location: row.location,
    registerId: row.register_id,
    kind: row.kind,
    reportNumber: row.report_number,
    ...(row.global_sequence !== null ? { globalSequence: row.global_sequence } : {}),
    businessDate: row.business_date,
    ...(row.opened_at !== null ? { openedAt: row.opened_at } : {}),
    ...(row.closed_at !== null ? { closedAt: row.closed_at } : {}),
    currency: row.currency,
    ...(row.source_ref !== null ? { sourceRef: row.source_ref } : {}),
    warnings: JSON.parse(row.warnings) as string[],
    importedAt: row.imported_at,
    lines: linesById.get(row.id) ?? [],
  }));
}

export function countSettlementsBySource(db: Db): Map<string, number> {
  const rows = db.prepare('SELECT source, COUNT(*) AS n FROM settlements GROUP BY source').all() as {
    source: string;
    n: number;
  }[];
  return new Map(rows.map((row) => [row.source, row.n]));
}
