import { appendLog } from '../store/integration-log';
import { writeTransaction, type Db } from '../store/database';
import { terminalReportSchema, type TerminalReport } from './report';

export type BaxScope = 'per-terminal' | 'per-bax';

export interface StoredTerminalReport {
  readonly report: TerminalReport;
  readonly duplicateOf?: string;
  readonly duplicateReason?: string;
  readonly receivedAt: string;
}

export type SaveOutcome =
  | { readonly outcome: 'stored'; readonly id: string }
  | { readonly outcome: 'already-stored'; readonly id: string }
  | { readonly outcome: 'duplicate'; readonly id: string; readonly duplicateOf: string; readonly reason: string };

export interface JournalSpan {
  readonly session: string;
  readonly from: number;
  readonly to: number;
}

interface ReportRow {
  id: string;
  terminal_id: string;
  total_amount: number;
  total_count: number;
  closed_at: string;
  report: string;
  duplicate_of: string | null;
  duplicate_reason: string | null;
  received_at: string;
}

const FIVE_MINUTES = 5 * 60_000;

export function baxScope(db: Db, bax: string): { scope: BaxScope; designatedTerminal?: string } {
  const row = db.prepare('SELECT scope, designated_terminal FROM terminal_bax_scope WHERE bax = ?').get(bax) as
    { scope: BaxScope; designated_terminal: string | null } | undefined;
  if (!row) return { scope: 'per-bax' };
  return row.designated_terminal
    ? { scope: row.scope, designatedTerminal: row.designated_terminal }
    : { scope: row.scope };
}

export function setBaxScope(db: Db, bax: string, scope: BaxScope, designatedTerminal?: string): void {
  db.prepare(
    `INSERT INTO terminal_bax_scope (bax, scope, designated_terminal) VALUES (?, ?, ?)
     ON CONFLICT (bax) DO UPDATE SET scope = excluded.scope, designated_terminal = excluded.designated_terminal`,
  ).run(bax, scope, designatedTerminal ?? null);
}

const isZero = (report: { total_amount: number; total_count: number }): boolean =>
  report.total_amount === 0 && report.total_count === 0;

/**
 * Stores a report once per settlement (spec terminal.md §4). Several terminals on one BAX print the
 * same batch again, or 0 for it; a reprint ("KOPI") repeats it. The first real report is the
 * original; every repeat is stored too — for audit — but marked duplicate_of with the reason, and
 * only originals are ever reconciled or posted.
 */
export function saveTerminalReport(
  db: Db,
  report: TerminalReport,
  options: { journal?: JournalSpan; now?: Date } = {},
): SaveOutcome {
  const now = options.now ?? new Date();
  return writeTransaction(db, (): SaveOutcome => {
    if (db.prepare('SELECT 1 FROM terminal_reports WHERE id = ?').get(report.id)) {
      return { outcome: 'already-stored', id: report.id };
    }
    const scope = report.bax ? baxScope(db, report.bax) : { scope: 'per-terminal' as const };
    const original = findOriginal(db, report, scope.scope);
    let duplicateOf: string | undefined;
    let reason: string | undefined;
    const newRow = { total_amount: report.totals.amount, total_count: report.totals.count };
    if (original) {
      const newIsDesignated =
        scope.designatedTerminal === report.terminalId && original.terminal_id !== report.terminalId;
      if ((isZero(original) && !isZero(newRow)) || (newIsDesignated && !report.copy)) {
        // The new report carries the batch: the earlier one becomes its duplicate.
        const demoted = isZero(original)
          ? `terminal ${original.terminal_id} reported 0 for BAX ${report.bax ?? '-'} batch ${report.batchNo ?? '-'}; ` +
            `the totals came from terminal ${report.terminalId}`
          : `terminal ${report.terminalId} is the designated terminal of BAX ${report.bax}`;
        insert(db, report, undefined, undefined, options.journal, now);
        db.prepare('UPDATE terminal_reports SET duplicate_of = ? WHERE duplicate_of = ?').run(report.id, original.id);
        db.prepare('UPDATE terminal_reports SET duplicate_of = ?, duplicate_reason = ? WHERE id = ?').run(
          report.id,
          demoted,
          original.id,
        );
        log(db, `Terminal report ${original.id} is now a duplicate of ${report.id}: ${demoted}`, now);
        return { outcome: 'stored', id: report.id };
      }
      duplicateOf = original.id;
      reason = duplicateReason(report, original);
    }
    insert(db, report, duplicateOf, reason, options.journal, now);
    if (duplicateOf && reason) {
      log(db, `Terminal report ${report.id} stored as a duplicate of ${duplicateOf}: ${reason}`, now);
      return { outcome: 'duplicate', id: report.id, duplicateOf, reason };
    }
    return { outcome: 'stored', id: report.id };
  });
}

function duplicateReason(report: TerminalReport, original: ReportRow): string {
  const same = `BAX ${report.bax ?? '-'} batch ${report.batchNo ?? '-'}`;
  if (report.copy) return `printed copy (KOPI) of ${same}`;
  if (isZero({ total_amount: report.totals.amount, total_count: report.totals.count })) {
    return `terminal ${report.terminalId} reported 0 for ${same}; the totals come from terminal ${original.terminal_id}`;
  }
  if (report.totals.amount === original.total_amount && report.totals.count === original.total_count) {
    return original.terminal_id === report.terminalId
      ? `the same report captured again (${same})`
      : `terminal ${report.terminalId} printed the same totals as terminal ${original.terminal_id} for shared ${same}`;
  }
  return (
    `CONFLICT: ${same} was already reported by terminal ${original.terminal_id} with ${original.total_amount} øre; ` +
    `this one says ${report.totals.amount} øre — check which is right`
  );
}

