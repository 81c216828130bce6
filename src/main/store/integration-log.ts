import { redact, redactText } from '../log/redact';
import type { Db } from './database';

export type LogStatus = 'transferred' | 'not_transferred' | 'info';

export interface LogEntryInput {
  readonly targetId?: string | null;
  readonly voucherId?: number | null;
  /** What was attempted: 'voucher', 'login', 'chart', 'import', 'validate'… */
  readonly module: string;
  readonly status: LogStatus;
  readonly code?: string | null;
  /** Our plain-language sentence. */
  readonly message: string;
  /** The target's own words, verbatim (after secret redaction). */
  readonly targetMessage?: string | null;
  readonly payload?: unknown;
  readonly response?: unknown;
}

export interface LogEntry extends LogEntryInput {
  readonly id: number;
  readonly at: string;
}

/** Appends one row; payloads are redacted here so no caller can store a secret by mistake. */
export function appendLog(db: Db, entry: LogEntryInput, now = new Date()): number {
  const result = db
    .prepare(
      `INSERT INTO integration_log (at, target_id, voucher_id, module, status, code, message, target_message, payload, response)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      now.toISOString(),
      entry.targetId ?? null,
      entry.voucherId ?? null,
      entry.module,
      entry.status,
      entry.code ?? null,
      redactText(entry.message),
      entry.targetMessage ? redactText(entry.targetMessage) : null,
      entry.payload === undefined ? null : JSON.stringify(redact(entry.payload)),
      entry.response === undefined ? null : JSON.stringify(redact(entry.response)),
    );
  return Number(result.lastInsertRowid);
}

/** A stored row as SQLite returns it. */
export interface LogRow {
  id: number;
  at: string;
  target_id: string | null;
  voucher_id: number | null;
  module: string;
  status: LogStatus;
  code: string | null;
  message: string;
  target_message: string | null;
  payload: string | null;
  response: string | null;
}

/** Stored row → entry, with the (already redacted) payload and response parsed back. */
export function logEntryFromRow(
  row: LogRow,
): LogEntry & { targetId: string | null; voucherId: number | null; code: string | null; targetMessage: string | null } {
  return {
    id: row.id,
    at: row.at,
    targetId: row.target_id,
    voucherId: row.voucher_id,
    module: row.module,
    status: row.status,
    code: row.code,
    message: row.message,
    targetMessage: row.target_message,
    payload: row.payload === null ? undefined : (JSON.parse(row.payload) as unknown),
    response: row.response === null ? undefined : (JSON.parse(row.response) as unknown),
  };
}

export function listLog(db: Db, limit = 200): LogEntry[] {
  return (db.prepare('SELECT * FROM integration_log ORDER BY id DESC LIMIT ?').all(limit) as LogRow[]).map(
    logEntryFromRow,
  );
}
