import { add, MoneyFormatError, negate, parseAmount, sum, ZERO, type Ore } from '../../../shared/money';
import { isSettlementKey, SETTLEMENT_KEYS, type SettlementKey } from '../../../shared/settlement-keys';
import type { ReportKind, SettlementDraft, SettlementLine } from '../../domain/settlement';
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
}

/**
 * Reads a settlement CSV: one row per settlement line, rows of the same report (location, register,
 * kind, number) grouped into one settlement. Decimal comma or point, `;` or `,` separated.
 */
export function readCsvFile(path: string): FileReadResult {
  const groups = new Map<string, Group>();
  for (const { line, cell, fail } of readCsvTable(path, CSV_COLUMNS.required, 'docs/sources.md')) {
    const amount = (field: string, fallback = ''): Ore => {
      const value = cell(field) || fallback;
      try {
        return parseAmount(value, { allowGrouping: true });
      } catch (error) {
        return fail(field, error instanceof MoneyFormatError ? error.message : String(error));
      }
    };
    const keyText = cell('key');
    if (!isSettlementKey(keyText)) {
      fail('key', `"${keyText}" is not a settlement key (see the key list in docs/sources.md)`);
    }
    const key = keyText as SettlementKey;
    const date = cell('date');
    if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) fail('date', `"${date}" is not a date YYYY-MM-DD`);
    const kind = (cell('kind') || 'Z').toUpperCase();
    if (kind !== 'Z' && kind !== 'X') fail('kind', `"${kind}" is neither Z nor X`);
    if (!cell('register')) fail('register', 'empty');
    if (!cell('number')) fail('number', 'empty');
    const location = cell('location') || '1';
    const identity = [location, cell('register'), kind, cell('number')].join('|');
    const group: Group = groups.get(identity) ?? {
      firstLine: line,
      location,
      registerId: cell('register'),
      kind: kind as ReportKind,
      number: cell('number'),
      date,
      currency: cell('currency') || 'NOK',
      lines: [],
      signed: [],
    };
    if (group.date !== date)
      fail('date', `report ${group.number} began on line ${group.firstLine} with date ${group.date}`);
    groups.set(identity, group);
    const isSales = SETTLEMENT_KEYS[key].group === 'sales';
    const gross = amount('amount');
    const vat = isSales ? amount('vat', '0') : ZERO;
    if (!isSales && cell('vat') && amount('vat') !== 0) fail('vat', `only sales rows carry VAT, not "${key}"`);
    group.lines.push({
      key,
      amount: isSales ? add(gross, negate(vat)) : gross,
      vat,
      ...(cell('department') ? { department: cell('department') } : {}),
      ...(cell('code') ? { sourceCode: cell('code') } : {}),
    });
    group.signed.push(SETTLEMENT_KEYS[key].side === 'debit' ? gross : negate(gross));
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
