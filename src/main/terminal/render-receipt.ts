import { formatAmountForPeople, ore } from '../../shared/money';

export interface AvstemmingPrint {
  readonly bax: string;
  readonly terminalId: string;
  readonly batch: string;
  /** Local wall clock as printed: "dd.mm.yyyy hh:mm". */
  readonly printedAt: string;
  readonly schemes: readonly { readonly label: string; readonly count: number; readonly amount: number }[];
  readonly refunds?: { readonly count: number; readonly amount: number };
  readonly tips?: number;
  readonly cashback?: number;
  readonly copy?: boolean;
}

const WIDTH = 24;
const kr = (amount: number): string =>
  formatAmountForPeople(ore(amount), 'nb-NO').replace(/\s/g, ' ').replace('−', '-');
const row = (label: string, count: string, amount: string): string => {
  const right = `${count.padStart(3)} ${amount.padStart(9)}`;
  return `${label.padEnd(WIDTH - right.length)}${right}`;
};
const rule = '-'.repeat(WIDTH);

/** A Nets-style 24-column avstemming print (layout of spec terminal.md §5.1): the demo's and simulator's terminal. */
export function renderAvstemming(print: AvstemmingPrint): string {
  const gross = print.schemes.reduce((acc, scheme) => acc + scheme.amount, 0);
  const count = print.schemes.reduce((acc, scheme) => acc + scheme.count, 0);
  const tips = print.tips ?? 0;
  const cashback = print.cashback ?? 0;
  const refunds = print.refunds ?? { count: 0, amount: 0 };
  const purchases = gross - tips - cashback + refunds.amount;
  return [
    print.copy ? '  KOPI AV AVSTEMMING' : '      AVSTEMMING',
    '   DEMOBUTIKKEN AS',
    rule,
    `BAX:${print.bax.padStart(WIDTH - 4)}`,
    `TERM:${print.terminalId.padStart(WIDTH - 5)}`,
    `Bunt:${print.batch.padStart(WIDTH - 5)}`,
    `Dato:${print.printedAt.padStart(WIDTH - 5)}`,
    rule,
    '            Ant     Beløp',
    ...print.schemes.map((scheme) => row(scheme.label, String(scheme.count), kr(scheme.amount))),
    rule,
    row('Kjøp', String(count - refunds.count), kr(purchases)),
    row('Retur', String(refunds.count), kr(-refunds.amount)),
    row('Tips', '', kr(tips)),
    row('Kontantuttak', '', kr(cashback)),
    rule,
    row('TOTALT', String(count), kr(gross)),
    'AVSTEMMING OK',
    '',
  ].join('\n');
}
