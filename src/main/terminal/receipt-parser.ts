import { ore, sum, type Ore } from '../../shared/money';
import { readAmountLine } from './amount-line';
import { receiptText } from './decode';
import { containsWord, DEFAULT_LABELS, isOneOf, normaliseLabel, schemeOf, type ReceiptLabels } from './labels';
import {
  netSchemeTotal,
  withId,
  type SchemeTotal,
  type TerminalReport,
  type TerminalReportKind,
  type TerminalSource,
} from './report';
import { inferYear, isoInZone, localToIso, type LocalDateTime } from './zoned-time';

export const RECEIPT_PARSER_VERSION = 'receipt-1';

export interface ReceiptParseOptions {
  /** When the bytes arrived: the fallback closing time and the anchor for dates without a year. */
  readonly capturedAt: Date;
  readonly timeZone?: string;
  readonly currency?: TerminalReport['currency'];
  readonly labels?: ReceiptLabels;
  /** The configured terminal's id, used when the print shows none. */
  readonly terminalId?: string;
  readonly source?: TerminalSource;
}

export type ReceiptParseResult =
  | { readonly ok: true; readonly report: TerminalReport }
  | { readonly ok: false; readonly reason: string; readonly text: string };

const DATE_DMY = /(?<!\d)(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})(?!\d)/;
const DATE_YMD = /(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)/;
// "23 NOV 2026", "23. nov. 2026", "23-Nov-2026": month names in nb/sv/en/de.
const DATE_NAMED =
  /(?<!\d)(\d{1,2})\.?[\s-]+(jan|feb|mar|apr|mai|may|maj|jun|jul|aug|sep|okt|oct|nov|des|dec|dez)[\p{L}]*\.?[\s-]+(\d{4})(?!\d)/iu;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'ma', 'jun', 'jul', 'aug', 'sep', 'o', 'nov', 'de'];
const DATE_DM = /(?<![\d,.])(\d{1,2})\.(\d{1,2})\.?(?![\d.])/;
const TIME = /(?<![\d,.])(\d{1,2}):(\d{2})(?::(\d{2}))?(?![\d,])/;

interface Breakdown {
  purchase: Ore;
  refund: Ore;
  refundCount: number;
  tips: Ore;
  cashback: Ore;
  surcharge: Ore;
}

/**
 * Reads a printed terminal reconciliation (any brand, nb/sv/en/de labels, any code page) into a
 * TerminalReport. A print without a report title and a total is not a terminal report (it is
 * most likely a sale receipt) and is refused with the reason.
 */
