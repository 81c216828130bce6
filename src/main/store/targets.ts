import { isTargetKind, type TargetKind } from '../../shared/targets';
import type { Db } from './database';

export interface TargetRecord {
  readonly id: string;
  readonly kind: TargetKind;
  readonly name: string;
  /** Non-secret connection settings (company, series, department…). */
  readonly settings: Record<string, unknown>;
  /** Name under which the secret store keeps this target's credentials; never the secret itself. */
  readonly secretRef: string | null;
}

interface TargetRow {
  id: string;
  kind: string;
  name: string;
  settings: string;
  secret_ref: string | null;
}

function fromRow(row: TargetRow): TargetRecord {
  if (!isTargetKind(row.kind)) throw new Error(`Stored target "${row.id}" has unknown kind "${row.kind}"`);
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    settings: JSON.parse(row.settings) as Record<string, unknown>,
    secretRef: row.secret_ref,
  };
}

export function getTarget(db: Db, id: string): TargetRecord | undefined {
  const row = db.prepare('SELECT * FROM targets WHERE id = ?').get(id) as TargetRow | undefined;
  return row ? fromRow(row) : undefined;
}

export function listTargets(db: Db): TargetRecord[] {
  return (db.prepare('SELECT * FROM targets ORDER BY id').all() as TargetRow[]).map(fromRow);
}

export function saveTarget(db: Db, target: TargetRecord, now = new Date()): void {
  db.prepare(
    `INSERT INTO targets (id, kind, name, settings, secret_ref, created_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, settings = excluded.settings,
       secret_ref = excluded.secret_ref`,
  ).run(target.id, target.kind, target.name, JSON.stringify(target.settings), target.secretRef, now.toISOString());
}
