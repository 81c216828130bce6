import type { Language } from '../../shared/settlement-keys';

export interface NumberSeriesCheck {
  readonly status: 'ok' | 'conflict' | 'unknown';
  readonly message: string;
}

/**
 * The setup check for 'pos-issued' invoices: the POS's invoice numbers must not be numbers the
 * target has used or will use. `targetNext` is the target's next invoice number (null = unknown);
 * `pos` the lowest and highest number the POS has issued (null = none read yet).
 */
export function checkNumberSeries(
  pos: { readonly lowest: number; readonly highest: number } | null,
  targetNext: number | null,
  language: Language,
  /** POS numbers Kassebro has already posted there: the target's highest may be one of ours. */
  postedByUs: ReadonlySet<number> = new Set(),
): NumberSeriesCheck {
  const texts = TEXTS[language];
  if (targetNext === null) return { status: 'ok', message: texts.unused };
  if (postedByUs.has(targetNext - 1)) return { status: 'ok', message: texts.ours(targetNext - 1) };
  if (pos === null) return { status: 'unknown', message: texts.noPos(targetNext) };
  if (pos.lowest < targetNext) return { status: 'conflict', message: texts.used(pos.lowest, targetNext) };
  return { status: 'ok', message: texts.ahead(pos.lowest, targetNext) };
}

const TEXTS: Readonly<
  Record<
    Language,
    {
      unused: string;
      ours: (highest: number) => string;
      noPos: (next: number) => string;
      used: (lowest: number, next: number) => string;
      ahead: (lowest: number, next: number) => string;
    }
  >
> = {
  en: {
    unused: 'The accounting system has issued no invoices yet; the POS numbers can be used as they are.',
    ours: (highest) =>
      `The accounting system's highest invoice number, ${highest}, is a POS invoice Kassebro posted there: no invoice of its own lies above the POS's numbers.`,
    noPos: (next) =>
      `The accounting system's next invoice number is ${next}; no POS invoice has been read yet to compare.`,
    used: (lowest, next) =>
      `Number series conflict: the POS numbers its invoices from ${lowest}, but the accounting system has already used numbers up to ${next - 1}. Those invoices would be refused as "number already in use". Start the POS's series above ${next - 1} (e.g. 100000), or let the accounting system number the invoices ("invoice in the accounting system").`,
    ahead: (lowest, next) =>
      `The POS numbers from ${lowest} and the accounting system's next number is ${next}: no overlap now, but invoices made in the accounting system will reach ${lowest} after ${lowest - next} more. Make them in the POS only, or move one series far away.`,
  },
  nb: {
    unused: 'Regnskapssystemet har ikke laget fakturaer ennå; kassens fakturanumre kan brukes som de er.',
    ours: (highest) =>
      `Regnskapssystemets høyeste fakturanummer, ${highest}, er en kassefaktura Kassebro har ført der: ingen av systemets egne fakturaer ligger over kassens numre.`,
    noPos: (next) =>
      `Regnskapssystemets neste fakturanummer er ${next}; ingen faktura fra kassen er lest ennå å sammenligne med.`,
    used: (lowest, next) =>
      `Konflikt i nummerserien: kassen nummererer fakturaer fra ${lowest}, men regnskapssystemet har allerede brukt numre opp til ${next - 1}. De fakturaene ville blitt avvist med «Nummeret er allerede i bruk». Start kassens serie over ${next - 1} (f.eks. 100000), eller la regnskapssystemet nummerere fakturaene («faktura i regnskapssystemet»).`,
    ahead: (lowest, next) =>
      `Kassen nummererer fra ${lowest} og regnskapssystemets neste nummer er ${next}: ingen overlapp nå, men fakturaer laget i regnskapssystemet når ${lowest} etter ${lowest - next} til. Lag dem bare i kassen, eller flytt den ene serien langt unna.`,
  },
  sv: {
    unused: 'Bokföringssystemet har inte skapat några fakturor ännu; kassans fakturanummer kan användas som de är.',
    ours: (highest) =>
      `Bokföringssystemets högsta fakturanummer, ${highest}, är en kassafaktura som Kassebro har bokfört där: inga av systemets egna fakturor ligger över kassans nummer.`,
    noPos: (next) =>
      `Bokföringssystemets nästa fakturanummer är ${next}; ingen faktura från kassan är läst ännu att jämföra med.`,
    used: (lowest, next) =>
      `Konflikt i nummerserien: kassan numrerar fakturor från ${lowest}, men bokföringssystemet har redan använt nummer upp till ${next - 1}. De fakturorna skulle avvisas som "numret används redan". Starta kassans serie över ${next - 1} (t.ex. 100000), eller låt bokföringssystemet numrera fakturorna ("faktura i bokföringssystemet").`,
    ahead: (lowest, next) =>
      `Kassan numrerar från ${lowest} och bokföringssystemets nästa nummer är ${next}: ingen överlappning nu, men fakturor som skapas i bokföringssystemet når ${lowest} efter ${lowest - next} till. Skapa dem bara i kassan, eller flytta den ena serien långt bort.`,
  },
};
