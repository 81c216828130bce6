import { closeSync, openSync, readSync } from 'node:fs';
import { extname } from 'node:path';
import { add, negate } from '../../shared/money';
import { keyInfo } from '../../shared/settlement-keys';
import { settlementIdentity, type SettlementDraft, type SettlementLine } from '../domain/settlement';
import { asFileAccessError, FileAccessError } from '../log/io-error';
import { writeTransaction, type Db } from '../store/database';
import { homeKind, setHomeKind } from '../store/home';
import { appendLog } from '../store/integration-log';
import { importSettlements } from '../store/settlements';
import { ReportSums } from './amount-bound';
import { isCalendarDate } from './dates';
import { csvSource } from './csv/read-csv';
import { loadSourceOverrides, type SourceOverrides } from './overrides';
import {
  ACCEPTED_FILES,
  type FileFormat,
  type FileReadResult,
  type FileSource,
  type ReadProgress,
} from './file-source';
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
  throw new SourceError(path, 'whole file', null, `not ${ACCEPTED_FILES}`);
}

function readHead(path: string, size: number): Buffer {
  const fd = openSync(path, 'r');
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
  /** The file holds no report at all (empty, header only, cut off before the first report). */
  readonly reportless: boolean;
}

/** The warning for a file with no report in it: never a silent "0 imported". */
export const NO_REPORTS_WARNING = 'the file holds no reports (empty, only a header, or cut off before the first one)';

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

/** A report's lines as one comparable text, in any order: equal texts are the same amounts. */
function linesText(lines: readonly { key: string; amount: number; vat: number; code: string | null | undefined }[]) {
  return lines
    .map((line) => `${line.key}|${line.amount}|${line.vat}|${line.code ?? ''}`)
    .sort()
    .join('\n');
}

