import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { registerClose, registerOpen, reportEvent, saftHead, saftTail } from '../../../test/fixtures/saft';
import { useTempHome } from '../../../test/helpers/temp-home';
import { main } from '../cli/main';
import { openDatabase, type Db } from '../store/database';
import { listLog } from '../store/integration-log';
import { listSettlements } from '../store/settlements';
import { MAX_IMPORT_ORE } from './amount-bound';
import { calendarDateFromCompact, isCalendarDate } from './dates';
import { decodeStrict, StrictDecoder } from './decode-text';
import { importFile, NO_REPORTS_WARNING } from './import-file';
import { SourceError } from './source-error';
import { FolderWatcher } from './watch-folder';

/**
 * Hostile and broken files, generated here: each must end in a refusal that names file, line and
 * field, or in a correct import — never in a silent loss, a double import or a later crash.
 */
const newHome = useTempHome();

function setup(): { db: Db; dir: string } {
  const dir = newHome();
  return { db: openDatabase(join(dir, 'kassebro.sqlite')), dir };
}

function refusal(run: () => unknown): SourceError {
  try {
    run();
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('expected a SourceError');
}

const SIE_HEAD = ['#FLAGGA 0', '#PROGRAM "KassaApp" "1.0"', '#FORMAT PC8', '#GEN 20240503', '#SIETYP 4'];

/** A SIE4 file with one #VER per entry: the first #VER is line 7, each voucher takes its rows + 3 lines. */
function sie(vouchers: readonly { number: string; rows: readonly string[] }[]): string[] {
  return [
    ...SIE_HEAD,
    '#ORGNR "556677-8899"',
    ...vouchers.flatMap(({ number, rows }) => [
      `#VER "K" "${number}" 20240502 "Z-rapport ${number} kassa 1"`,
      '{',
      ...rows.map((row) => `#TRANS ${row}`),
      '}',
    ]),
  ];
}

function writeLines(dir: string, name: string, lines: readonly string[], encoding = 'cp437'): string {
  const path = join(dir, name);
  writeFileSync(path, iconv.encode(lines.length === 0 ? '' : `${lines.join('\r\n')}\r\n`, encoding));
  return path;
}

const z = (id: string, date: string, cash: string) =>
  reportEvent({ kind: 'Z', id, date, total: cash, vats: [], payments: [{ type: 'CASH', amount: cash }] });

function saft(dir: string, name: string, events: string, location = 'Butikk Sentrum', encoding = 'utf8'): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    iconv.encode(
      `${saftHead(undefined, location)}${registerOpen('10009')}${events}${registerClose}${saftTail}`,
      encoding,
    ),
  );
  return path;
}

