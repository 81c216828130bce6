import { closeSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { settlementIdentity, type SettlementDraft, type SettlementLine } from '../domain/settlement';
import { writeTransaction, type Db } from '../store/database';
import { homeKind, setHomeKind } from '../store/home';
import { appendLog } from '../store/integration-log';
import { importSettlements } from '../store/settlements';
import { csvSource } from './csv/read-csv';
import { loadSourceOverrides } from './overrides';
import type { FileFormat, FileReadResult, FileSource } from './file-source';
import { saftSource } from './saft/read-saft';
import { sie4Source } from './sie4/read-sie4';
import { SourceError } from './source-error';

export const FILE_SOURCES: Readonly<Record<FileFormat, FileSource>> = {
  saft: saftSource,
  sie4: sie4Source,
  csv: csvSource,
};

const EXTENSIONS: Readonly<Record<string, FileFormat>> = {
  '.xml': 'saft',
  '.se': 'sie4',
  '.si': 'sie4',
  '.sie': 'sie4',
  '.csv': 'csv',
};

/** The format of a file from its first bytes, else its extension; a file that is neither is refused. */
export function detectFormat(path: string): FileFormat {
  const head = readHead(path, 4096);
  for (const source of Object.values(FILE_SOURCES)) if (source.sniff(head)) return source.format;
  const byExtension = EXTENSIONS[extname(path).toLowerCase()];
  if (byExtension) return byExtension;
  throw new SourceError(path, 'whole file', null, 'not a SAF-T Cash Register, SIE4 or CSV settlement file');
}

function readHead(path: string, size: number): Buffer {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    throw new SourceError(path, 'whole file', null, `cannot open: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  try {
    const buffer = Buffer.alloc(size);
    return buffer.subarray(0, readSync(fd, buffer, 0, size, 0));
  } finally {
    closeSync(fd);
  }
}

export interface ReportSummary {
  readonly identity: string;
  readonly registerId: string;
  readonly kind: string;
  readonly number: string;
  readonly businessDate: string;
  readonly warnings: readonly string[];
}

export interface FileImportOutcome extends StoreOutcome {
  readonly file: string;
  readonly format: FileFormat;
  readonly warnings: readonly string[];
}

function summary(draft: SettlementDraft, warnings = draft.warnings ?? []): ReportSummary {
  return {
    identity: settlementIdentity(draft),
    registerId: draft.registerId,
    kind: draft.kind,
    number: draft.reportNumber,
    businessDate: draft.businessDate,
    warnings,
  };
}

interface StoredLine {
  key: string;
  amount: number;
  vat: number;
  source_code: string | null;
}

function sameLines(stored: readonly StoredLine[], lines: readonly SettlementLine[]): boolean {
  const text = (key: string, amount: number, vat: number, code: string | null | undefined) =>
    `${key}|${amount}|${vat}|${code ?? ''}`;
  const a = stored.map((line) => text(line.key, line.amount, line.vat, line.source_code)).sort();
  const b = lines.map((line) => text(line.key, line.amount, line.vat, line.sourceCode)).sort();
  return a.length === b.length && a.every((entry, index) => entry === b[index]);
}

export interface StoreOutcome {
  readonly imported: readonly ReportSummary[];
  /** The same report, unchanged, was already stored: nothing added. */
  readonly duplicates: readonly ReportSummary[];
  /** Stored before with different amounts: the stored one is kept; a person must decide. */
  readonly conflicts: readonly ReportSummary[];
}

/**
 * Stores what a source read, in one transaction: identity — not the file's bytes — decides what is
 * new; a report already stored is left as it was, and a changed re-export is reported as a conflict.
 */
export function storeDrafts(
  db: Db,
  drafts: readonly SettlementDraft[],
  origin: string,
  now = new Date(),
): StoreOutcome {
  const findStored = db.prepare(
    'SELECT id FROM settlements WHERE source = ? AND location = ? AND register_id = ? AND kind = ? AND report_number = ?',
  );
  const storedLines = db.prepare(
    'SELECT key, amount, vat, source_code FROM settlement_lines WHERE settlement_id = ? ORDER BY line_no',
  );
  const imported: ReportSummary[] = [];
  const duplicates: ReportSummary[] = [];
  const conflicts: ReportSummary[] = [];
  writeTransaction(db, () => {
    const fresh: SettlementDraft[] = [];
    const seen = new Set<string>();
    for (const draft of drafts) {
      const identity = settlementIdentity(draft);
      const stored = findStored.get(draft.source, draft.location, draft.registerId, draft.kind, draft.reportNumber) as
        { id: number } | undefined;
      if (seen.has(identity)) {
        duplicates.push(summary(draft));
      } else if (!stored) {
        fresh.push(draft);
        imported.push(summary(draft));
      } else if (sameLines(storedLines.all(stored.id) as StoredLine[], draft.lines)) {
        duplicates.push(summary(draft));
      } else {
        const message = `${draft.kind} report ${draft.reportNumber} of register ${draft.registerId} was imported before with other amounts; the stored one is kept (settlement ${stored.id})`;
        conflicts.push(summary(draft, [message]));
        appendLog(
          db,
          { module: 'import', status: 'not_transferred', code: 'import_conflict', message, payload: { origin } },
          now,
        );
      }
      seen.add(identity);
    }
    importSettlements(db, fresh, now);
    // Real reports make this a shop's home, which the demo will then never write into.
    if (fresh.length > 0 && homeKind(db) === undefined) setHomeKind(db, 'shop');
    if (imported.length + conflicts.length > 0) {
      appendLog(
        db,
        {
          module: 'import',
          status: 'info',
          message: `${origin}: ${imported.length} imported, ${duplicates.length} already present, ${conflicts.length} conflicts`,
        },
        now,
      );
    }
  });
  return { imported, duplicates, conflicts };
}

/** Reads one file and stores its reports, all or nothing: a file that fails to read stores nothing but a log row. */
export function importFile(
  db: Db,
  path: string,
  format: FileFormat | 'auto' = 'auto',
  now = new Date(),
): FileImportOutcome {
  let chosen: FileFormat;
  let read: FileReadResult;
  try {
    chosen = format === 'auto' ? detectFormat(path) : format;
    read = FILE_SOURCES[chosen].read(path, loadSourceOverrides(db));
  } catch (error) {
    // The refusal is kept where the owner and the technician look, next to the imports that worked.
    if (error instanceof SourceError) {
      appendLog(
        db,
        { module: 'import', status: 'not_transferred', code: 'import_failed', message: error.message },
        now,
      );
    }
    throw error;
  }
  return {
    file: path,
    format: chosen,
    ...storeDrafts(db, read.drafts, `${path} (${chosen})`, now),
    warnings: read.warnings,
  };
}
