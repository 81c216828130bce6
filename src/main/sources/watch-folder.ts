import { existsSync, mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { FileAccessError, onUserPath } from '../log/io-error';
import type { Db } from '../store/database';
import type { FileFormat } from './file-source';
import { NO_REPORTS_WARNING, type FileImportOutcome } from './import-file';
import { importFileInWorker } from './parse-in-worker';
import { SourceError } from './source-error';

export const PROCESSED_DIR = 'processed';
export const FAILED_DIR = 'failed';

export type WatchEvent =
  | {
      readonly file: string;
      readonly status: 'imported';
      readonly outcome: FileImportOutcome;
      readonly movedTo: string;
    }
  | { readonly file: string; readonly status: 'failed'; readonly error: string; readonly movedTo: string };

interface Seen {
  readonly size: number;
  readonly mtimeMs: number;
}

/** A free name in `dir` for `name`: the name itself, else with a counter before the extension. */
function freeName(dir: string, name: string): string {
  const extension = extname(name);
  const stem = name.slice(0, name.length - extension.length);
  for (let counter = 1; ; counter += 1) {
    const candidate = join(dir, counter === 1 ? name : `${stem}-${counter}${extension}`);
    if (!existsSync(candidate)) return candidate;
  }
}

/**
 * A folder the POS exports into. A file is imported once its size and modification time have not
 * changed between two scans (so a file still being written is left alone), then moved to
 * `processed/`; a bad file — or one with no report in it — goes to `failed/` with a `.error.txt`
 * beside it giving the reason, and the others go on. What counts as "already imported" is the report's identity, not the file.
 */
export class FolderWatcher {
  private readonly seen = new Map<string, Seen>();

  constructor(
    private readonly db: Db,
    readonly dir: string,
    private readonly format: FileFormat | 'auto' = 'auto',
  ) {}

  /** Imports the files that held still since the last scan, one after the other (each read in a worker thread). */
  async scan(): Promise<WatchEvent[]> {
    const events: WatchEvent[] = [];
    const present = new Set<string>();
    for (const entry of onUserPath(this.dir, 'watch', () => readdirSync(this.dir, { withFileTypes: true }))) {
      if (!entry.isFile() || entry.name.startsWith('.')) continue;
      const file = join(this.dir, entry.name);
      present.add(file);
      let stat: Seen;
      try {
        const { size, mtimeMs } = statSync(file);
        stat = { size, mtimeMs };
      } catch {
        continue; // moved or locked by the writer: look again next scan
      }
      const before = this.seen.get(file);
      this.seen.set(file, stat);
      if (!before || before.size !== stat.size || before.mtimeMs !== stat.mtimeMs) continue;
      events.push(await this.take(file));
      this.seen.delete(file);
    }
    for (const file of this.seen.keys()) if (!present.has(file)) this.seen.delete(file);
    return events;
  }

  private async take(file: string): Promise<WatchEvent> {
    let outcome: FileImportOutcome;
    try {
      outcome = await importFileInWorker(this.db, file, this.format);
    } catch (error) {
      if (!(error instanceof SourceError || error instanceof FileAccessError)) throw error;
      return this.fail(file, error.message);
    }
    // A file without a report is almost always a broken export: it waits in failed/ for a person.
    if (outcome.reportless) return this.fail(file, `${file}: ${NO_REPORTS_WARNING}`);
    return { file, status: 'imported', outcome, movedTo: this.move(file, PROCESSED_DIR) };
  }

  private fail(file: string, reason: string): WatchEvent {
    const movedTo = this.move(file, FAILED_DIR);
    writeFileSync(`${movedTo}.error.txt`, `${reason}\n`);
    return { file, status: 'failed', error: reason, movedTo };
  }

  private move(file: string, folder: string): string {
    const dir = join(this.dir, folder);
    mkdirSync(dir, { recursive: true });
    const target = freeName(dir, basename(file));
    renameSync(file, target);
    return target;
  }
}