describe('amounts too large to add up (18.3)', () => {
  it('SIE4: refuses a row beyond the bound at its line, so nothing is stored that later sums cannot hold', () => {
    const { db, dir } = setup();
    const huge = '90071992547409.91';
    const path = writeLines(
      dir,
      'huge.se',
      sie([{ number: '7', rows: [`1910 {} ${huge}`, `3001 {} -${huge}`, `1910 {} ${huge}`, `3001 {} -${huge}`] }]),
    );
    const error = refusal(() => importFile(db, path));
    expect([error.source, error.location, error.field]).toEqual([path, 'line 9', 'belopp']);
    expect(error.reason).toBe('90071992547409.91 is beyond the largest amount an import accepts (±100000000000.00)');
    expect(listSettlements(db)).toEqual([]);
  });

  it('SIE4: refuses a per-key sum beyond the bound at the row that crosses it', () => {
    const { db, dir } = setup();
    const half = '60000000000.00'; // each row within the bound, two of them beyond it
    const path = writeLines(
      dir,
      'sum.se',
      sie([{ number: '7', rows: [`3001 {} -${half}`, `3001 {} -${half}`, `1910 {} ${half}`, `1580 {} ${half}`] }]),
    );
    const error = refusal(() => importFile(db, path));
    expect([error.location, error.field]).toEqual(['line 10', 'belopp']);
    expect(error.reason).toBe(
      'the sum of sales_25 of this report reaches 120000000000.00, beyond the largest amount an import accepts (±100000000000.00)',
    );
  });

  it('CSV: refuses a row and a per-key sum beyond the bound, naming line and field', () => {
    const { db, dir } = setup();
    const header = 'register;number;date;key;amount;vat';
    const one = join(dir, 'one.csv');
    writeFileSync(one, `${header}\n1;1;2026-11-20;cash;90071992547409,91;\n1;1;2026-11-20;cash;-90071992547409,91;\n`);
    expect(refusal(() => importFile(db, one)).message).toBe(
      `${one}: line 2, field "amount": 90071992547409.91 is beyond the largest amount an import accepts (±100000000000.00)`,
    );
    const sum = join(dir, 'sum.csv');
    writeFileSync(
      sum,
      `${header}\n1;1;2026-11-20;sales_25;75000000000,00;15000000000,00\n1;1;2026-11-20;sales_25;75000000000,00;15000000000,00\n`,
    );
    const error = refusal(() => importFile(db, sum));
    expect([error.location, error.field]).toEqual(['line 3', 'amount']);
    expect(error.reason).toMatch(/^the sum of sales_25 of this report reaches 150000000000\.00, beyond/);
    expect(listSettlements(db)).toEqual([]);
  });

  it('SAF-T: a report beyond the bound is a refusal naming the file, not an unexpected error', () => {
    const { db, dir } = setup();
    const path = saft(dir, 'huge.xml', z('1', '2026-11-20', '90071992547409.91'));
    const error = refusal(() => importFile(db, path));
    expect(error.source).toBe(path);
    expect(error.message).toMatch(/line \d+.*is more than ±100000000000\.00/);
    expect(listLog(db).map((entry) => entry.code)).toContain('import_failed');
  });

  it('SAF-T: an amount past the bound is refused with file and line before any sum can overflow', () => {
    const { db, dir } = setup();
    const huge = '90071992547409.91';
    const payments = [huge, huge].map((amount) => ({ type: 'CASH', amount }));
    const path = saft(
      dir,
      'sum.xml',
      reportEvent({ kind: 'Z', id: '1', date: '2026-11-20', total: huge, vats: [], payments }),
    );
    const error = refusal(() => importFile(db, path));
    expect(error.source).toBe(path);
    expect(error.location).toMatch(/^line \d+/);
    expect(error.reason).toMatch(/"90071992547409\.91" is more than ±100000000000\.00/);
  });

  it('the bound leaves room for 900 such sums within the integers a float holds exactly', () => {
    expect(Number.isSafeInteger(MAX_IMPORT_ORE * 900)).toBe(true);
  });
});

