import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Db } from '../store/database';
import { ingestReceiptDocument, type CaptureContext, type IngestOutcome } from './ingest';
import { appendJournal } from './journal';
import { ReceiptSplitter } from './receipt-splitter';
import { saveTerminalReport } from './report-store';
import { parseSettlementCsv } from './settlement-csv';

/** What a file is: a provider settlement CSV (header with a scheme column) or saved receipt text. */
export function looksLikeSettlementCsv(path: string, bytes: Buffer): boolean {
  const firstLine = bytes.subarray(0, 400).toString('utf8').split(/\r?\n/)[0]?.toLowerCase() ?? '';
  return path.toLowerCase().endsWith('.csv') || (/[;,]/.test(firstLine) && /(scheme|korttype|brand)/.test(firstLine));
}

/**
 * Imports a saved reconciliation (receipt text, possibly several prints with paper cuts, any code
 * page) or a settlement CSV, for terminals no cable reaches. The bytes are journaled first, like a capture.
 */
export function importTerminalFile(
  db: Db,
  path: string,
  context: CaptureContext & { now?: Date } = {},
): IngestOutcome[] {
  const bytes = readFileSync(path);
  const now = context.now ?? new Date();
  const session = `file:${basename(path)}@${now.toISOString()}`;
  const chunk = appendJournal(db, { session, device: path, protocol: 'file', direction: 'in', bytes }, now);
  const journal = { session, from: chunk, to: chunk };
  if (looksLikeSettlementCsv(path, bytes)) {
    return parseSettlementCsv(bytes.toString('utf8'), path, context).map((report) => {
      const outcome: IngestOutcome = { ...saveTerminalReport(db, report, { now, journal }), report };
      context.onOutcome?.(outcome);
      return outcome;
    });
  }
  const splitter = new ReceiptSplitter();
  const documents = splitter.push(bytes);
  const rest = splitter.flush();
  if (rest) documents.push(rest);
  return documents.map((document) =>
    ingestReceiptDocument(db, document, { ...context, capturedAt: now, journal, device: path }),
  );
}
