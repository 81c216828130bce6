import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import iconv from 'iconv-lite';
import { describeProblem, type Problem } from '../../shared/problems';
import type { Language } from '../../shared/settlement-keys';
import { TARGETS, type TargetKind } from '../../shared/targets';
import { asFileAccessError, FileAccessError, onUserPath } from '../log/io-error';
import type { Db } from '../store/database';
import { appendLog } from '../store/integration-log';
import { getTarget } from '../store/targets';
import { listVouchers, type StoredVoucher } from '../store/vouchers';
import { acquireSyncLease, type SyncLease } from '../sync/lock';
import { prepareVouchers, UnknownTargetError } from '../vouchers/prepare';
import { isBalanced, type Voucher } from '../vouchers/voucher';
import { version } from '../../../package.json';
import { writeFileAtomically } from './atomic-write';
import {
  abandonExport,
  claimExport,
  completeExport,
  countExportFiles,
  exportedKeys,
  exportFileVouchers,
  getExportFile,
  lastVoucherNumber,
  listExportFiles,
  settlementFacts,
} from './export-store';
import {
  compactDate,
  type BaseFileSettings,
  type FileFormat,
  type NumberedVoucher,
  type RenderContext,
} from './format';
import { FILE_FORMATS, isFileFormatKind } from './formats';

/** A file export that cannot run; the message says what to fix. */
export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

const isoDate = (what: string, value: string): string => {
  const time = Date.parse(`${value}T00:00:00Z`);
  // Round-trip so that 2026-02-30 is refused rather than read as 2 March.
  const real =
    /^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
  if (!real) throw new ExportError(`${what} must be a date like 2026-11-20, not "${value}"`);
  return value;
};

export interface ExportOptions {
  /** First and last business date to export (inclusive, YYYY-MM-DD); open-ended when absent. */
  readonly from?: string;
  readonly to?: string;
  /** Overrides the target's `folder` setting. */
  readonly folder?: string;
  readonly now?: Date;
  readonly program?: RenderContext['program'];
}

export interface ExportedVoucher {
  readonly voucherId: number;
  readonly settlementId: number;
  readonly registerId: string;
  readonly reportNumber: string;
  readonly businessDate: string;
  readonly number: number | null;
}

export interface NotExported {
  readonly voucherId: number;
  readonly reportNumber: string;
  readonly businessDate: string;
  readonly state: string;
  readonly problems: readonly Problem[];
  /** Why the format cannot hold this voucher (e.g. an account that is not a number), in English. */
  readonly formatReasons: readonly string[];
}

export interface ExportResult {
  readonly targetId: string;
  readonly format: string;
  /** The file written by this run; null when there was nothing new to export. */
  readonly file: {
    readonly path: string;
    readonly name: string;
    readonly bytes: number;
    readonly sha256: string;
  } | null;
  readonly exported: readonly ExportedVoucher[];
  /** Z-reports in the range that an earlier file already holds. */
  readonly alreadyExported: number;
  /** Z-reports in the range whose voucher is refused (blocked) and so not in the file. */
  readonly notExported: readonly NotExported[];
  /** Files a crash left half-done, finished or undone before this run. */
  readonly recovered: readonly { readonly fileName: string; readonly outcome: 'completed' | 'undone' }[];
}

/** GBAT10 has 8 digits for the voucher number; no format here allows more. */
const MAX_VOUCHER_NUMBER = 99_999_999;

const DEFAULT_PROGRAM = { name: 'Kassebro', version };

function settingsOf<S extends BaseFileSettings>(format: FileFormat<S>, targetId: string, settings: unknown): S {
  const parsed = format.settingsSchema.safeParse(settings);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(settings)'}: ${issue.message}`);
  throw new ExportError(`Target "${targetId}" has invalid ${format.name} settings: ${issues.join('; ')}`);
}

function inRange(date: string, from: string | undefined, to: string | undefined): boolean {
  return (from === undefined || date >= from) && (to === undefined || date <= to);
}