describe('a report number twice in one file (18.4)', () => {
  const rows = (cash: string) => [`1910 {} ${cash}`, `3001 {} -${cash}`];
  /** Imports a SIE4 file holding #VER 12 twice, with these cash amounts; returns the path and the outcome counts. */
  const importTwice = (db: Db, dir: string, first: string, second: string) => {
    const path = writeLines(
      dir,
      'twice.se',
      sie([
        { number: '12', rows: rows(first) },
        { number: '12', rows: rows(second) },
      ]),
    );
    const outcome = importFile(db, path);
    return { path, outcome, counts: [outcome.imported.length, outcome.duplicates.length, outcome.conflicts.length] };
  };

  it('SIE4: the same #VER number with other amounts is a conflict, as across files; the first is kept', () => {
    const { db, dir } = setup();
    const { path, outcome, counts } = importTwice(db, dir, '295.00', '9295.00');
    expect(counts).toEqual([1, 0, 1]);
    expect(outcome.conflicts[0]!.warnings).toEqual([
      `Z report 12 of register 1 appears again at ${path}:12 with other amounts than at ${path}:7; the first is kept`,
    ]);
    expect(listSettlements(db)[0]!.lines.find((line) => line.key === 'cash')!.amount).toBe(29500);
    expect(listLog(db).map((entry) => entry.code)).toContain('import_conflict');
  });

  it('SIE4: an identical repeat is a duplicate', () => {
    const { db, dir } = setup();
    expect(importTwice(db, dir, '295.00', '295.00').counts).toEqual([1, 1, 0]);
  });

  it('SAF-T: the same reportID with cash 295.00 and 9295.00 is a conflict', () => {
    const { db, dir } = setup();
    const path = saft(dir, 'twice.xml', `${z('5', '2026-11-20', '295.00')}${z('5', '2026-11-20', '9295.00')}`);
    const outcome = importFile(db, path);
    expect([outcome.imported.length, outcome.duplicates.length, outcome.conflicts.length]).toEqual([1, 0, 1]);
    expect(outcome.conflicts[0]!.warnings[0]).toMatch(
      /^Z report 5 of register 10009 appears again at .* with other amounts/,
    );
  });
});

describe('a byte the declared encoding does not define (18.5)', () => {
  it('SAF-T declared UTF-8 holding a Latin-1 "ø" is refused, so the correct file later is not a second report', () => {
    const { db, dir } = setup();
    const wrong = saft(dir, 'latin1.xml', z('1', '2026-11-20', '295.00'), 'Shop Frøgner', 'latin1');
    const error = refusal(() => importFile(db, wrong));
    expect(error.source).toBe(wrong);
    expect(error.message).toMatch(/another encoding than it declares/);
    expect(listSettlements(db)).toEqual([]);
    const right = saft(dir, 'utf8.xml', z('1', '2026-11-20', '295.00'), 'Shop Frøgner');
    expect(importFile(db, right).imported).toHaveLength(1);
    expect(listSettlements(db).map((s) => s.location)).toEqual(['Shop Frøgner']);
  });

  it('SIE4: a Latin-1 file declared PC8 (which defines every byte) is imported with a warning naming the line', () => {
    const { db, dir } = setup();
    const lines = [...sie([{ number: '1', rows: ['1910 {} 10.00', '3001 {} -10.00'] }])];
    lines.splice(5, 0, '#FNAMN "Shop Frøgner"');
    const outcome = importFile(db, writeLines(dir, 'latin1.se', lines, 'latin1'));
    expect(outcome.warnings).toEqual([
      'line 6: byte 0xF8 is "°" in PC8 (CP437), unusual in accounting text; if the file is really Latin-1 or Windows-1252 it meant "ø" — check the encoding the program writes',
    ]);
    const proper = importFile(db, writeLines(dir, 'cp437.se', lines));
    expect(proper.warnings).toEqual([]);
  });

  it('CSV that is not UTF-8 is Windows-1252, and a byte Windows-1252 leaves undefined is refused with its offset', () => {
    const { db, dir } = setup();
    const path = join(dir, 'bad.csv');
    const text = 'register;number;date;key;amount;code\n1;1;2026-11-20;cash;10,00;Kontant Bodø\n';
    const bytes = iconv.encode(text, 'win1252');
    bytes[bytes.indexOf(0xf8)] = 0x81; // undefined in Windows-1252 (and not UTF-8)
    writeFileSync(path, bytes);
    const error = refusal(() => importFile(db, path));
    expect(error.location).toBe(`byte ${text.indexOf('ø')}`);
    expect(error.reason).toBe('0x81 is not valid windows-1252 here; the file is in another encoding than it declares');
  });

  it('StrictDecoder names the offset of the first bad UTF-8 byte, also across chunks and at a cut-off end', () => {
    const decoder = new StrictDecoder('f.xml', 'UTF-8');
    expect(decoder.write(Buffer.from('Frø', 'utf8').subarray(0, 3))).toBe('Fr');
    expect(decoder.write(Buffer.from([0xb8, 0x67]))).toBe('øg');
    // A Latin-1 "é" (0xE9) followed by an ASCII letter: named by the byte that began the broken sequence.
    expect(refusal(() => decoder.write(Buffer.from([0x6e, 0xe9, 0x72]))).message).toBe(
      'f.xml: byte 6: 0xE9 is not valid UTF-8 here; the file is in another encoding than it declares',
    );
    expect(refusal(() => decodeStrict('f', Buffer.from([0x41, 0xe2, 0x82]), 'utf-8')).message).toBe(
      'f: byte 1: the file ends inside a utf-8 character; the file is in another encoding than it declares',
    );
    // Overlong and surrogate forms are not UTF-8 either.
    expect(refusal(() => decodeStrict('f', Buffer.from([0xc0, 0xaf]), 'utf8')).location).toBe('byte 0');
    expect(refusal(() => decodeStrict('f', Buffer.from([0xed, 0xa0, 0x80]), 'utf8')).location).toBe('byte 0');
    expect(decodeStrict('f', iconv.encode('Växjö', 'latin1'), 'ISO-8859-1')).toBe('Växjö');
  });
});

