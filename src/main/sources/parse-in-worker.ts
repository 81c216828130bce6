import { existsSync } from 'node:fs';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { Db } from '../store/database';
import type { FileFormat, FileReadResult } from './file-source';
import { logRefusal, storeFileRead, type FileImportOutcome } from './import-file';
import { loadSourceOverrides } from './overrides';
import { parseWorkerMessageSchema, type ParseProgress, type ParseRequest } from './parse-worker-protocol';
import { SourceError } from './source-error';

/** The parse worker died or spoke nonsense: the file was not read, and nothing of it is stored. */
export class ParseWorkerError extends Error {
  constructor(message: string, options?: { readonly cause?: unknown }) {
    super(message, options);
    this.name = 'ParseWorkerError';
  }
}

/**
 * Where the worker's code is. A bundle (electron-vite's main build: out/main/engine.js; a CLI
 * bundle) has `parse-worker.js` as one more entry beside the bundle this module is compiled into;
 * from TypeScript source (tsx, vitest) it is `parse-worker.ts` beside this module.
 */
export function locateParseWorker(): URL {
  const candidates = [new URL('./parse-worker.js', import.meta.url), new URL('./parse-worker.ts', import.meta.url)];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) throw new ParseWorkerError(`The parse worker is missing (looked for ${candidates.join(' and ')})`);
  return found;
}

/**
 * A worker running `entry`. TypeScript source gets tsx's loader first: a worker does not inherit
 * the loader hooks registered in the thread that starts it.
 */
function startWorker(entry: URL, options: { workerData: unknown; resourceLimits?: ResourceLimits }): Worker {
  if (!entry.pathname.endsWith('.ts')) return new Worker(entry, options);
  const bootstrap = [
    `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))};`,
    'register();',
    `await import(${JSON.stringify(entry.href)});`,
  ].join('\n');
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`), options);
}

export interface ParseInWorkerOptions {
  /** Bytes read and reports found so far, a few times a second; monotonic. */
  readonly onProgress?: (progress: ParseProgress) => void;
  /** The worker's heap ceiling (a test sets a tiny one to see a crash handled). */
  readonly resourceLimits?: ResourceLimits;
}

/**
 * Reads one file in a worker thread, all or nothing, like parseFile: the reports, or the same
 * SourceError (same file, line, field and sentence) the reader raised there. A worker that dies
 * rejects with a ParseWorkerError.
 */
export function parseFileInWorker(request: ParseRequest, options: ParseInWorkerOptions = {}): Promise<FileReadResult> {
  return new Promise((resolve, reject) => {
    const worker = startWorker(locateParseWorker(), {
      workerData: request,
      ...(options.resourceLimits ? { resourceLimits: options.resourceLimits } : {}),
    });
    let settled = false;
    const settle = (finish: () => void): void => {
      if (settled) return;
      settled = true;
      finish();
    };
    const stopped = (why: string, cause?: unknown): void =>
      settle(() => reject(new ParseWorkerError(`${request.path}: not read: ${why}; nothing was stored`, { cause })));

    worker.on('message', (raw: unknown) => {
      const parsed = parseWorkerMessageSchema.safeParse(raw);
      if (!parsed.success) {
        stopped(`the parse worker sent a malformed message (${parsed.error.issues[0]?.message ?? 'invalid'})`);
        void worker.terminate();
        return;
      }
      const message = parsed.data;
      if (message.kind === 'progress') {
        const { bytesRead, totalBytes, reportsFound } = message;
        if (!settled) options.onProgress?.({ bytesRead, totalBytes, reportsFound });
      } else if (message.kind === 'read') {
        settle(() => resolve(message.result));
      } else if (message.kind === 'refused') {
        settle(() => reject(new SourceError(message.source, message.location, message.field, message.reason)));
      } else {
        settle(() => reject(Object.assign(new Error(message.message), message.code ? { code: message.code } : {})));
      }
    });
    worker.on('error', (error) => stopped(`the parse worker crashed (${error.message})`, error));
    worker.on('exit', (code) => stopped(`the parse worker exited (code ${code}) before it answered`));
  });
}

/**
 * importFile with the reading done in a worker thread, so the engine keeps answering during a
 * large file; the reports are stored here, on the thread that owns the database handle, in one
 * transaction. A file that fails to read stores nothing but a log row.
 */
export async function importFileInWorker(
  db: Db,
  path: string,
  format: FileFormat | 'auto' = 'auto',
  options: { readonly now?: Date; readonly onProgress?: (progress: ParseProgress) => void } = {},
): Promise<FileImportOutcome> {
  const now = options.now ?? new Date();
  let read: FileReadResult;
  try {
    read = await parseFileInWorker(
      { path, format, overrides: loadSourceOverrides(db) },
      { onProgress: options.onProgress },
    );
  } catch (error) {
    throw logRefusal(db, error, path, now);
  }
  return storeFileRead(db, path, read, now);
}