export function parseReceipt(input: Uint8Array | string, options: ReceiptParseOptions): ReceiptParseResult {
  const labels = options.labels ?? DEFAULT_LABELS;
  const timeZone = options.timeZone ?? 'Europe/Oslo';
  const decoded =
    typeof input === 'string' ? { text: input.replace(/\r\n?/g, '\n'), encoding: undefined } : receiptText(input);
  const text = decoded.text;
  const lines = text
    .split('\n')
    .map((line) => line.replace(/[\u00a0\u202f]/g, ' ').trimEnd())
    .filter((line) => line.trim() !== '');
  const warnings: string[] = [];

  const kind = findKind(lines, labels);
  if (!kind) return { ok: false, reason: 'no reconciliation title (AVSTEMMING, Z-RAPPORT, DAGSAVSLUT…)', text };

  const schemeLines = new Map<string, { scheme: SchemeTotal['scheme']; label: string; count: number; amount: Ore }>();
  const breakdown: Breakdown = {
    purchase: ore(0),
    refund: ore(0),
    refundCount: 0,
    tips: ore(0),
    cashback: ore(0),
    surcharge: ore(0),
  };
  let purchaseSeen = false;
  let total: { amount: Ore; count?: number } | undefined;
  let pendingLabel: string | undefined;

  for (const line of lines) {
    if (DATE_DMY.test(line) || DATE_YMD.test(line) || DATE_NAMED.test(line)) continue;
    const amountLine = readAmountLine(line);
    if (!amountLine) {
      // ZVT-style prints put the brand on one line and "count amount" on the next.
      pendingLabel = /\p{L}/u.test(line) && !/\d{3,}/.test(line) ? line.trim() : undefined;
      continue;
    }
    const label = amountLine.label || pendingLabel || '';
    pendingLabel = undefined;
    const magnitude = ore(Math.abs(amountLine.amount));
    if (isOneOf(label, labels.total)) {
      total =
        amountLine.count === undefined
          ? { amount: amountLine.amount }
          : { amount: amountLine.amount, count: amountLine.count };
    } else if (isOneOf(label, labels.purchase)) {
      breakdown.purchase = ore(breakdown.purchase + amountLine.amount);
      purchaseSeen = true;
    } else if (isOneOf(label, labels.refund)) {
      breakdown.refund = ore(breakdown.refund + magnitude);
      breakdown.refundCount += amountLine.count ?? 0;
    } else if (isOneOf(label, labels.reversal)) {
      // Annulled sales are already out of the totals; recognised only so they are not taken for a scheme.
    } else if (isOneOf(label, labels.tips)) {
      breakdown.tips = ore(breakdown.tips + amountLine.amount);
    } else if (isOneOf(label, labels.cashback)) {
      breakdown.cashback = ore(breakdown.cashback + amountLine.amount);
    } else if (isOneOf(label, labels.surcharge)) {
      breakdown.surcharge = ore(breakdown.surcharge + amountLine.amount);
    } else if (label && (!total || schemeOf(label, labels))) {
      // Known schemes count wherever they stand (prints with a subtotal per acquirer); an unknown
      // label is taken for a scheme only above the first total.
      const scheme = schemeOf(label, labels);
      if (!scheme) warnings.push(`unknown-scheme:${label}`);
      const key = normaliseLabel(label);
      const previous = schemeLines.get(key);
      schemeLines.set(key, {
        scheme: scheme ?? 'other',
        label: previous?.label ?? label,
        count: (previous?.count ?? 0) + (amountLine.count ?? 0),
        amount: ore((previous?.amount ?? 0) + amountLine.amount),
      });
    }
  }
  if (!total) return { ok: false, reason: 'no total line (TOTALT, TOTAL, SUM, Gesamt…)', text };

  const schemes = [...schemeLines.values()].map((line) =>
    netSchemeTotal(line.scheme, line.label, line.count, line.amount),
  );
  checkSums(schemes, breakdown, purchaseSeen, total, warnings);

  const ids = findIds(lines, labels, warnings);
  const closedAt = findClosedAt(lines, options.capturedAt, timeZone, warnings);
  const copy = lines.some((line) => labels.copy.some((word) => containsWord(line, word)));
  if (copy) warnings.push('copy-of-earlier-report');
  const terminalId = ids.terminalId ?? options.terminalId;
  if (!terminalId) warnings.push('no-terminal-id');

  const report = withId({
    kind,
    source: options.source ?? 'receipt-text',
    ...(ids.bax ? { bax: ids.bax } : {}),
    terminalId: terminalId ?? 'unknown',
    ...(ids.batchNo ? { batchNo: ids.batchNo } : {}),
    closedAt,
    currency: findCurrency(text, lines, labels, options.currency),
    copy,
    schemes,
    totals: {
      count: total.count ?? schemes.reduce((acc, scheme) => acc + scheme.count, 0),
      amount: total.amount,
      refunds: breakdown.refund,
      tips: breakdown.tips,
      cashback: breakdown.cashback,
      surcharge: breakdown.surcharge,
    },
    hostResult: findHostResult(lines, labels),
    raw: {
      text,
      ...(typeof input === 'string' ? {} : { hex: Buffer.from(input).toString('hex') }),
      ...(decoded.encoding ? { encoding: decoded.encoding } : {}),
    },
    parserVersion: RECEIPT_PARSER_VERSION,
    warnings,
  });
  return { ok: true, report };
}

function findKind(lines: readonly string[], labels: ReceiptLabels): TerminalReportKind | undefined {
  for (const line of lines) {
    for (const kind of ['x', 'z', 'reconciliation'] as const) {
      if (labels.titles[kind].some((word) => containsWord(line, word))) return kind;
    }
  }
  return undefined;
}

/**
 * Which printed lines add up to the total? Either the scheme lines are net per scheme (their sum is
 * the total), or they are gross purchases and refunds/tips/cashback are separate lines. Anything else
 * is kept with a warning so it is never posted automatically.
 */
function checkSums(
  schemes: SchemeTotal[],
  breakdown: Breakdown,
  purchaseSeen: boolean,
  total: { amount: Ore; count?: number },
  warnings: string[],
): void {
  if (schemes.length === 0) {
    warnings.push('no-scheme-lines');
    return;
  }
  const schemeSum = sum(schemes.map((scheme) => ore(scheme.netAmount)));
  const schemeCount = schemes.reduce((acc, scheme) => acc + scheme.count, 0);
  const extras = breakdown.tips + breakdown.cashback + breakdown.surcharge;
  if (schemeSum === total.amount) {
    if (total.count !== undefined && schemeCount !== total.count) {
      warnings.push(`count-mismatch: scheme lines count ${schemeCount}, total says ${total.count}`);
    }
    const breakdownSum = breakdown.purchase - breakdown.refund + extras;
    if (purchaseSeen && breakdownSum !== total.amount) {
      warnings.push(
        `breakdown-mismatch: purchases/refunds/tips/cashback add up to ${breakdownSum}, total says ${total.amount}`,
      );
    }
    return;
  }
  const grossCandidates = [schemeSum - breakdown.refund, schemeSum - breakdown.refund + extras];
  if (grossCandidates.includes(total.amount)) {
    // Gross purchase lines: refunds are printed once for all schemes, so they stay in totals.refunds.
    for (const scheme of schemes) scheme.purchaseCount = scheme.count;
    if (total.count !== undefined && schemeCount + breakdown.refundCount !== total.count) {
      warnings.push(
        `count-mismatch: scheme lines count ${schemeCount + breakdown.refundCount}, total says ${total.count}`,
      );
    }
    warnings.push('schemes-are-gross-purchases');
    return;
  }
  warnings.push(`sum-mismatch: scheme lines add up to ${schemeSum}, total says ${total.amount}`);
}