describe('impossible dates (18.6)', () => {
  it('checks the calendar, not only the pattern', () => {
    expect(['2024-02-29', '2026-12-31'].filter(isCalendarDate)).toEqual(['2024-02-29', '2026-12-31']);
    expect(['2026-13-45', '2020-02-30', '2023-02-29', '2026-04-31', '2026-00-10'].filter(isCalendarDate)).toEqual([]);
    expect([calendarDateFromCompact('20240229'), calendarDateFromCompact('20200230')]).toEqual(['2024-02-29', null]);
  });

  it('CSV: 2026-13-45 is refused naming line and field', () => {
    const { db, dir } = setup();
    const path = join(dir, 'date.csv');
    writeFileSync(path, 'register;number;date;key;amount\n1;1;2026-11-20;cash;10\n1;2;2026-13-45;cash;10\n');
    expect(refusal(() => importFile(db, path)).message).toBe(
      `${path}: line 3, field "date": "2026-13-45" is not a date YYYY-MM-DD`,
    );
  });

  it('SIE4: 20200230 as verdatum or transdat is refused naming line and field', () => {
    const { db, dir } = setup();
    const lines = sie([{ number: '1', rows: ['1910 {} 10.00 20200230', '3001 {} -10.00'] }]);
    const transdat = refusal(() => importFile(db, writeLines(dir, 'trans.se', lines)));
    expect([transdat.location, transdat.field, transdat.reason]).toEqual([
      'line 9',
      'transdat',
      '"20200230" is not a date YYYYMMDD',
    ]);
    const verLines = sie([{ number: '1', rows: ['1910 {} 10.00', '3001 {} -10.00'] }]).map((line) =>
      line.replace(' 20240502 ', ' 20200230 '),
    );
    const verdatum = refusal(() => importFile(db, writeLines(dir, 'ver.se', verLines)));
    expect([verdatum.location, verdatum.field, verdatum.reason]).toEqual([
      'line 7',
      'verdatum',
      '"20200230" is not a date YYYYMMDD',
    ]);
  });

  it('SAF-T: 2020-02-30 is refused by the import, naming the report', () => {
    const { db, dir } = setup();
    const path = saft(dir, 'date.xml', z('1', '2020-02-30', '295.00'));
    const error = refusal(() => importFile(db, path));
    expect(error.field).toMatch(/date/i);
    expect(error.message).toContain('2020-02-30');
    expect(listSettlements(db)).toEqual([]);
  });
});

