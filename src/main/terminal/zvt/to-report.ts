import { netSchemeTotal, withId, type SchemeTotal, type TerminalReport } from '../report';
import { parseReceipt, type ReceiptParseResult } from '../receipt-parser';
import { inferYear, localToIso } from '../zoned-time';
import type { EndOfDayResult } from './end-of-day';

export const ZVT_PARSER_VERSION = 'zvt-1';

export interface ZvtReportOptions {
  readonly capturedAt: Date;
  readonly timeZone?: string;
  readonly currency?: TerminalReport['currency'];
  readonly raw?: Buffer;
}

/**
 * The print text is the richer source (Nordic brands, refunds, tips); BMP 60 single totals are the
 * structured cross-check, and the fallback when a terminal sends no print text.
 */
export function endOfDayToReport(result: EndOfDayResult, options: ZvtReportOptions): ReceiptParseResult {
  const timeZone = options.timeZone ?? 'Europe/Oslo';
  const status = result.status;
  if (result.outcome === 'aborted') {
    return {
      ok: false,
      reason: `terminal aborted the end-of-day (result code ${result.abortCode ?? '?'})`,
      text: result.printText.join('\n'),
    };
  }
  if (result.printText.length > 0) {
    const parsed = parseReceipt(result.printText.join('\n'), {
      capturedAt: options.capturedAt,
      timeZone,
      source: 'zvt',
      ...(status?.terminalId ? { terminalId: status.terminalId } : {}),
      ...(options.currency ? { currency: options.currency } : {}),
    });
    if (parsed.ok) {
      const warnings = [...parsed.report.warnings];
      if (status?.total !== undefined && status.total !== parsed.report.totals.amount) {
        warnings.push(
          `zvt-total-differs: status information says ${status.total}, print text says ${parsed.report.totals.amount}`,
        );
      }
      const { id: _id, ...draft } = parsed.report;
      return {
        ok: true,
        report: withId({
          ...draft,
          raw: { ...draft.raw, ...(options.raw ? { hex: options.raw.toString('hex') } : {}) },
          parserVersion: `${ZVT_PARSER_VERSION}+${draft.parserVersion}`,
          warnings,
        }),
      };
    }
  }
  if (!status?.singleTotals || status.total === undefined) {
    return { ok: false, reason: 'end-of-day without print text or single totals', text: result.printText.join('\n') };
  }
  const schemes: SchemeTotal[] = status.singleTotals.brands
    .filter((brand) => brand.count > 0 || brand.amount !== 0)
    .map((brand) => netSchemeTotal(brand.brand, brand.brand, brand.count, brand.amount));
  const warnings = ['from-zvt-single-totals'];
  const [month, day] = (status.date ?? '').split('-').map(Number);
  const [hour, minute, second] = (status.time ?? '').split(':').map(Number);
  let closedAt: string;
  if (month && day) {
    warnings.push('no-year-in-date');
    closedAt = localToIso(
      {
        year: inferYear(month, day, options.capturedAt, timeZone),
        month,
        day,
        hour: hour ?? 0,
        minute: minute ?? 0,
        second: second ?? 0,
      },
      timeZone,
    );
  } else {
    warnings.push('no-date-on-report: capture time used');
    closedAt = options.capturedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  }
  const schemeSum = schemes.reduce((acc, scheme) => acc + scheme.netAmount, 0);
  if (schemeSum !== status.total)
    warnings.push(`sum-mismatch: scheme lines add up to ${schemeSum}, total says ${status.total}`);
  return {
    ok: true,
    report: withId({
      kind: 'reconciliation',
      source: 'zvt',
      terminalId: status.terminalId ?? 'unknown',
      batchNo: `${status.singleTotals.receiptFrom}-${status.singleTotals.receiptTo}`,
      receiptNoRange: { from: status.singleTotals.receiptFrom, to: status.singleTotals.receiptTo },
      closedAt,
      currency: options.currency ?? 'NOK',
      copy: false,
      schemes,
      totals: {
        count: schemes.reduce((acc, scheme) => acc + scheme.count, 0),
        amount: status.total,
        refunds: 0,
        tips: 0,
        cashback: 0,
        surcharge: 0,
      },
      hostResult: status.result === 0 ? 'ok' : 'failed',
      raw: options.raw ? { hex: options.raw.toString('hex') } : {},
      parserVersion: ZVT_PARSER_VERSION,
      warnings,
    }),
  };
}
