import { readFileSync } from 'node:fs';
import { MoneyFormatError, negate, parseAmount, sum, ZERO, type Ore } from '../../../shared/money';
import { accountLineKey, keyInfo } from '../../../shared/settlement-keys';
import type { SettlementDraft, SettlementLine } from '../../domain/settlement';
import { ReportSums } from '../amount-bound';
import { calendarDateFromCompact } from '../dates';
import { ACCEPTED_FILES, type FileReadResult, type FileSource } from '../file-source';
import { SourceError } from '../source-error';
import { BAS_ACCOUNT_KEYS, type AccountKey } from './account-keys';
import { decodeSie } from './decode';
import { tokenizeSieLine } from './tokenize';

export const SIE4_SOURCE = 'sie4';

export interface Sie4Options {
  /** Per-shop additions or replacements of the BAS account table. */
  readonly accountKeys?: Readonly<Record<string, AccountKey>>;
}

interface OpenVoucher {
  readonly line: number;
  readonly series: string;
  readonly number: string;
  readonly date: string;
  readonly text: string;
  readonly lines: SettlementLine[];
  readonly amounts: Ore[];
  readonly sums: ReportSums;
  opened: boolean;
}

const AMOUNT = /^-?\d+(\.\d{1,2})?$/;

/**
 * Reads a daily SIE4 file from a POS: every `#VER` becomes one Z settlement whose lines are keyed
 * by the POS's own accounts (kept as `sourceCode`). An account the table does not know stays a line
 * of its own (`account:5800`), so no money is dropped and no file is refused for it. Each voucher
 * must balance to the öre.
 */
