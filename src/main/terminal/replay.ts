import type { Db } from '../store/database';
import { ingestReceiptDocument, storeParsed, type CaptureContext, type IngestOutcome } from './ingest';
import { looksLikeSettlementCsv } from './import-file';
import { journalSessions, readJournal, type JournalChunk } from './journal';
import { ReceiptSplitter } from './receipt-splitter';
import { saveTerminalReport } from './report-store';
import { parseSettlementCsv } from './settlement-csv';
import { EndOfDayExchange } from './zvt/end-of-day';
import { serialLink, tcpLink } from './zvt/link';
import { endOfDayToReport } from './zvt/to-report';

/**
 * Reads the raw journal again with the current parsers (after a parser fix): documents are split as
 * when they were captured (paper cuts, or a gap of `quietMs` between chunks), ZVT sessions are
 * replayed through a fresh End-of-Day exchange. Reports already stored keep their id and are skipped.
 */
export function reparseJournal(db: Db, context: CaptureContext & { quietMs?: number } = {}): IngestOutcome[] {
  const outcomes: IngestOutcome[] = [];
  for (const { session, protocol, device } of journalSessions(db)) {
    const chunks = readJournal(db, session).filter((chunk) => chunk.direction === 'in');
    if (protocol === 'zvt') outcomes.push(...replayZvt(db, chunks, device, context));
    else if (protocol === 'file' && chunks[0] && looksLikeSettlementCsv(device, Buffer.from(chunks[0].bytes))) {
      outcomes.push(...replayCsv(db, chunks[0], device, context));
    } else outcomes.push(...replayReceipts(db, chunks, device, context));
  }
  return outcomes;
}

function replayReceipts(
  db: Db,
  chunks: JournalChunk[],
  device: string,
  context: CaptureContext & { quietMs?: number },
): IngestOutcome[] {
  const outcomes: IngestOutcome[] = [];
  const splitter = new ReceiptSplitter();
  let previous: JournalChunk | undefined;
  let start: number | undefined;
  const emit = (document: Buffer, last: JournalChunk): void => {
    const journal = { session: last.session, from: start ?? last.id, to: last.id };
    outcomes.push(ingestReceiptDocument(db, document, { ...context, capturedAt: new Date(last.at), journal, device }));
  };
  for (const chunk of chunks) {
    if (previous && Date.parse(chunk.at) - Date.parse(previous.at) >= (context.quietMs ?? 500)) {
      const document = splitter.flush();
      if (document) emit(document, previous);
      start = undefined;
    }
    start ??= chunk.id;
    for (const document of splitter.push(chunk.bytes)) {
      emit(document, chunk);
      start = splitter.buffered > 0 ? chunk.id : undefined;
    }
    previous = chunk;
  }
  const rest = splitter.flush();
  if (rest && previous) emit(rest, previous);
  return outcomes;
}

function replayZvt(db: Db, chunks: JournalChunk[], device: string, context: CaptureContext): IngestOutcome[] {
  const exchange = new EndOfDayExchange(undefined, device.startsWith('tcp:') ? tcpLink() : serialLink());
  const outcomes: IngestOutcome[] = [];
  const received: Buffer[] = [];
  for (const chunk of chunks) {
    received.push(Buffer.from(chunk.bytes));
    const step = exchange.receive(chunk.bytes);
    if (!step.result) continue;
    const capturedAt = new Date(chunk.at);
    const parsed = endOfDayToReport(step.result, {
      capturedAt,
      raw: Buffer.concat(received),
      ...(context.timeZone ? { timeZone: context.timeZone } : {}),
      ...(context.currency ? { currency: context.currency } : {}),
    });
    outcomes.push(
      storeParsed(db, parsed, {
        ...context,
        capturedAt,
        device,
        journal: { session: chunk.session, from: chunks[0]!.id, to: chunk.id },
      }),
    );
  }
  return outcomes;
}

function replayCsv(db: Db, chunk: JournalChunk, device: string, context: CaptureContext): IngestOutcome[] {
  const journal = { session: chunk.session, from: chunk.id, to: chunk.id };
  return parseSettlementCsv(Buffer.from(chunk.bytes).toString('utf8'), device, context).map((report) => ({
    ...saveTerminalReport(db, report, { now: new Date(chunk.at), journal }),
    report,
  }));
}
