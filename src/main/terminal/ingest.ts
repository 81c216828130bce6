import type { Db } from '../store/database';
import { appendLog } from '../store/integration-log';
import { parseReceipt } from './receipt-parser';
import { saveTerminalReport, type JournalSpan, type SaveOutcome } from './report-store';
import type { TerminalReport } from './report';

export interface CaptureContext {
  readonly timeZone?: string;
  readonly currency?: TerminalReport['currency'];
  /** The configured terminal's id, for prints that show none. */
  readonly terminalId?: string;
  /** Called after each stored (or refused) document: the CLI prints it, tests measure latency. */
  readonly onOutcome?: (outcome: IngestOutcome) => void;
}

export type IngestOutcome =
  (SaveOutcome & { readonly report: TerminalReport }) | { readonly outcome: 'not-a-report'; readonly reason: string };

/** Parses one captured document and stores the report; what is refused is logged with the reason. */
export function ingestReceiptDocument(
  db: Db,
  bytes: Uint8Array,
  context: CaptureContext & { capturedAt: Date; journal?: JournalSpan; device: string },
): IngestOutcome {
  const parsed = parseReceipt(bytes, {
    capturedAt: context.capturedAt,
    ...(context.timeZone ? { timeZone: context.timeZone } : {}),
    ...(context.currency ? { currency: context.currency } : {}),
    ...(context.terminalId ? { terminalId: context.terminalId } : {}),
  });
  return storeParsed(db, parsed, context);
}

export function storeParsed(
  db: Db,
  parsed: ReturnType<typeof parseReceipt>,
  context: CaptureContext & { capturedAt: Date; journal?: JournalSpan; device: string },
): IngestOutcome {
  let outcome: IngestOutcome;
  if (!parsed.ok) {
    appendLog(
      db,
      {
        module: 'terminal',
        status: 'info',
        code: 'terminal_not_a_report',
        message: `Print from ${context.device} is not a terminal report (${parsed.reason}); its bytes stay in the journal`,
        ...(context.journal ? { payload: { journal: context.journal } } : {}),
      },
      context.capturedAt,
    );
    outcome = { outcome: 'not-a-report', reason: parsed.reason };
  } else {
    const saved = saveTerminalReport(db, parsed.report, {
      now: context.capturedAt,
      ...(context.journal ? { journal: context.journal } : {}),
    });
    if (saved.outcome === 'stored') {
      const report = parsed.report;
      appendLog(
        db,
        {
          module: 'terminal',
          status: 'info',
          code: 'terminal_report_stored',
          message:
            `Terminal ${report.terminalId}${report.bax ? ` (BAX ${report.bax})` : ''} ${report.kind} ` +
            `${report.batchNo ? `batch ${report.batchNo} ` : ''}closed ${report.closedAt}: ${report.totals.amount} øre` +
            (report.warnings.length ? `; warnings: ${report.warnings.join('; ')}` : ''),
        },
        context.capturedAt,
      );
    }
    outcome = { ...saved, report: parsed.report };
  }
  context.onOutcome?.(outcome);
  return outcome;
}