const draftLinesText = (draft: SettlementDraft): string =>
  linesText(draft.lines.map((line: SettlementLine) => ({ ...line, code: line.sourceCode })));

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
  const conflict = (draft: SettlementDraft, message: string): void => {
    conflicts.push(summary(draft, [message]));
    appendLog(
      db,
      { module: 'import', status: 'not_transferred', code: 'import_conflict', message, payload: { origin } },
      now,
    );
  };
  writeTransaction(db, () => {
    const fresh: SettlementDraft[] = [];
    // The first report of each identity in this batch: a repeat is judged against it as against a stored one.
    const firstInBatch = new Map<string, SettlementDraft>();
    for (const draft of drafts) {
      const identity = settlementIdentity(draft);
      const name = `${draft.kind} report ${draft.reportNumber} of register ${draft.registerId}`;
      const earlier = firstInBatch.get(identity);
      const stored = earlier
        ? undefined
        : (findStored.get(draft.source, draft.location, draft.registerId, draft.kind, draft.reportNumber) as
            { id: number } | undefined);
      if (earlier) {
        if (draftLinesText(earlier) === draftLinesText(draft)) duplicates.push(summary(draft));
        else
          conflict(
            draft,
            `${name} appears again${draft.sourceRef ? ` at ${draft.sourceRef}` : ''} with other amounts than at ${earlier.sourceRef ?? 'its first place'}; the first is kept`,
          );
        continue;
      }
      firstInBatch.set(identity, draft);
      if (!stored) {
        fresh.push(draft);
        imported.push(summary(draft));
      } else if (
        linesText((storedLines.all(stored.id) as StoredLine[]).map((line) => ({ ...line, code: line.source_code }))) ===
        draftLinesText(draft)
      ) {
        duplicates.push(summary(draft));
      } else {
        conflict(
          draft,
          `${name} was imported before with other amounts; the stored one is kept (settlement ${stored.id})`,
        );
      }
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

/**
/**
 * The checks every format gets, whatever its reader did: a business date that is a real day; each
 * report's per-key sums and totals within the import bound (so later sums cannot overflow); and no
 * name or code holding U+FFFD — the mark of a byte the declared encoding did not define, which
 * would make the report a new one.
 */
function checkDrafts(path: string, drafts: readonly SettlementDraft[]): void {
  for (const draft of drafts) {
    const where = draft.sourceRef?.startsWith(`${path}:`)
      ? `line ${draft.sourceRef.slice(path.length + 1)}`
      : `${draft.kind} report ${draft.reportNumber} of register ${draft.registerId}`;
    if (!isCalendarDate(draft.businessDate)) {
      throw new SourceError(path, where, 'date', `"${draft.businessDate}" is not a day on the calendar`);
    }
    const texts: [string, string | undefined][] = [
      ['location', draft.location],
      ['register', draft.registerId],
      ['report number', draft.reportNumber],
      ...draft.lines.flatMap((line): [string, string | undefined][] => [
        ['code', line.sourceCode],
        ['department', line.department],
      ]),
    ];
    const garbled = texts.find(([, text]) => text?.includes('\uFFFD'));
    if (garbled) {
      throw new SourceError(
        path,
        where,
        garbled[0],
        `"${garbled[1]}" holds an undecodable character (U+FFFD): the file is in another encoding than it declares`,
      );
    }
    const sums = new ReportSums();
    for (const line of draft.lines) {
      const gross = add(line.amount, line.vat);
      const overflow =
        sums.add(`sum of ${line.key}`, line.amount) ??
        sums.add(`VAT of ${line.key}`, line.vat) ??
        sums.addSigned(keyInfo(line.key).side === 'debit' ? gross : negate(gross));
      if (overflow) throw new SourceError(path, where, line.key, overflow);
    }
  }
}

/**
 * Reads one file to its reports (detecting the format when asked), touching no store: all of them
 * or a SourceError. This is the part that runs in the parse worker (see parse-in-worker.ts). A
 * RangeError from the money module (an unsafe sum) becomes a SourceError naming the file.
 */
export function parseFile(
  path: string,
  format: FileFormat | 'auto',
  overrides?: SourceOverrides,
  onProgress?: ReadProgress,
): FileReadResult {
  const chosen = format === 'auto' ? detectFormat(path) : format;
  let read: FileReadResult;
  try {
    read = FILE_SOURCES[chosen].read(path, overrides, onProgress);
  } catch (error) {
    if (error instanceof RangeError && /number of øre/.test(error.message)) {
      const reason = `an amount or a sum is too large to hold exactly (${error.message})`;
      throw new SourceError(path, 'whole file', null, reason, { cause: error });
    }
    throw error;
  }
  checkDrafts(path, read.drafts);
  return read;
}

/**
 * A file's refusal is kept where the owner and the technician look, next to the imports that
 * worked; a missing, unreadable or folder path is named with the reason, not as a bare ENOENT.
 * Returns the error to throw.
 */
export function logRefusal(db: Db, error: unknown, path: string, now: Date): unknown {
  const failure = asFileAccessError(error, path) ?? error;
  if (failure instanceof SourceError || failure instanceof FileAccessError) {
    appendLog(
      db,
      { module: 'import', status: 'not_transferred', code: 'import_failed', message: failure.message },
      now,
    );
  }
  return failure;
}

/**
 * Stores what was read from one file, in one transaction (see storeDrafts). A file with no report
 * in it stores nothing, with a warning and a log row.
 */
export function storeFileRead(db: Db, path: string, read: FileReadResult, now: Date): FileImportOutcome {
  const reportless = read.drafts.length === 0;
  if (reportless) {
    appendLog(
      db,
      { module: 'import', status: 'not_transferred', code: 'import_empty', message: `${path}: ${NO_REPORTS_WARNING}` },
      now,
    );
  }
  return {
    file: path,
    format: read.format,
    ...storeDrafts(db, read.drafts, `${path} (${read.format})`, now),
    warnings: reportless ? [...read.warnings, NO_REPORTS_WARNING] : read.warnings,
    reportless,
  };
}

/** Reads one file and stores its reports, all or nothing: a file that fails to read stores nothing but a log row. */
export function importFile(
  db: Db,
  path: string,
  format: FileFormat | 'auto' = 'auto',
  now = new Date(),
): FileImportOutcome {
  let read: FileReadResult;
  try {
    read = parseFile(path, format, loadSourceOverrides(db));
  } catch (error) {
    throw logRefusal(db, error, path, now);
  }
  return storeFileRead(db, path, read, now);
}