describe('empty and incomplete files (18.10)', () => {
  const reportless: readonly [string, () => string | Buffer][] = [
    ['empty.se', () => ''],
    ['truncated.se', () => iconv.encode([...SIE_HEAD, '#KONTO 1910 "Kassa"', ''].join('\r\n'), 'cp437')],
    ['header-only.csv', () => 'register;number;date;key;amount\r\n'],
  ];

  it.each(reportless)('%s imports nothing, with a warning and a log row', (name, content) => {
    const { db, dir } = setup();
    const path = join(dir, name);
    writeFileSync(path, content());
    const outcome = importFile(db, path);
    expect(outcome).toMatchObject({ reportless: true, imported: [] });
    expect(outcome.warnings).toContain(NO_REPORTS_WARNING);
    expect(listLog(db).find((entry) => entry.code === 'import_empty')?.message).toBe(`${path}: ${NO_REPORTS_WARNING}`);
  });

  it('the watch folder files a report-less file under failed/ with the reason', { timeout: 60_000 }, async () => {
    const { db, dir } = setup();
    const inbox = join(dir, 'inbox');
    mkdirSync(inbox);
    const watcher = new FolderWatcher(db, inbox);
    writeFileSync(join(inbox, 'empty.se'), '');
    writeFileSync(join(inbox, 'header-only.csv'), 'register;number;date;key;amount\n');
    expect(await watcher.scan()).toEqual([]);
    const events = await watcher.scan();
    expect(events.map((event) => `${event.status} ${event.movedTo.slice(inbox.length + 1)}`)).toEqual([
      'failed failed/empty.se',
      'failed failed/header-only.csv',
    ]);
    expect(readFileSync(join(inbox, 'failed', 'empty.se.error.txt'), 'utf8')).toBe(
      `${join(inbox, 'empty.se')}: ${NO_REPORTS_WARNING}\n`,
    );
    expect(existsSync(join(inbox, 'processed'))).toBe(false);
  });

  it('the CLI prints the warning and exits 1', async () => {
    const dir = newHome();
    const path = join(dir, 'header-only.csv');
    writeFileSync(path, 'register;number;date;key;amount\n');
    let stdout = '';
    const code = await main(['--db', join(dir, 'k.sqlite'), 'import', path], {
      stdout: (text) => (stdout += text),
      stderr: () => undefined,
    });
    expect(code).toBe(1);
    expect(stdout).toContain(`warning: ${NO_REPORTS_WARNING}`);
  });

  it('SIE4: an unknown record inside a #VER is refused naming its line', () => {
    const { db, dir } = setup();
    const path = writeLines(
      dir,
      'trns.se',
      sie([{ number: '3', rows: ['1910 {} 10.00', '3001 {} -10.00'] }]).map((line) =>
        line.replace('#TRANS 3001', '#TRNS 3001'),
      ),
    );
    const error = refusal(() => importFile(db, path));
    expect([error.location, error.reason]).toEqual([
      'line 10',
      '#TRNS inside a #VER { } block: only #TRANS, #RTRANS and #BTRANS belong there',
    ]);
  });

  it('CSV: a column named twice is refused on line 1', () => {
    const { db, dir } = setup();
    const path = join(dir, 'twice.csv');
    writeFileSync(path, 'register;number;date;key;amount;amount\n1;1;2026-11-20;cash;10;99\n');
    expect(refusal(() => importFile(db, path)).message).toBe(
      `${path}: line 1, field "amount": this column is named twice in the header; which one counts?`,
    );
  });

  it('CSV: a line break or control character in a code field is refused naming the field', () => {
    const { db, dir } = setup();
    const path = join(dir, 'newline.csv');
    writeFileSync(path, 'register;number;date;key;amount\n"10\n09";1;2026-11-20;cash;10\n');
    const error = refusal(() => importFile(db, path));
    expect([error.field, error.reason]).toEqual([
      'register',
      '"10 09" holds a control character or line break (U+000A)',
    ]);
    writeFileSync(path, 'register;number;date;key;amount\n1;4\u00072;2026-11-20;cash;10\n');
    expect(refusal(() => importFile(db, path)).field).toBe('number');
  });
});
