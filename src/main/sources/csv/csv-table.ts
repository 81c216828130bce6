import { isUtf8 } from 'node:buffer';
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { decodeStrict } from '../decode-text';
import { SourceError } from '../source-error';

/**
 * UTF-8 (with or without BOM) when the bytes are valid UTF-8, otherwise Windows-1252 (Excel's "CSV"
 * on Nordic Windows) — strictly: a byte Windows-1252 leaves undefined is refused with its offset.
 */
export function decodeCsv(path: string, bytes: Buffer): string {
  const body = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? bytes.subarray(3) : bytes;
  return isUtf8(body) ? body.toString('utf8') : decodeStrict(path, body, 'windows-1252');
}

/** C0 controls (tab, CR and LF among them), DEL and C1 controls: never part of a code. */
function isControl(char: string): boolean {
  const code = char.charCodeAt(0);
  return code < 0x20 || (code >= 0x7f && code < 0xa0);
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
  /** A cell that names something (register, report number, key…): a control character or line break in it is refused. */
  code(name: string): string;
  fail(field: string, reason: string): never;
}

/**
 * Reads a Kassebro CSV file (either encoding, either separator) whose first line names the
 * columns; a missing required column is an error on line 1 that points at the format's docs.
 */
export function readCsvTable(path: string, required: readonly string[], docs: string): CsvRow[] {
  const text = decodeCsv(path, readFileSync(path));
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
  const repeated = columns.find((name, index) => name !== '' && columns.indexOf(name) !== index);
  if (repeated) {
    throw new SourceError(path, 'line 1', repeated, 'this column is named twice in the header; which one counts?');
  }
  const missing = required.filter((name) => !columns.includes(name));
  if (missing.length > 0) {
    throw new SourceError(
      path,
      'line 1',
      missing[0]!,
      `the header lacks the column(s) ${missing.join(', ')}; see ${docs}`,
    );
  }
  return rows.map(({ record, info }) => {
    const fail = (field: string, reason: string): never => {
      throw new SourceError(path, `line ${info.lines}`, field, reason);
    };
    const cell = (name: string): string => record[columns.indexOf(name)] ?? '';
    const code = (name: string): string => {
      const value = cell(name);
      const control = [...value].find(isControl);
      if (control !== undefined) {
        const hex = control.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
        const shown = [...value].map((char) => (isControl(char) ? ' ' : char)).join('');
        fail(name, `"${shown}" holds a control character or line break (U+${hex})`);
      }
      return value;
    };
    return { line: info.lines, cell, code, fail };
  });
}