function findOriginal(db: Db, report: TerminalReport, scope: BaxScope): ReportRow | undefined {
  const finalKind = report.kind === 'x' ? "kind = 'x'" : "kind <> 'x'";
  const perTerminal = scope === 'per-terminal' || !report.bax;
  const where = [finalKind, 'duplicate_of IS NULL', report.bax ? 'bax = @bax' : 'bax IS NULL'];
  if (perTerminal) where.push('terminal_id = @terminalId');
  if (report.batchNo) {
    where.push('batch = @batch');
    return db
      .prepare(`SELECT * FROM terminal_reports WHERE ${where.join(' AND ')} ORDER BY received_at LIMIT 1`)
      .get({ bax: report.bax ?? null, terminalId: report.terminalId, batch: report.batchNo }) as ReportRow | undefined;
  }
  // No batch printed: the same BAX closed within five minutes with the same totals is the same settlement.
  const candidates = db
    .prepare(`SELECT * FROM terminal_reports WHERE ${where.join(' AND ')} AND batch IS NULL`)
    .all({ bax: report.bax ?? null, terminalId: report.terminalId }) as ReportRow[];
  const closed = Date.parse(report.closedAt);
  return candidates.find(
    (row) =>
      Math.abs(Date.parse(row.closed_at) - closed) <= FIVE_MINUTES &&
      ((row.total_amount === report.totals.amount && row.total_count === report.totals.count) ||
        isZero(row) ||
        report.totals.amount === 0),
  );
}

function insert(
  db: Db,
  report: TerminalReport,
  duplicateOf: string | undefined,
  reason: string | undefined,
  journal: JournalSpan | undefined,
  now: Date,
): void {
  db.prepare(
    `INSERT INTO terminal_reports (id, kind, source, bax, terminal_id, batch, closed_at, total_amount, total_count, report,
       duplicate_of, duplicate_reason, journal_session, journal_from, journal_to, warnings, received_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    report.id,
    report.kind,
    report.source,
    report.bax ?? null,
    report.terminalId,
    report.batchNo ?? null,
    report.closedAt,
    report.totals.amount,
    report.totals.count,
    JSON.stringify(report),
    duplicateOf ?? null,
    reason ?? null,
    journal?.session ?? null,
    journal?.from ?? null,
    journal?.to ?? null,
    JSON.stringify(report.warnings),
    now.toISOString(),
  );
}

function log(db: Db, message: string, now: Date): void {
  appendLog(db, { module: 'terminal', status: 'info', code: 'terminal_duplicate', message }, now);
}

export interface ReportQuery {
  /** Closing date range, inclusive, YYYY-MM-DD (compared on the local date in closed_at). */
  readonly from?: string;
  readonly to?: string;
  readonly includeDuplicates?: boolean;
}

export function listTerminalReports(db: Db, query: ReportQuery = {}): StoredTerminalReport[] {
  const where: string[] = [];
  const params: string[] = [];
  if (!query.includeDuplicates) where.push('duplicate_of IS NULL');
  if (query.from) {
    where.push('substr(closed_at, 1, 10) >= ?');
    params.push(query.from);
  }
  if (query.to) {
    where.push('substr(closed_at, 1, 10) <= ?');
    params.push(query.to);
  }
  const rows = db
    .prepare(
      `SELECT * FROM terminal_reports ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY closed_at, terminal_id, id`,
    )
    .all(...params) as ReportRow[];
  return rows.map((row) => ({
    report: terminalReportSchema.parse(JSON.parse(row.report)),
    ...(row.duplicate_of ? { duplicateOf: row.duplicate_of } : {}),
    ...(row.duplicate_reason ? { duplicateReason: row.duplicate_reason } : {}),
    receivedAt: row.received_at,
  }));
}

export interface TerminalPlacement {
  readonly terminalId: string;
  readonly location: string;
  readonly registerId?: string;
  readonly mode: 'integrated' | 'manual';
}

export function setTerminalPlacement(db: Db, placement: TerminalPlacement): void {
  db.prepare(
    `INSERT INTO terminal_config (terminal_id, location, register_id, mode) VALUES (?, ?, ?, ?)
     ON CONFLICT (terminal_id) DO UPDATE SET location = excluded.location, register_id = excluded.register_id, mode = excluded.mode`,
  ).run(placement.terminalId, placement.location, placement.registerId ?? null, placement.mode);
}

export function terminalPlacements(db: Db): TerminalPlacement[] {
  const rows = db
    .prepare('SELECT terminal_id, location, register_id, mode FROM terminal_config ORDER BY terminal_id')
    .all() as {
    terminal_id: string;
    location: string;
    register_id: string | null;
    mode: 'integrated' | 'manual';
  }[];
  return rows.map((row) => ({
    terminalId: row.terminal_id,
    location: row.location,
    ...(row.register_id ? { registerId: row.register_id } : {}),
    mode: row.mode,
  }));
}
