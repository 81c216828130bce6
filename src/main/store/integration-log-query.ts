import type { Db } from './database';
import { logEntryFromRow, type LogRow, type LogStatus } from './integration-log';

/** Filters of the log screen; dates are business-day bounds on the row's timestamp (UTC). */
export interface LogFilter {
  readonly status?: LogStatus | undefined;
  readonly module?: string | undefined;
  readonly from?: string | undefined;
  readonly to?: string | undefined;
}

export interface LogListRow {
  readonly id: number;
  readonly at: string;
  readonly targetId: string | null;
  readonly voucherId: number | null;
  readonly module: string;
  readonly status: LogStatus;
  readonly code: string | null;
  readonly message: string;
  readonly hasPayload: boolean;
  /** Not transferred, and its voucher now waits for a person: a "try again" can help. */
  readonly retryable: boolean;
}

function whereOf(filter: LogFilter): { sql: string; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  if (filter.module) {
    where.push('module = ?');
    params.push(filter.module);
  }
  if (filter.from) {
    where.push('at >= ?');
    params.push(filter.from);
  }
  if (filter.to) {
    // "to" is inclusive of the whole day: everything before the next day's midnight.
    where.push("at < date(?, '+1 day')");
    params.push(filter.to);
  }
  return { sql: where.length ? `WHERE ${where.join(' AND ')}` : '', params };
}

/**
 * One page of the integration log, newest first, without payloads (they are fetched one at a
 * time when the user asks to see them), plus the number of rows the filter matches, so a
 * virtualised table can size itself and fetch only the rows in view.
 */
export function pageLog(
  db: Db,
  filter: LogFilter,
  offset: number,
  limit: number,
): { total: number; rows: LogListRow[] } {
  const where = whereOf(filter);
  const total = (
    db.prepare(`SELECT COUNT(*) AS n FROM integration_log ${where.sql}`).get(...where.params) as {
      n: number;
    }
  ).n;
  const rows = db
    .prepare(
      `SELECT id, at, target_id, voucher_id, module, status, code, message,
              (payload IS NOT NULL OR response IS NOT NULL) AS has_payload,
              (status = 'not_transferred' AND EXISTS (SELECT 1 FROM vouchers v WHERE v.id = voucher_id
                 AND v.state = 'failed' AND v.next_attempt_at IS NULL)) AS retryable
       FROM integration_log ${where.sql} ORDER BY id DESC LIMIT ? OFFSET ?`,
    )
    .all(...where.params, limit, offset) as (Omit<LogRow, 'target_message' | 'payload' | 'response'> & {
    has_payload: number;
    retryable: number;
  })[];
  return {
    total,
    rows: rows.map((row) => ({
      id: row.id,
      at: row.at,
      targetId: row.target_id,
      voucherId: row.voucher_id,
      module: row.module,
      status: row.status,
      code: row.code,
      message: row.message,
      hasPayload: row.has_payload === 1,
      retryable: row.retryable === 1,
    })),
  };
}

export function logModules(db: Db): string[] {
  return (db.prepare('SELECT DISTINCT module FROM integration_log ORDER BY module').all() as { module: string }[]).map(
    (row) => row.module,
  );
}

export interface LogEntryDetail extends LogListRow {
  readonly targetMessage: string | null;
  readonly payload: unknown;
  readonly response: unknown;
}

/** One row with its (already redacted) payload and the target's verbatim answer. */
export function getLogEntry(db: Db, id: number): LogEntryDetail | undefined {
  const row = db.prepare('SELECT * FROM integration_log WHERE id = ?').get(id) as LogRow | undefined;
  if (!row) return undefined;
  const entry = logEntryFromRow(row);
  const waiting = db
    .prepare(`SELECT 1 FROM vouchers WHERE id = ? AND state = 'failed' AND next_attempt_at IS NULL`)
    .get(row.voucher_id);
  return {
    ...entry,
    hasPayload: row.payload !== null || row.response !== null,
    retryable: row.status === 'not_transferred' && waiting !== undefined,
    payload: entry.payload ?? null,
    response: entry.response ?? null,
  };
}
