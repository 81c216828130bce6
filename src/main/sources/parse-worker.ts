import { statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { parseFile } from './import-file';
import { parseRequestSchema, type ParseWorkerMessage } from './parse-worker-protocol';
import { SourceError } from './source-error';

/**
 * Entry point of the parse worker thread: reads one file to its reports and posts them back, so a
 * large file never holds up the engine's event loop. It touches no store (the database handle
 * belongs to the engine thread). Started by parse-in-worker.ts; the contract is parse-worker-protocol.ts.
 */

/** Progress is posted at most this often: enough for a moving bar, little work for the engine thread. */
const PROGRESS_INTERVAL_MS = 100;

if (!parentPort) throw new Error('parse-worker.ts must run in a worker thread');
const port = parentPort;
const post = (message: ParseWorkerMessage): void => port.postMessage(message);

function totalBytesOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0; // the reader names the file it cannot open
  }
}

const request = parseRequestSchema.parse(workerData);
const totalBytes = totalBytesOf(request.path);
let lastPosted = 0;
let bytesSeen = 0;
try {
  const result = parseFile(request.path, request.format, request.overrides, (bytesRead, reportsFound) => {
    bytesSeen = bytesRead;
    const now = performance.now();
    if (now - lastPosted < PROGRESS_INTERVAL_MS) return;
    lastPosted = now;
    post({ kind: 'progress', bytesRead, totalBytes: Math.max(totalBytes, bytesRead), reportsFound });
  });
  // The last word: the whole file, every report (also for readers that report no progress as they go).
  const bytesRead = Math.max(totalBytes, bytesSeen);
  post({ kind: 'progress', bytesRead, totalBytes: bytesRead, reportsFound: result.drafts.length });
  post({ kind: 'read', result });
} catch (error) {
  if (error instanceof SourceError) {
    post({ kind: 'refused', source: error.source, location: error.location, field: error.field, reason: error.reason });
  } else {
    const code = (error as NodeJS.ErrnoException).code;
    post({
      kind: 'failed',
      message: error instanceof Error ? error.message : String(error),
      ...(code ? { code } : {}),
    });
  }
}
