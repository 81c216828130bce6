import iconv from 'iconv-lite';
import { parseAmount, sum, type Ore } from '../../../shared/money';
import { SourceError } from '../../sources/source-error';
import { sieFields } from '../../sources/sie4/tokenize';

export interface SieTransaction {
  readonly account: string;
  /** Object list as (dimension, object code) pairs. */
  readonly objects: readonly (readonly [string, string])[];
  readonly amount: Ore;
  readonly date: string | null;
  readonly text: string | null;
}

export interface SieVoucher {
  readonly series: string;
  readonly number: string;
  readonly date: string;
  readonly text: string;
  readonly registeredOn: string | null;
  readonly transactions: readonly SieTransaction[];
}

export interface SieFile {
  /** First field of each header record by label, e.g. `#FNAMN` → the company name. */
  readonly header: ReadonlyMap<string, readonly string[]>;
  readonly vouchers: readonly SieVoucher[];
}

function objectPairs(field: string): [string, string][] {
  const inner = sieFields(field.slice(1, -1));
  if (inner.length % 2 !== 0) throw new Error(`object list ${field} needs dimension/object pairs`);
  const pairs: [string, string][] = [];
  for (let index = 0; index < inner.length; index += 2) pairs.push([inner[index] ?? '', inner[index + 1] ?? '']);
  return pairs;
}

const DATE = /^\d{8}$/;
const AMOUNT = /^-?\d+(\.\d{1,2})?$/;

function validDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(iso);
}

/**
 * Reads and checks a SIE 4 voucher file the way an importer would (shared/specs/sie4.md §4):
 * PC8 bytes, #FLAGGA first, #FORMAT PC8, #SIETYP 4, every #VER a `{ … }` block of #TRANS rows
 * that sums to 0.00 exactly, valid dates and amounts, no duplicate series+number.
 */
export function readSie4(bytes: Uint8Array, fileName = 'SIE file'): SieFile {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    throw new SourceError(fileName, 'line 1', null, 'starts with a UTF-8 byte order mark; SIE 4 is PC8 (CP437)');
  const lines = iconv.decode(Buffer.from(bytes), 'cp437').split(/\r?\n/);
  if (lines.at(-1) === '') lines.pop();

  const header = new Map<string, string[]>();
  const vouchers: SieVoucher[] = [];
  const numbers = new Set<string>();
  let open: { voucher: Omit<SieVoucher, 'transactions'>; transactions: SieTransaction[]; line: number } | null = null;
  let expectBlock = false;

  lines.forEach((text, index) => {
    const where = `line ${index + 1}`;
    const fail = (field: string | null, reason: string): never => {
      throw new SourceError(fileName, where, field, reason);
    };
    let fields: string[];
    try {
      // A block's braces stand alone on their lines; anywhere else `{` opens an object list.
      fields = text.trim() === '{' || text.trim() === '}' ? [text.trim()] : sieFields(text);
    } catch (error) {
      return fail(null, (error as Error).message);
    }
    const [label = '', ...rest] = fields;
    if (index === 0 && label !== '#FLAGGA') fail(null, 'the first record must be #FLAGGA');
    if (expectBlock) {
      if (label !== '{') fail(null, '#VER must be followed by a line with "{"');
      expectBlock = false;
      return;
    }
    if (label === '}') {
      if (!open) return fail(null, '"}" without #VER');
      const balance = sum(open.transactions.map((transaction) => transaction.amount));
      if (balance !== 0)
        fail(
          null,
          `voucher ${open.voucher.series} ${open.voucher.number} (line ${open.line}) sums to ${balance} öre, not 0`,
        );
      vouchers.push({ ...open.voucher, transactions: open.transactions });
      open = null;
      return;
    }
    if (label === '#TRANS') {
      if (!open) return fail(null, '#TRANS outside a #VER block');
      const [account = '', objects = '', amount = '', date, transText] = rest;
      if (!/^\d+$/.test(account)) fail('kontonr', `"${account}" is not an account number`);
      if (!objects.startsWith('{')) fail('objektlista', 'the object list {…} is missing');
      if (!AMOUNT.test(amount)) fail('belopp', `"${amount}" is not an amount like -1234.50`);
      if (date !== undefined && date !== '' && !validDate(date)) fail('transdat', `"${date}" is not a date YYYYMMDD`);
      let pairs: [string, string][] = [];
      try {
        pairs = objectPairs(objects);
      } catch (error) {
        fail('objektlista', (error as Error).message);
      }
      open.transactions.push({
        account,
        objects: pairs,
        amount: parseAmount(amount),
        date: date || null,
        text: transText ?? null,
      });
      return;
    }
    if (open) fail(null, `${label} inside a #VER block`);
    if (label === '#VER') {
      const [series = '', number = '', date = '', verText = '', registeredOn] = rest;
      if (!validDate(date)) fail('verdatum', `"${date}" is not a date YYYYMMDD`);
      if (number !== '' && numbers.has(`${series}|${number}`))
        fail('vernr', `voucher ${series} ${number} appears twice`);
      if (number !== '') numbers.add(`${series}|${number}`);
      open = {
        voucher: { series, number, date, text: verText, registeredOn: registeredOn ?? null },
        transactions: [],
        line: index + 1,
      };
      expectBlock = true;
      return;
    }
    if (label.startsWith('#') && !header.has(label)) header.set(label, rest);
  });
  if (open || expectBlock)
    throw new SourceError(fileName, `line ${lines.length}`, null, 'the last #VER block is not closed');
  if (header.get('#FORMAT')?.[0] !== 'PC8') throw new SourceError(fileName, 'header', '#FORMAT', 'must be PC8');
  if (header.get('#SIETYP')?.[0] !== '4') throw new SourceError(fileName, 'header', '#SIETYP', 'must be 4');
  return { header, vouchers };
}
