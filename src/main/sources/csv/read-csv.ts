import { add, MoneyFormatError, negate, parseAmount, sum, ZERO, type Ore } from '../../../shared/money';
import { isSettlementKey, SETTLEMENT_KEYS, type SettlementKey } from '../../../shared/settlement-keys';
import type { ReportKind, SettlementDraft, SettlementLine } from '../../domain/settlement';
import { ReportSums } from '../amount-bound';
import { isCalendarDate } from '../dates';
import type { FileReadResult, FileSource } from '../file-source';
import { readCsvTable } from './csv-table';

export const CSV_SOURCE = 'csv';

/** Column names of the Kassebro settlement CSV (docs/sources.md). Optional ones may be left out. */
export const CSV_COLUMNS = {
  required: ['register', 'number', 'date', 'key', 'amount'],
  optional: ['location', 'kind', 'vat', 'code', 'department', 'currency'],
} as const;

interface Group {
  readonly firstLine: number;
  readonly location: string;
  readonly registerId: string;
  readonly kind: ReportKind;
  readonly number: string;
  readonly date: string;
  readonly currency: string;
  readonly lines: SettlementLine[];
  readonly signed: Ore[];
  readonly sums: ReportSums;
}

/**
 * Reads a settlement CSV: one row per settlement line, rows of the same report (location, register,
 * kind, number) grouped into one settlement. Decimal comma or point, `;` or `,` separated.
 */
export function readCsvFile(path: string): FileReadResult {
  const groups = new Map<string, Group>();
  for (const { line, cell, code, fail } of readCsvTable(path, CSV_COLUMNS.required, 'docs/sources.md')) {
    const amount = (field: string, fallback = ''): Ore => {
      const value = cell(field) || fallback;
      try {
        return parseAmount(value, { allowGrouping: true });
      } catch (error) {
        return fail(field, error instanceof MoneyFormatError ? error.message : String(error));
      }
    };
    const keyText = code('key');
    if (!isSettlementKey(keyText)) {
      fail('key', `"${keyText}" is not a settlement key (see the key list in docs/sources.md)`);
    }
    const key = keyText as SettlementKey;
    const date = cell('date');
    if (!isCalendarDate(date)) fail('date', `"${date}" is not a date YYYY-MM-DD`);
    const kind = (code('kind') || 'Z').toUpperCase();
    if (kind !== 'Z' && kind !== 'X') fail('kind', `"${kind}" is neither Z nor X`);
    const register = code('register');
    const number = code('number');
    if (!register) fail('register', 'empty');
    if (!number) fail('number', 'empty');
    const location = code('location') || '1';
    const identity = [location, register, kind, number].join('|');
    const group: Group = groups.get(identity) ?? {
      firstLine: line,
      location,
      registerId: register,
      kind: kind as ReportKind,
      number,
      date,
      currency: code('currency') || 'NOK',
      lines: [],
      signed: [],
      sums: new ReportSums(),
    };
    if (group.date !== date)
      fail('date', `report ${group.number} began on line ${group.firstLine} with date ${group.date}`);
    groups.set(identity, group);
    const isSales = SETTLEMENT_KEYS[key].group === 'sales';
    const gross = amount('amount');
    const vat = isSales ? amount('vat', '0') : ZERO;
    if (!isSales && cell('vat') && amount('vat') !== 0) fail('vat', `only sales rows carry VAT, not "${key}"`);
    const signed = SETTLEMENT_KEYS[key].side === 'debit' ? gross : negate(gross);
    for (const [field, overflow] of [
      ['amount', group.sums.add(`sum of ${key}`, gross)],
      ['vat', group.sums.add(`VAT of ${key}`, vat)],
      ['amount', group.sums.addSigned(signed)],
    ] as const) {
      if (overflow) fail(field, overflow);
    }
    const department = code('department');
    const sourceCode = code('code');
    group.lines.push({
      key,
      amount: isSales ? add(gross, negate(vat)) : gross,
      vat,
      ...(department ? { department } : {}),
      ...(sourceCode ? { sourceCode } : {}),
    });
    group.signed.push(signed);
  }
  const drafts: SettlementDraft[] = [...groups.values()].map((group) => {
    const imbalance = sum(group.signed);
    return {
      source: CSV_SOURCE,
      location: group.location,
      registerId: group.registerId,
      kind: group.kind,
      reportNumber: group.number,
      businessDate: group.date,
      currency: group.currency,
      lines: group.lines,
      sourceRef: `${path}:${group.firstLine}`,
      warnings:
        imbalance === 0
          ? []
          : [`debits and credits differ by ${(imbalance / 100).toFixed(2)} (rows from line ${group.firstLine})`],
    };
  });
  return { format: 'csv', drafts, warnings: [] };
}

export const csvSource: FileSource = {
  format: 'csv',
  sniff: (head) => {
    const first =
      head
        .toString('latin1')
        .replace(/^\xEF\xBB\xBF/, '')
        .split(/\r?\n/)[0]
        ?.toLowerCase() ?? '';
    return CSV_COLUMNS.required.every((name) => first.includes(name)) && /[;,]/.test(first);
  },
  read: (path) => readCsvFile(path),
};