/** Finishes (file in place) or undoes (file missing) what a crash left between claim and completion. */
function recoverInterrupted(db: Db, targetId: string, now: Date): ExportResult['recovered'] {
  return listExportFiles(db, targetId, 'writing').map((file) => {
    const path = join(file.folder, file.fileName);
    if (existsSync(path)) {
      const content = readFileSync(path);
      completeExport(db, file.id, { sha256: sha256(content), bytes: content.length }, now);
      logRun(db, targetId, file.id, 'completed after an interruption', now);
      return { fileName: file.fileName, outcome: 'completed' as const };
    }
    abandonExport(db, file.id, now);
    removeLeftoverTempFiles(file.folder, file.fileName);
    appendLog(
      db,
      {
        targetId,
        module: 'export',
        status: 'info',
        code: 'export_undone',
        message: `${file.fileName} was never written (interrupted); its vouchers go into the next file`,
      },
      now,
    );
    return { fileName: file.fileName, outcome: 'undone' as const };
  });
}

/** A crash during the write can leave the hidden temp file of `atomic-write.ts`; nothing else uses it. */
function removeLeftoverTempFiles(folder: string, fileName: string): void {
  if (!existsSync(folder)) return;
  for (const name of readdirSync(folder))
    if (name.startsWith(`.${fileName}.`) && name.endsWith('.tmp')) rmSync(join(folder, name), { force: true });
}

