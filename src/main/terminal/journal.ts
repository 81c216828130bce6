import type { Db } from '../store/database';

export type JournalProtocol = 'receipt' | 'zvt' | 'file';
export type JournalDirection = 'in' | 'out';

export interface JournalChunk {
  readonly id: number;
  readonly session: string;
  readonly device: string;
  readonly protocol: JournalProtocol;
  readonly direction: JournalDirection;
  readonly bytes: Buffer;
  readonly at: string;
}

/**
 * Raw bytes exactly as they arrived, written before any parsing: a parser bug can then never lose
 * a reconciliation, and a fixed parser reads the journal again (`kassebro terminal reparse`).
 */
export function appendJournal(db: Db, chunk: Omit<JournalChunk, 'id' | 'at'>, now: Date = new Date()): number {
  const result = db
    .prepare('INSERT INTO terminal_journal (session, device, protocol, direction, bytes, at) VALUES (?, ?, ?, ?, ?, ?)')
    .run(chunk.session, chunk.device, chunk.protocol, chunk.direction, chunk.bytes, now.toISOString());
  return Number(result.lastInsertRowid);
}

export function readJournal(db: Db, session?: string): JournalChunk[] {
  const rows = db
    .prepare(
      `SELECT id, session, device, protocol, direction, bytes, at FROM terminal_journal
       ${session ? 'WHERE session = ?' : ''} ORDER BY id`,
    )
    .all(...(session ? [session] : [])) as JournalChunk[];
  return rows;
}

export function journalSessions(
  db: Db,
): { session: string; protocol: JournalProtocol; device: string; chunks: number }[] {
  return db
    .prepare(
      `SELECT session, protocol, device, COUNT(*) AS chunks FROM terminal_journal GROUP BY session ORDER BY MIN(id)`,
    )
    .all() as { session: string; protocol: JournalProtocol; device: string; chunks: number }[];
}
