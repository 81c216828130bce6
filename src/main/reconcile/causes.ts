import { formatAmountForPeople, ore } from '../../shared/money';
import type { Language } from '../../shared/settlement-keys';

export type CauseCode =
  | 'cashback'
  | 'tips-on-terminal-only'
  | 'refund-on-terminal-only'
  | 'manual-terminal-typo'
  | 'manual-terminal'
  | 'reconciliation-not-run'
  | 'reconciliation-at-other-time'
  | 'no-pos-report'
  | 'duplicate-bax-ignored'
  | 'terminal-report-warning'
  | 'x-report-only'
  | 'unexplained'
  | 'terminal-not-placed';

/** The facts a cause's sentence needs; amounts in øre. */
export interface CauseDetail {
  readonly amount?: number;
  readonly count?: number;
  readonly terminal?: string;
  readonly warnings?: string;
  readonly date?: string;
}

export interface Cause {
  readonly code: CauseCode;
  /** Part of the difference this cause accounts for, when it can be computed. */
  readonly amount?: number;
  readonly detail: CauseDetail;
}

const LOCALE: Readonly<Record<Language, string>> = { nb: 'nb-NO', sv: 'sv-SE', en: 'en-GB' };

type Template = (detail: CauseDetail, money: string) => string;

/** What the shop owner reads, in nb/sv/en. */
const TEXTS: Readonly<Record<CauseCode, Readonly<Record<Language, Template>>>> = {
  cashback: {
    nb: (_, kr) => `kontantuttak ${kr} er betalt ut i kontanter og ligger i terminalens total, ikke i kassens kortsum`,
    sv: (_, kr) => `kontantuttag ${kr} är utbetalt kontant och ingår i terminalens total, inte i kassans kortsumma`,
    en: (_, kr) => `cashback ${kr} paid out in cash is in the terminal total, not in the POS card total`,
  },
  'tips-on-terminal-only': {
    nb: (_, kr) => `tips ${kr} slått inn bare på terminalen (ikke registrert i kassen)`,
    sv: (_, kr) => `dricks ${kr} slogs in bara på terminalen (inte registrerad i kassan)`,
    en: (_, kr) => `tips ${kr} entered on the terminal only (not registered in the POS)`,
  },
  'refund-on-terminal-only': {
    nb: (_, kr) => `retur ${kr} gjort på terminalen mangler kanskje i kassen`,
    sv: (_, kr) => `återköp ${kr} gjort på terminalen saknas kanske i kassan`,
    en: (_, kr) => `refunds ${kr} done on the terminal may be missing in the POS`,
  },
  'manual-terminal-typo': {
    nb: (_, kr) =>
      `avviket ${kr} går opp i 9: to sifre byttet om da et beløp ble slått inn på den manuelle terminalen?`,
    sv: (_, kr) =>
      `differensen ${kr} är delbar med 9: två siffror omkastade när ett belopp slogs in på den fristående terminalen?`,
    en: (_, kr) =>
      `difference ${kr} is divisible by 9: two digits swapped when typing an amount on the manual terminal?`,
  },
  'manual-terminal': {
    nb: (_, kr) => `beløp på manuell terminal (${kr}) slås inn for hånd: kontroller dem mot terminalkvitteringene`,
    sv: (_, kr) => `belopp på fristående terminal (${kr}) slås in för hand: kontrollera dem mot terminalkvittona`,
    en: (_, kr) => `manual terminal amounts (${kr}) are typed by hand: check them against the terminal receipts`,
  },
  'reconciliation-not-run': {
    nb: () => 'ingen terminalavstemming for denne dagen: kjør avstemming på terminalen',
    sv: () => 'ingen dagsavslut från terminalen för denna dag: gör dagsavslut på terminalen',
    en: () => 'no terminal reconciliation for this day: run avstemming on the terminal',
  },
  'reconciliation-at-other-time': {
    nb: (detail) =>
      `en avstemming ${detail.date ?? ''} kan inneholde denne dagens kortsalg (avstemt på et annet tidspunkt enn Z-rapporten)`,
    sv: (detail) =>
      `ett dagsavslut ${detail.date ?? ''} kan innehålla denna dags kortförsäljning (gjort vid en annan tid än Z-rapporten)`,
    en: (detail) =>
      `a reconciliation on ${detail.date ?? ''} may include this day's card sales (avstemming run at a different time than the Z-report)`,
  },
  'no-pos-report': {
    nb: () =>
      'terminalavstemming uten Z-rapport fra kassen denne dagen: sjekk skilletidspunktet eller om en Z-rapport mangler',
    sv: () =>
      'dagsavslut från terminalen utan Z-rapport från kassan denna dag: kontrollera brytpunkten eller om en Z-rapport saknas',
    en: () =>
      'terminal reconciliation without a POS Z-report on this business day: check the cut-over time or a missing Z-report',
  },
  'duplicate-bax-ignored': {
    nb: (detail) => `${detail.count} kopi-/nullrapport(er) fra andre terminaler på samme BAX ble ikke telt på nytt`,
    sv: (detail) =>
      `${detail.count} kopia/nollrapport(er) från andra terminaler på samma inlösenavtal räknades inte igen`,
    en: (detail) => `${detail.count} copy/zero report(s) from other terminals on a shared BAX were not counted again`,
  },
  'terminal-report-warning': {
    nb: (detail) => `terminal ${detail.terminal}: ${detail.warnings}`,
    sv: (detail) => `terminal ${detail.terminal}: ${detail.warnings}`,
    en: (detail) => `terminal ${detail.terminal}: ${detail.warnings}`,
  },
  'x-report-only': {
    nb: () => 'bare en X-rapport (mellomrapport) fra terminalen; den vises, men avstemmes aldri som endelig',
    sv: () => 'bara en X-rapport (mellanrapport) från terminalen; den visas men stäms aldrig av som slutlig',
    en: () => 'only an X-report (interim) from the terminal; it is shown but never reconciled as final',
  },
  unexplained: {
    nb: () =>
      'ingen kjent årsak passer: sammenlign terminalkvitteringene med kassen (feil betalingsmiddel, manuell terminal, manglende Z-rapport)',
    sv: () =>
      'ingen känd orsak passar: jämför terminalkvittona med kassan (fel betalsätt, fristående terminal, saknad Z-rapport)',
    en: () =>
      'no known cause fits: compare the terminal receipts with the POS (a sale booked with the wrong payment means, a manual terminal, a missing Z-report)',
  },
  'terminal-not-placed': {
    nb: () => 'disse terminalene er ikke knyttet til en butikk: kassebro terminal place TERMINAL --location LOKASJON',
    sv: () => 'dessa terminaler är inte kopplade till en butik: kassebro terminal place TERMINAL --location PLATS',
    en: () => 'these terminals are not placed at a shop: kassebro terminal place TERMINAL --location LOCATION',
  },
};

export function describeCause(cause: Cause, language: Language): string {
  const money =
    cause.detail.amount === undefined ? '' : formatAmountForPeople(ore(cause.detail.amount), LOCALE[language]);
  return TEXTS[cause.code][language](cause.detail, money);
}
