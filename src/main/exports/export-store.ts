import { writeTransaction, type Db } from '../store/database';

/** One export file as recorded in the store. */
export interface ExportFileRecord {
  readonly id: number;
  readonly targetId: string;
  readonly format: string;
  readonly folder: string;
  readonly fileName: string;
  readonly state: 'writing' | 'written';
  readonly fromDate: string | null;
  readonly toDate: string | null;
  readonly sha256: string | null;
  readonly bytes: number | null;
  readonly createdAt: string;
  readonly writtenAt: string | null;
}

export interface ExportFileVoucher {
  readonly voucherId: number;
  readonly idempotencyKey: string;
  readonly voucherNumber: number | null;
}

interface FileRow {
  id: number;
  target_id: string;
  format: string;
  folder: string;
  file_name: string;
  state: 'writing' | 'written';
  from_date: string | null;
  to_date: string | null;
  sha256: string | null;
  bytes: number | null;
  created_at: string;
  written_at: string | null;
}

function fromRow(row: FileRow): ExportFileRecord {
  return {
    id: row.id,
    targetId: row.target_id,
    format: row.format,
    folder: row.folder,
    fileName: row.file_name,
    state: row.state,
    fromDate: row.from_date,
    toDate: row.to_date,
    sha256: row.sha256,
    bytes: row.bytes,
    createdAt: row.created_at,
    writtenAt: row.written_at,
  };
}

export function listExportFiles(db: Db, targetId: string, state?: 'writing' | 'written'): ExportFileRecord[] {
  const rows = db
    .prepare(`SELECT * FROM export_files WHERE target_id = ? ${state ? 'AND state = ?' : ''} ORDER BY id`)
    .all(...(state ? [targetId, state] : [targetId])) as FileRow[];
  return rows.map(fromRow);
}

export function getExportFile(db: Db, id: number): ExportFileRecord | undefined {
  const row = db.prepare('SELECT * FROM export_files WHERE id = ?').get(id) as FileRow | undefined;
  return row ? fromRow(row) : undefined;
}

export function exportFileVouchers(db: Db, fileId: number): ExportFileVoucher[] {
  return (
    db
      .prepare(
        'SELECT voucher_id, idempotency_key, voucher_number FROM export_file_vouchers WHERE file_id = ? ORDER BY position',
      )
      .all(fileId) as { voucher_id: number; idempotency_key: string; voucher_number: number | null }[]
  ).map((row) => ({
    voucherId: row.voucher_id,
    idempotencyKey: row.idempotency_key,
    voucherNumber: row.voucher_number,
  }));
}

/** Idempotency keys of every voucher that went into a file (or is being written) for this target. */
export function exportedKeys(db: Db, targetId: string): Set<string> {
  const rows = db
    .prepare(
      `SELECT i.idempotency_key FROM export_file_vouchers i JOIN export_files f ON f.id = i.file_id
       WHERE f.target_id = ?`,
    )
    .all(targetId) as { idempotency_key: string }[];
  return new Set(rows.map((row) => row.idempotency_key));
}

/** The highest voucher number this target has written, 0 if none. */
export function lastVoucherNumber(db: Db, targetId: string): number {
  const row = db
    .prepare(
      `SELECT MAX(i.voucher_number) AS last FROM export_file_vouchers i JOIN export_files f ON f.id = i.file_id
       WHERE f.target_id = ?`,
    )
    .get(targetId) as { last: number | null };
  return row.last ?? 0;
}

export function countExportFiles(db: Db, targetId: string): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM export_files WHERE target_id = ?').get(targetId) as { n: number }).n;
}

export interface ClaimInput {
  readonly targetId: string;
  readonly format: string;
  readonly folder: string;
  readonly fileName: string;
  readonly fromDate: string | null;
  readonly toDate: string | null;
  readonly vouchers: readonly ExportFileVoucher[];
}

export class ClaimConflictError extends Error {
  constructor(voucherId: number) {
    super(`Voucher ${voucherId} changed while the export was being prepared (another Kassebro running?); try again`);
    this.name = 'ClaimConflictError';
  }
}

/**
 * Records the file before it is written and freezes its vouchers ('sending'), in one transaction:
 * from here on nothing can rebuild them or put them in another file.
 */
export function claimExport(db: Db, input: ClaimInput, now: Date): number {
  return writeTransaction(db, () => {
    const fileId = Number(
      db
        .prepare(
          `INSERT INTO export_files (target_id, format, folder, file_name, state, from_date, to_date, created_at)
           VALUES (?, ?, ?, ?, 'writing', ?, ?, ?)`,
        )
        .run(
          input.targetId,
          input.format,
          input.folder,
          input.fileName,
          input.fromDate,
          input.toDate,
          now.toISOString(),
        ).lastInsertRowid,
    );
    const insertItem = db.prepare(
      `INSERT INTO export_file_vouchers (file_id, position, voucher_id, idempotency_key, voucher_number)
       VALUES (?, ?, ?, ?, ?)`,
    );
    const freeze = db.prepare(
      `UPDATE vouchers SET state = 'sending', updated_at = ? WHERE id = ? AND target_id = ? AND state = 'ready'`,
    );
    input.vouchers.forEach((voucher, position) => {
      insertItem.run(fileId, position, voucher.voucherId, voucher.idempotencyKey, voucher.voucherNumber);
      if (freeze.run(now.toISOString(), voucher.voucherId, input.targetId).changes !== 1)
        throw new ClaimConflictError(voucher.voucherId);
    });
    return fileId;
  });
}

/** The file is in place: its vouchers are posted, with the file name as their external id. */
export function completeExport(db: Db, fileId: number, written: { sha256: string; bytes: number }, now: Date): void {
  writeTransaction(db, () => {
    const file = db.prepare('SELECT file_name FROM export_files WHERE id = ?').get(fileId) as { file_name: string };
    db.prepare(`UPDATE export_files SET state = 'written', sha256 = ?, bytes = ?, written_at = ? WHERE id = ?`).run(
      written.sha256,
      written.bytes,
      now.toISOString(),
      fileId,
    );
    db.prepare(
      `UPDATE vouchers SET state = 'posted', external_id = ?, attempts = attempts + 1, updated_at = ?
       WHERE id IN (SELECT voucher_id FROM export_file_vouchers WHERE file_id = ?)`,
    ).run(file.file_name, now.toISOString(), fileId);
  });
}

/** The file never reached its folder: forget it and give its vouchers back to the next run. */
export function abandonExport(db: Db, fileId: number, now: Date): void {
  writeTransaction(db, () => {
    db.prepare(
      `UPDATE vouchers SET state = 'ready', updated_at = ?
       WHERE state = 'sending' AND id IN (SELECT voucher_id FROM export_file_vouchers WHERE file_id = ?)`,
    ).run(now.toISOString(), fileId);
    db.prepare('DELETE FROM export_file_vouchers WHERE file_id = ?').run(fileId);
    db.prepare('DELETE FROM export_files WHERE id = ?').run(fileId);
  });
}

/** Business date and report number of every Z-report, to filter and name vouchers whose build failed. */
export function settlementFacts(db: Db): Map<number, { businessDate: string; reportNumber: string }> {
  const rows = db.prepare(`SELECT id, business_date, report_number FROM settlements WHERE kind = 'Z'`).all() as {
    id: number;
    business_date: string;
    report_number: string;
  }[];
  return new Map(rows.map((row) => [row.id, { businessDate: row.business_date, reportNumber: row.report_number }]));
}
