import { z } from 'zod';
import { parseAmount, MoneyFormatError } from '../../shared/money';
import { SourceError } from '../sources/source-error';
import { schemeOf, DEFAULT_LABELS } from './labels';
import { withId, type SchemeTotal, type TerminalReport } from './report';
import { localToIso } from './zoned-time';

export const SETTLEMENT_CSV_VERSION = 'settlement-csv-1';

/**
 * Header names accepted for a provider settlement export (one row per scheme and batch). Real
 * provider exports differ and none was available to check (UNCONFIRMED): this is the documented
 * neutral layout, with Norwegian/English header aliases, that a technician can map an export to.
 */
const COLUMNS = {
  date: ['date', 'dato', 'datum'],
  time: ['time', 'tid', 'klokkeslett'],
  bax: ['bax', 'brukersted', 'merchant'],
  terminalId: ['terminal_id', 'terminal', 'tid_nr', 'terminal-id'],
  batch: ['batch', 'bunt', 'batch_no'],
  scheme: ['scheme', 'korttype', 'card', 'brand'],
  count: ['count', 'antall', 'antal'],
  amount: ['amount', 'beløp', 'belopp', 'net_amount'],
  tips: ['tips', 'dricks'],
  cashback: ['cashback', 'kontantuttak'],
  refunds: ['refunds', 'retur'],
} as const;
type Column = keyof typeof COLUMNS;
const REQUIRED: readonly Column[] = ['date', 'terminalId', 'scheme', 'count', 'amount'];

const rowSchema = z.object({
  date: z.string().regex(/^(\d{4}-\d{2}-\d{2}|\d{2}\.\d{2}\.\d{4})$/, 'expected YYYY-MM-DD or DD.MM.YYYY'),
  time: z
    .string()
    .regex(/^\d{2}:\d{2}(:\d{2})?$/, 'expected HH:MM')
    .optional(),
  bax: z
    .string()
    .regex(/^\d{6,7}$/, 'a BAX has 6 or 7 digits')
    .optional(),
  terminalId: z.string().min(1),
  batch: z.string().optional(),
  scheme: z.string().min(1),
  count: z.string().regex(/^\d+$/, 'expected a whole number'),
});

/** Reads a settlement CSV (`;` or `,` separated, one row per scheme) into one report per terminal and batch. */
export function parseSettlementCsv(
  text: string,
  file: string,
  options: { timeZone?: string; currency?: TerminalReport['currency'] } = {},
): TerminalReport[] {
  const lines = text
    .replace(/^\ufeff/, '')
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '');
  const header = lines[0];
  if (!header) throw new SourceError(file, 'line 1', null, 'empty file');
  const separator = header.includes(';') ? ';' : ',';
  const names = header.split(separator).map((name) => name.trim().toLowerCase());
  const index = new Map<Column, number>();
  for (const [column, aliases] of Object.entries(COLUMNS) as [Column, readonly string[]][]) {
    const at = names.findIndex((name) => aliases.includes(name));
    if (at >= 0) index.set(column, at);
  }
  const missing = REQUIRED.filter((column) => !index.has(column));
  if (missing.length)
    throw new SourceError(
      file,
      'line 1',
      missing[0]!,
      `missing column (accepted names: ${COLUMNS[missing[0]!].join(', ')})`,
    );

  const groups = new Map<
    string,
    { rows: { row: z.infer<typeof rowSchema>; cells: Record<string, string>; line: string; lineNo: number }[] }
  >();
  lines.slice(1).forEach((line, offset) => {
    const lineNo = offset + 2;
    const cells = line.split(separator).map((cell) => cell.trim());
    const get = (column: Column): string | undefined => {
      const at = index.get(column);
      const value = at === undefined ? undefined : cells[at];
      return value === '' ? undefined : value;
    };
    const raw = Object.fromEntries((Object.keys(COLUMNS) as Column[]).map((column) => [column, get(column)]));
    const parsed = rowSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new SourceError(file, `line ${lineNo}`, String(issue.path[0]), issue.message);
    }
    const key = [parsed.data.bax ?? '', parsed.data.terminalId, parsed.data.batch ?? '', parsed.data.date].join('|');
    const group = groups.get(key) ?? { rows: [] };
    group.rows.push({ row: parsed.data, cells: raw as Record<string, string>, line, lineNo });
    groups.set(key, group);
  });

  return [...groups.values()].map(({ rows }) => {
    const money = (cells: Record<string, string>, column: Column, lineNo: number): number => {
      const value = cells[column];
      if (value === undefined) return 0;
      try {
        return parseAmount(value, { allowGrouping: true });
      } catch (error) {
        throw new SourceError(
          file,
          `line ${lineNo}`,
          column,
          error instanceof MoneyFormatError ? error.message : String(error),
        );
      }
    };
    let tips = 0;
    let cashback = 0;
    let refunds = 0;
    const warnings: string[] = [];
    const schemes: SchemeTotal[] = rows.map(({ row, cells, lineNo }) => {
      const scheme = schemeOf(row.scheme, DEFAULT_LABELS);
      if (!scheme) warnings.push(`unknown-scheme:${row.scheme}`);
      const rowTips = money(cells, 'tips', lineNo);
      const rowCashback = money(cells, 'cashback', lineNo);
      const rowRefunds = Math.abs(money(cells, 'refunds', lineNo));
      tips += rowTips;
      cashback += rowCashback;
      refunds += rowRefunds;
      const net = money(cells, 'amount', lineNo);
      return {
        scheme: scheme ?? 'other',
        label: row.scheme,
        purchaseCount: Number(row.count),
        purchaseAmount: net - rowTips - rowCashback + rowRefunds,
        refundCount: 0,
        refundAmount: rowRefunds,
        tips: rowTips,
        cashback: rowCashback,
        surcharge: 0,
        netAmount: net,
        count: Number(row.count),
      };
    });
    const head = rows[0]!.row;
    const [year, month, day] = head.date.includes('-')
      ? head.date.split('-').map(Number)
      : head.date.split('.').reverse().map(Number);
    const [hour, minute, second] = (head.time ?? '23:59:00').split(':').map(Number);
    if (!head.time) warnings.push('no-time-in-csv: 23:59 used');
    return withId({
      kind: 'reconciliation',
      source: 'provider-csv',
      ...(head.bax ? { bax: head.bax } : {}),
      terminalId: head.terminalId,
      ...(head.batch ? { batchNo: head.batch.replace(/^0+(?=\d)/, '') } : {}),
      closedAt: localToIso(
        { year: year!, month: month!, day: day!, hour: hour ?? 0, minute: minute ?? 0, second: second ?? 0 },
        options.timeZone ?? 'Europe/Oslo',
      ),
      currency: options.currency ?? 'NOK',
      copy: false,
      schemes,
      totals: {
        count: schemes.reduce((acc, scheme) => acc + scheme.count, 0),
        amount: schemes.reduce((acc, scheme) => acc + scheme.netAmount, 0),
        refunds,
        tips,
        cashback,
        surcharge: 0,
      },
      hostResult: 'unknown',
      raw: { text: [header, ...rows.map((entry) => entry.line)].join('\n') },
      parserVersion: SETTLEMENT_CSV_VERSION,
      warnings,
    });
  });
}