function labelledNumber(lines: readonly string[], words: readonly string[], minDigits = 4): string | undefined {
  const sorted = [...words].sort((a, b) => b.length - a.length);
  for (const line of lines) {
    for (const word of sorted) {
      const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      const match = new RegExp(
        `(?:^|[^\\p{L}\\p{N}])${escaped}(?:[-\\s]?(?:nr|no|nummer|id))?\\.?\\)?\\s*[:.]?\\s*(\\d{${minDigits},})(?![\\d,.:])`,
        'iu',
      ).exec(line);
      if (match) return match[1];
    }
  }
  return undefined;
}

function findIds(
  lines: readonly string[],
  labels: ReceiptLabels,
  warnings: string[],
): { bax?: string; terminalId?: string; batchNo?: string } {
  const bax = labelledNumber(lines, labels.bax);
  const terminalId = labelledNumber(lines, labels.terminal);
  const batchNo = labelledNumber(lines, labels.batch, 1);
  const result: { bax?: string; terminalId?: string; batchNo?: string } = {};
  if (bax && /^\d{6,7}$/.test(bax)) result.bax = bax;
  else if (bax) warnings.push(`bax-not-6-7-digits:${bax}`);
  if (terminalId) result.terminalId = terminalId;
  if (batchNo) result.batchNo = batchNo.replace(/^0+(?=\d)/, '');
  return result;
}

function findClosedAt(lines: readonly string[], capturedAt: Date, timeZone: string, warnings: string[]): string {
  for (const [index, line] of lines.entries()) {
    const date = readDate(line, capturedAt, timeZone, warnings);
    if (!date) continue;
    const time =
      TIME.exec(line.replace(DATE_DMY, ' ').replace(DATE_YMD, ' ').replace(DATE_NAMED, ' ')) ??
      TIME.exec(lines[index + 1] ?? '');
    if (!time) warnings.push('no-time-on-report');
    const local: LocalDateTime = {
      ...date,
      hour: Number(time?.[1] ?? 0),
      minute: Number(time?.[2] ?? 0),
      second: Number(time?.[3] ?? 0),
    };
    return localToIso(local, timeZone);
  }
  warnings.push('no-date-on-report: capture time used');
  return isoInZone(capturedAt, timeZone);
}

function readDate(
  line: string,
  capturedAt: Date,
  timeZone: string,
  warnings: string[],
): { year: number; month: number; day: number } | undefined {
  const named = DATE_NAMED.exec(line);
  if (named) {
    const name = named[2]!.toLowerCase();
    const month = MONTHS.findIndex((prefix) => name.startsWith(prefix)) + 1;
    return valid(Number(named[3]), month, Number(named[1]));
  }
  const ymd = DATE_YMD.exec(line);
  if (ymd) return valid(Number(ymd[1]), Number(ymd[2]), Number(ymd[3]));
  const dmy = DATE_DMY.exec(line);
  if (dmy) {
    const year = dmy[3]!.length === 2 ? 2000 + Number(dmy[3]) : Number(dmy[3]);
    return valid(year, Number(dmy[2]), Number(dmy[1]));
  }
  const dm = TIME.test(line) ? DATE_DM.exec(line) : null;
  if (dm) {
    const month = Number(dm[2]);
    const day = Number(dm[1]);
    warnings.push('no-year-in-date');
    return valid(inferYear(month, day, capturedAt, timeZone), month, day);
  }
  return undefined;
}

function valid(year: number, month: number, day: number): { year: number; month: number; day: number } | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || year < 2000) return undefined;
  return { year, month, day };
}

function findCurrency(
  text: string,
  lines: readonly string[],
  labels: ReceiptLabels,
  fallback: TerminalReport['currency'] | undefined,
): TerminalReport['currency'] {
  const printed = /(?<![\p{L}])(NOK|SEK|DKK|EUR)(?![\p{L}])/u.exec(text.toUpperCase());
  if (printed) return printed[1] as TerminalReport['currency'];
  const has = (words: readonly string[]): boolean =>
    lines.some((line) => words.some((word) => containsWord(line, word)));
  if (has(labels.german)) return 'EUR';
  if (has(labels.swedish)) return 'SEK';
  return fallback ?? 'NOK';
}

function findHostResult(lines: readonly string[], labels: ReceiptLabels): TerminalReport['hostResult'] {
  if (lines.some((line) => labels.hostFailed.some((word) => containsWord(line, word)))) return 'failed';
  if (lines.some((line) => isOneOf(line, labels.hostOk))) return 'ok';
  return 'unknown';
}