export function readSie4File(path: string, options: Sie4Options = {}): FileReadResult {
  const decoded = decodeSie(readFileSync(path));
  const accounts = { ...BAS_ACCOUNT_KEYS, ...options.accountKeys };
  const warnings = [...decoded.warnings];
  const drafts: SettlementDraft[] = [];
  let location = '';
  let currency = 'SEK';
  let voucher: OpenVoucher | null = null;
  const numbersByDate = new Map<string, number>();

  const fail = (line: number, field: string | null, reason: string): never => {
    throw new SourceError(path, `line ${line}`, field, reason);
  };

  const finishVoucher = (current: OpenVoucher): void => {
    const total = sum(current.amounts);
    if (total !== 0) {
      fail(
        current.line,
        null,
        `#VER ${current.series} ${current.number || '(no number)'} does not balance: its #TRANS rows add up to ${(total / 100).toFixed(2)}`,
      );
    }
    const register = /kassa\s*(?:nr\.?\s*)?(\w+)/i.exec(current.text)?.[1] ?? (current.series || '1');
    const zNumber = /z[\s-]*rapport\s*(?:nr\.?\s*)?(\d+)/i.exec(current.text)?.[1];
    let reportNumber = current.number && current.number !== '0' ? current.number : zNumber;
    if (!reportNumber) {
      // No number anywhere: the day itself is the report (one daily voucher per series), made unique within the file.
      const seen = (numbersByDate.get(`${register}|${current.date}`) ?? 0) + 1;
      numbersByDate.set(`${register}|${current.date}`, seen);
      reportNumber = seen === 1 ? current.date : `${current.date}-${seen}`;
    }
    drafts.push({
      source: SIE4_SOURCE,
      location: location || 'sie4',
      registerId: register,
      kind: 'Z',
      reportNumber,
      businessDate: current.date,
      currency,
      lines: current.lines,
      sourceRef: `${path}:${current.line}`,
      warnings: [],
    });
  };

  decoded.text.split(/\r?\n/).forEach((raw, index) => {
    const lineNo = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '') return;
    if (trimmed === '{') {
      if (!voucher || voucher.opened) fail(lineNo, null, '"{" without a #VER before it');
      voucher!.opened = true;
      return;
    }
    if (trimmed === '}') {
      if (!voucher?.opened) fail(lineNo, null, '"}" without an open #VER');
      finishVoucher(voucher!);
      voucher = null;
      return;
    }
    const fields = tokenizeSieLine(trimmed);
    if (!fields) fail(lineNo, null, 'unterminated quote or brace');
    const [label = '', ...rest] = fields!;
    // The line itself is not quoted: a file that is not SIE4 at all may be anything (a system file).
    if (!label.startsWith('#')) fail(lineNo, null, `not a SIE4 record (#LABEL …); expected ${ACCEPTED_FILES}`);
    if (voucher && !voucher.opened && label !== '#VER') fail(voucher.line, null, '#VER not followed by "{"');
    switch (label.toUpperCase()) {
      case '#FORMAT':
        if (rest[0] && rest[0].toUpperCase() !== 'PC8') warnings.push(`line ${lineNo}: #FORMAT ${rest[0]} is not PC8`);
        return;
      case '#ORGNR':
        location = rest[0] ?? location;
        return;
      case '#FNAMN':
        location ||= rest[0] ?? '';
        return;
      case '#VALUTA':
        currency = rest[0] ?? currency;
        return;
      case '#VER': {
        if (voucher) fail(lineNo, null, `#VER inside the #VER opened on line ${voucher.line}`);
        const [series = '', number = '', date = '', text = ''] = rest;
        const iso = calendarDateFromCompact(date);
        if (!iso) fail(lineNo, 'verdatum', `"${date}" is not a date YYYYMMDD`);
        voucher = {
          line: lineNo,
          series,
          number,
          date: iso!,
          text,
          lines: [],
          amounts: [],
          sums: new ReportSums(),
          opened: false,
        };
        return;
      }
      case '#TRANS': {
        if (!voucher?.opened) fail(lineNo, null, '#TRANS outside a #VER { } block');
        const [account = '', , amountText = '', transDate = ''] = rest;
        if (!/^\d+$/.test(account)) fail(lineNo, 'kontonr', `"${account}" is not an account number`);
        if (transDate && !calendarDateFromCompact(transDate)) {
          fail(lineNo, 'transdat', `"${transDate}" is not a date YYYYMMDD`);
        }
        if (!AMOUNT.test(amountText)) fail(lineNo, 'belopp', `"${amountText}" is not an amount like -1234.50`);
        let amount: Ore = ZERO;
        try {
          amount = parseAmount(amountText);
        } catch (error) {
          fail(lineNo, 'belopp', error instanceof MoneyFormatError ? error.message : String(error));
        }
        const { key, part } = Object.hasOwn(accounts, account)
          ? accounts[account]!
          : { key: accountLineKey(account), part: undefined };
        // SIE amounts are debit-positive; a settlement line is positive on its key's natural side.
        const natural = keyInfo(key).side === 'debit' ? amount : negate(amount);
        const overflow =
          voucher!.sums.add(part === 'vat' ? `VAT of ${key}` : `sum of ${key}`, natural) ??
          voucher!.sums.addSigned(amount);
        if (overflow) fail(lineNo, 'belopp', overflow);
        voucher!.amounts.push(amount);
        voucher!.lines.push(
          part === 'vat'
            ? { key, amount: ZERO, vat: natural, sourceCode: account, sourceAccount: account }
            : { key, amount: natural, vat: ZERO, sourceCode: account, sourceAccount: account },
        );
        return;
      }
      case '#RTRANS':
      case '#BTRANS':
        warnings.push(`line ${lineNo}: ${label} (a row changed after registration) is ignored`);
        return;
      default:
        // Inside a voucher only rows belong; anything else (a misspelt #TRANS) would silently drop money.
        if (voucher)
          fail(lineNo, null, `${label} inside a #VER { } block: only #TRANS, #RTRANS and #BTRANS belong there`);
        // Unknown and descriptive records (#KONTO, #RAR, #PROGRAM…) are not needed for a settlement.
        return;
    }
  });
  if (voucher) fail((voucher as OpenVoucher).line, null, 'the file ends inside this #VER (truncated?)');
  return { format: 'sie4', drafts, warnings };
}

export const sie4Source: FileSource = {
  format: 'sie4',
  sniff: (head) => /^(\xEF\xBB\xBF)?\s*#(FLAGGA|SIETYP|FORMAT|PROGRAM)\b/.test(head.toString('latin1')),
  read: (path, overrides) => readSie4File(path, { accountKeys: overrides?.sie4AccountKeys ?? {} }),
};
