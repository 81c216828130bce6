import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { SourceError } from '../source-error';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise Windows-1252 (Excel's "CSV" on Nordic Windows). */
export function decodeCsv(bytes: Buffer): string {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  try {
    return utf8.decode(body);
  } catch {
    return iconv.decode(body, 'win1252');
  }
}

/** `;` when the header line has more semicolons than commas (decimal-comma spreadsheets), else `,`. */
export function delimiterOf(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  return (header.match(/;/g)?.length ?? 0) > (header.match(/,/g)?.length ?? 0) ? ';' : ',';
}

/** One data row: its line in the file, its cells by column name, and an error naming both. */
export interface CsvRow {
  readonly line: number;
  cell(name: string): string;
  fail(field: string, reason: string): never;
}

/**
 * Reads a Kassebro CSV file (either encoding, either separator) whose first line names the
 * columns; a missing required column is an error on line 1 that points at the format's docs.
 */
export function readCsvTable(path: string, required: readonly string[], docs: string): CsvRow[] {
  const text = decodeCsv(readFileSync(path));
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      delimiter: delimiterOf(text),
      info: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    throw new SourceError(
      path,
      lines ? `line ${lines}` : 'whole file',
      null,
      // csv-parse quotes the offending field; a file that is not CSV at all may be anything.
      `not valid CSV: ${(error as Error).message.replace(/, value is [\s\S]*$/, '')}`,
    );
  }
  const [header, ...rows] = records;
  if (!header) throw new SourceError(path, 'whole file', null, 'empty file');
  const columns = header.record.map((name) => name.toLowerCase());
  const missing = required.filter((name) => !columns.includes(name));
  if (missing.length > 0) {
    throw new SourceError(
      path,
      'line 1',
      missing[0]!,
      `the header lacks the column(s) ${missing.join(', ')}; see ${docs}`,
    );
  }
  return rows.map(({ record, info }) => ({
    line: info.lines,
    cell: (name) => record[columns.indexOf(name)] ?? '',
    fail: (field, reason) => {
      throw new SourceError(path, `line ${info.lines}`, field, reason);
    },
  }));
}