function sha256(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** One row per written file; its payload (shown by "Vis") lists the file and every voucher in it. */
function logRun(db: Db, targetId: string, fileId: number, how: string, now: Date): void {
  const file = getExportFile(db, fileId);
  if (!file) throw new Error(`Export file ${fileId} is not recorded`);
  const vouchers = exportFileVouchers(db, fileId);
  appendLog(
    db,
    {
      targetId,
      module: 'export',
      status: 'transferred',
      code: 'file_written',
      message: `${vouchers.length} voucher${vouchers.length === 1 ? '' : 's'} written to ${file.fileName} (${how})`,
      payload: {
        file: join(file.folder, file.fileName),
        format: file.format,
        bytes: file.bytes,
        sha256: file.sha256,
        vouchers: vouchers.map((voucher) => ({
          idempotencyKey: voucher.idempotencyKey,
          number: voucher.voucherNumber,
        })),
      },
    },
    now,
  );
}

/** The refusal in words: the build's error, else what the format cannot hold, else the state. */
export function whyNotExported(entry: NotExported, language: Language): string {
  const problem = entry.problems.find((candidate) => candidate.severity === 'error');
  if (problem) return describeProblem(problem, language);
  return entry.formatReasons.length > 0 ? entry.formatReasons.join('; ') : entry.state;
}

/** One row per run that left Z-reports out, so the owner sees the gap and why. */
function logRefused(db: Db, targetId: string, refused: readonly NotExported[], language: Language, now: Date): void {
  const reasons = refused.map((entry) => {
    return `${entry.reportNumber} (${entry.businessDate}): ${whyNotExported(entry, language)}`;
  });
  appendLog(
    db,
    {
      targetId,
      module: 'export',
      status: 'not_transferred',
      code: 'vouchers_refused',
      message: `${refused.length} Z-report${refused.length === 1 ? '' : 's'} not exported: ${reasons.join('; ')}`,
    },
    now,
  );
}

function exportFolder(option: string | undefined, setting: string | undefined, targetId: string): string {
  const folder = option ?? setting;
  if (!folder) throw new ExportError(`No export folder for target "${targetId}": give --out DIR or set "folder"`);
  const absolute = resolve(folder);
  if (!onUserPath(absolute, 'write', () => statSync(absolute)).isDirectory())
    throw new FileAccessError(absolute, 'write', 'ENOTDIR');
  return absolute;
}

/** `kassebro-<target>-<run>-<first date>-<last date>.<ext>`: unique per target, sortable, readable. */
function fileNameFor(targetId: string, run: number, vouchers: readonly Voucher[], extension: string): string {
  const dates = vouchers.map((voucher) => voucher.date).sort();
  const safeTarget = targetId.replace(/[^A-Za-z0-9_-]+/g, '_');
  return `kassebro-${safeTarget}-${String(run).padStart(4, '0')}-${compactDate(dates[0] ?? '')}-${compactDate(dates.at(-1) ?? '')}.${extension}`;
}

/**
 * One export run for a file target: rebuilds unsent vouchers, takes the ready ones in the date
 * range that no earlier file holds, writes them to ONE new file (atomically) and marks them
 * posted with the file name as external id. A re-run exports only what is new.
 */
export function exportFileTarget(db: Db, targetId: string, options: ExportOptions = {}): ExportResult {
  const now = options.now ?? new Date();
  const from = options.from === undefined ? undefined : isoDate('--from', options.from);
  const to = options.to === undefined ? undefined : isoDate('--to', options.to);
  if (from !== undefined && to !== undefined && from > to) throw new ExportError(`--from ${from} is after --to ${to}`);

  const target = getTarget(db, targetId);
  if (!target) throw new UnknownTargetError(targetId);
  if (!isFileFormatKind(target.kind))
    throw new ExportError(`Target "${targetId}" is a ${TARGETS[target.kind].displayName} target, not a file export`);
  const format: FileFormat<BaseFileSettings> = FILE_FORMATS[target.kind];
  if (JSON.stringify(format.vatStyle) !== JSON.stringify(TARGETS[target.kind].vatStyle))
    throw new Error(
      `${format.name} expects VAT style ${JSON.stringify(format.vatStyle)}; the ${target.kind} target definition differs`,
    );
  const settings = settingsOf(format, targetId, target.settings);
  const folder = exportFolder(options.folder, settings.folder, targetId);

  const lock = waitForTargetLock(db, targetId);
  try {
    return exportUnderLock(db, { ...options, targetId, kind: target.kind, format, settings, folder, from, to, now });
  } finally {
    lock.release();
  }
}

/**
 * One export per target at a time (the sync engine's per-target lock): a second run would take
 * the first one's half-written file for an interrupted one and claim the same vouchers. A second
 * Kassebro waits for the first to finish instead of failing.
 */
function waitForTargetLock(db: Db, targetId: string): SyncLease {
  const giveUpAt = Date.now() + EXPORT_LOCK_WAIT_MS;
  for (;;) {
    const lock = acquireSyncLease(db, targetId);
    if (lock) return lock;
    if (Date.now() > giveUpAt)
      throw new ExportError(
        `Another Kassebro has been exporting target "${targetId}" for over a minute; try again later`,
      );
    Atomics.wait(LOCK_POLL, 0, 0, 50);
  }
}

const EXPORT_LOCK_WAIT_MS = 60_000;
/** Something to block on between polls: the export is synchronous, like the SQLite calls around it. */
const LOCK_POLL = new Int32Array(new SharedArrayBuffer(4));

interface LockedExport extends ExportOptions {
  readonly targetId: string;
  readonly kind: TargetKind;
  readonly format: FileFormat<BaseFileSettings>;
  readonly settings: BaseFileSettings;
  readonly folder: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly now: Date;
}

function exportUnderLock(db: Db, run: LockedExport): ExportResult {
  const { targetId, format, settings, folder, from, to, now } = run;
  const target = { kind: run.kind };
  const recovered = recoverInterrupted(db, targetId, now);
  prepareVouchers(db, targetId, now);

  const done = exportedKeys(db, targetId);
  const reports = settlementFacts(db);
  const inPeriod = listVouchers(db, { targetId }).filter((stored) =>
    inRange(reports.get(stored.settlementId)?.businessDate ?? '', from, to),
  );
  const candidates: (StoredVoucher & { voucher: Voucher })[] = [];
  const notExported: NotExported[] = [];
  let alreadyExported = 0;
  for (const stored of inPeriod) {
    if (done.has(stored.idempotencyKey) || stored.state === 'posted') {
      alreadyExported += 1;
      continue;
    }
    if (stored.state === 'skipped') continue;
    const formatReasons = stored.voucher ? format.refusals(stored.voucher, settings) : [];
    if (stored.voucher && !isBalanced(stored.voucher)) formatReasons.push('the voucher does not balance');
    if (stored.state === 'ready' && stored.voucher && formatReasons.length === 0) {
      candidates.push(stored as StoredVoucher & { voucher: Voucher });
      continue;
    }
    const report = reports.get(stored.settlementId);
    notExported.push({
      voucherId: stored.id,
      reportNumber: report?.reportNumber ?? '',
      businessDate: report?.businessDate ?? '',
      state: stored.state,
      problems: stored.problems,
      formatReasons,
    });
  }
  if (notExported.length > 0) logRefused(db, targetId, notExported, TARGETS[target.kind].language, now);

  const base = { targetId, format: target.kind, alreadyExported, notExported, recovered };
  if (candidates.length === 0) return { ...base, file: null, exported: [] };

  const numbered = format.voucherNumbers === 'required' || settings.voucherNumberStart !== undefined;
  let next = Math.max(settings.voucherNumberStart ?? 1, lastVoucherNumber(db, targetId) + 1);
  const items: NumberedVoucher[] = candidates.map((stored) => ({
    voucher: stored.voucher,
    idempotencyKey: stored.idempotencyKey,
    number: numbered ? next++ : null,
  }));
  const lastNumber = items.at(-1)?.number ?? 0;
  if (lastNumber > MAX_VOUCHER_NUMBER)
    throw new ExportError(
      `Voucher number ${lastNumber} would pass ${MAX_VOUCHER_NUMBER}, the most a file holds; set a lower voucherNumberStart`,
    );
  const fileName = fileNameFor(
    targetId,
    countExportFiles(db, targetId) + 1,
    candidates.map((stored) => stored.voucher),
    format.extension,
  );
  const content = encodeLines(
    format.render(items, settings, { generatedAt: now, program: run.program ?? DEFAULT_PROGRAM }),
    format.lineEnding,
    format.encodingOf(settings),
  );

  const fileId = claimExport(
    db,
    {
      targetId,
      format: target.kind,
      folder,
      fileName,
      fromDate: from ?? null,
      toDate: to ?? null,
      vouchers: candidates.map((stored, index) => ({
        voucherId: stored.id,
        idempotencyKey: stored.idempotencyKey,
        voucherNumber: items[index]?.number ?? null,
      })),
    },
    now,
  );
  const path = join(folder, fileName);
  try {
    writeFileAtomically(path, content);
  } catch (error) {
    abandonExport(db, fileId, now);
    // Unwritable, full or read-only: said of the folder the user chose, not of the hidden temp file.
    const failure = asFileAccessError(error, folder, 'write');
    appendLog(
      db,
      {
        targetId,
        module: 'export',
        status: 'not_transferred',
        code: 'file_write_failed',
        message: `Could not write ${path}; nothing was exported`,
        targetMessage: failure?.message ?? (error instanceof Error ? error.message : String(error)),
      },
      now,
    );
    throw (
      failure ?? new ExportError(`Could not write ${path}: ${error instanceof Error ? error.message : String(error)}`)
    );
  }
  const written = { sha256: sha256(content), bytes: content.length };
  completeExport(db, fileId, written, now);
  logRun(db, targetId, fileId, `${format.name}, ${written.bytes} bytes`, now);

  return {
    ...base,
    file: { path, name: fileName, ...written },
    exported: candidates.map((stored, index) => ({
      voucherId: stored.id,
      settlementId: stored.settlementId,
      registerId: stored.voucher.settlement.registerId,
      reportNumber: stored.voucher.settlement.reportNumber,
      businessDate: stored.voucher.date,
      number: items[index]?.number ?? null,
    })),
  };
}

/** Text → bytes in the format's character set; characters it lacks become `?` (iconv-lite's default). */
export function encodeLines(lines: readonly string[], lineEnding: string, encoding: string): Buffer {
  return iconv.encode(lines.map((line) => `${line}${lineEnding}`).join(''), encoding);
}
