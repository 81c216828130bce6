import type { Scheme, TerminalReportKind } from './report';

/**
 * Words printed on terminal reconciliations (nb/sv/da/en/de), kept as data so a technician can
 * extend them (spec terminal.md §5.3). Matching is case-insensitive on whole words.
 */
export interface ReceiptLabels {
  readonly titles: Readonly<Record<TerminalReportKind, readonly string[]>>;
  readonly copy: readonly string[];
  readonly bax: readonly string[];
  readonly terminal: readonly string[];
  readonly batch: readonly string[];
  readonly total: readonly string[];
  readonly purchase: readonly string[];
  readonly refund: readonly string[];
  readonly reversal: readonly string[];
  readonly tips: readonly string[];
  readonly cashback: readonly string[];
  readonly surcharge: readonly string[];
  readonly hostOk: readonly string[];
  readonly hostFailed: readonly string[];
  readonly schemes: readonly { readonly scheme: Scheme; readonly names: readonly string[] }[];
  /** Words that only Swedish / German reports use: they decide the currency when none is printed. */
  readonly swedish: readonly string[];
  readonly german: readonly string[];
}

export const DEFAULT_LABELS: ReceiptLabels = {
  titles: {
    x: ['X-RAPPORT', 'X-TOTAL', 'X-REPORT', 'X-RAPPORTTI', 'ZWISCHENBERICHT'],
    z: ['Z-RAPPORT', 'Z-TOTAL', 'Z-REPORT', 'DAGSOPPGJØR', 'DAGSAVSLUT', 'DAGSRAPPORT'],
    reconciliation: [
      'AVSTEMMING',
      'AVSTEMNING',
      'SÄNDNINGSRAPPORT',
      'END OF DAY',
      'RECONCILIATION',
      'BATCH REPORT',
      'KASSENSCHNITT',
      'TAGESABSCHLUSS',
    ],
  },
  copy: ['KOPI', 'KOPIA', 'DUPLIKAT', 'COPY', 'KOPIE', 'REPRINT'],
  bax: ['BAX', 'BAX-NR', 'BRUKERSTED', 'BRUKERSTEDSNR', 'BUTIK', 'BUTIKSNR', 'INLÖSENNR'],
  terminal: ['TERM', 'TERMINAL', 'TERMINAL-ID', 'TERMINAL ID', 'TID', 'TERM-ID'],
  batch: ['BUNT', 'BUNTNR', 'BUNT NR', 'BATCH', 'BATCH NR', 'SESJON', 'SESSION', 'PERIODE', '#'],
  total: ['TOTALT', 'TOTAL', 'SUM', 'SUMMA', 'GESAMT', 'TOTALSUM', 'GRAND TOTAL'],
  purchase: ['KJØP', 'KÖP', 'PURCHASE', 'PURCHASES', 'SALE', 'SALES', 'SALG', 'FÖRSÄLJNING', 'UMSATZ', 'KAUF'],
  refund: ['RETUR', 'RETURER', 'TILBAKEBETALING', 'ÅTERKÖP', 'RETURN', 'REFUND', 'REFUNDS', 'GUTSCHRIFT'],
  reversal: ['ANNULLERING', 'ANNULLERT', 'MAKULERING', 'STORNO', 'VOID', 'REVERSAL'],
  tips: ['TIPS', 'DRICKS', 'DRIKKEPENGER', 'TRINKGELD', 'GRATUITY', 'TIP'],
  cashback: [
    'KONTANTUTTAK',
    'KONTANT UT',
    'UTTAG',
    'KONTANTUTTAG',
    'CASHBACK',
    'CASH BACK',
    'BARAUSZAHLUNG',
    'BARAUSZAHLUNGEN',
    'DAVON BARAUSZAHLUNGEN',
  ],
  surcharge: ['GEBYR', 'AVGIFT', 'SURCHARGE', 'KORTAVGIFT'],
  hostOk: [
    'AVSTEMMING OK',
    'AVSTEMNING OK',
    'AVSTÄMNING OK',
    'SÄNDNING OK',
    'RECONCILIATION OK',
    'OK',
    'GODKJENT',
    'GODKÄND',
    'APPROVED',
  ],
  hostFailed: [
    'AVSTEMMING FEILET',
    'AVSTEMMING FEIL',
    'AVSTEMNING FEILET',
    'SÄNDNING MISSLYCKADES',
    'FAILED',
    'FEILET',
    'AVVIST',
  ],
  schemes: [
    { scheme: 'bankaxept', names: ['BANKAXEPT', 'BANK AXEPT', 'BAX KORT', 'BANKAXEPT KONTAKTLØS'] },
    { scheme: 'visa', names: ['VISA', 'VISA DEBIT', 'VISA CREDIT', 'VISA ELECTRON', 'V PAY', 'VPAY'] },
    {
      scheme: 'mastercard',
      names: ['MASTERCARD', 'MASTER CARD', 'MC', 'EUROCARD', 'DEBIT MASTERCARD', 'EUROCARD/MASTERCARD'],
    },
    { scheme: 'maestro', names: ['MAESTRO', 'MAESTRO/DMC AT'] },
    { scheme: 'amex', names: ['AMEX', 'AMERICAN EXPRESS'] },
    { scheme: 'diners', names: ['DINERS', 'DINERS CLUB'] },
    { scheme: 'jcb', names: ['JCB'] },
    { scheme: 'unionpay', names: ['UNIONPAY', 'UNION PAY', 'CUP'] },
    { scheme: 'discover', names: ['DISCOVER'] },
    { scheme: 'vipps', names: ['VIPPS'] },
    { scheme: 'mobilepay', names: ['MOBILEPAY'] },
    { scheme: 'swish', names: ['SWISH'] },
    { scheme: 'girocard', names: ['GIROCARD', 'EC-KARTE', 'EC', 'GIROCARD KONTAKTLOS'] },
    { scheme: 'giftcard', names: ['GAVEKORT', 'PRESENTKORT', 'GIFT CARD', 'GIFTCARD'] },
  ],
  swedish: [
    'KORTTYP',
    'ANTAL',
    'BELOPP',
    'DAGSAVSLUT',
    'SÄNDNINGSRAPPORT',
    'ÅTERKÖP',
    'DRICKS',
    'BUTIK',
    'KÖP',
    'UTTAG',
  ],
  german: ['KASSENSCHNITT', 'GESAMT', 'ANZAHL', 'BARAUSZAHLUNG', 'BARAUSZAHLUNGEN', 'TAGESABSCHLUSS'],
};

/** Upper-cased, single-spaced, trailing colon/dots removed: how labels are compared. */
export function normaliseLabel(text: string): string {
  return text
    .toUpperCase()
    .replace(/[\s\u00a0\u202f]+/g, ' ')
    .replace(/[\s:.=*]+$/, '')
    .replace(/^[\s:.=*]+/, '')
    .trim();
}

export function isOneOf(label: string, words: readonly string[]): boolean {
  const normalised = normaliseLabel(label);
  return words.some((word) => normalised === word);
}

/** True when a word occurs in the line as a whole word (not inside another word). */
export function containsWord(line: string, word: string): boolean {
  const escaped = word.replace(/[.*+?^${}()|[\]\\/-]/g, (char) => (char === '-' ? '-' : `\\${char}`));
  return new RegExp(`(^|[^\\p{L}\\p{N}])${escaped}($|[^\\p{L}\\p{N}])`, 'iu').test(line);
}

export function schemeOf(label: string, labels: ReceiptLabels): Scheme | undefined {
  const normalised = normaliseLabel(label);
  return labels.schemes.find((entry) => entry.names.includes(normalised))?.scheme;
}
