import type { Status } from '../../shared/api';
import type { Language } from '../../shared/settlement-keys';

interface TrayWords {
  readonly restarting: string;
  readonly notSetUp: string;
  readonly needAttention: (count: number) => string;
  readonly invoicesNeedAttention: (count: number) => string;
  readonly waiting: (count: number) => string;
  readonly allTransferred: string;
  readonly open: string;
  readonly startAtLogin: string;
  readonly quit: string;
}

/** The tray's words in the language the user chose in the window (the engine remembers it). */
export const TRAY_WORDS: Readonly<Record<Language, TrayWords>> = {
  nb: {
    restarting: 'bakgrunnsmotoren startes på nytt',
    notSetUp: 'ikke satt opp',
    needAttention: (count) => `${count} bilag trenger tiltak`,
    invoicesNeedAttention: (count) => `${count} fakturaer trenger tiltak`,
    waiting: (count) => `${count} bilag venter`,
    allTransferred: 'alt er overført',
    open: 'Åpne Kassebro',
    startAtLogin: 'Start ved pålogging',
    quit: 'Avslutt',
  },
  sv: {
    restarting: 'bakgrundsmotorn startas om',
    notSetUp: 'inte konfigurerad',
    needAttention: (count) => `${count} verifikationer behöver åtgärd`,
    invoicesNeedAttention: (count) => `${count} fakturor behöver åtgärd`,
    waiting: (count) => `${count} verifikationer väntar`,
    allTransferred: 'allt är överfört',
    open: 'Öppna Kassebro',
    startAtLogin: 'Starta vid inloggning',
    quit: 'Avsluta',
  },
  en: {
    restarting: 'the background engine is restarting',
    notSetUp: 'not set up',
    needAttention: (count) => `${count} vouchers need attention`,
    invoicesNeedAttention: (count) => `${count} invoices need attention`,
    waiting: (count) => `${count} vouchers waiting`,
    allTransferred: 'everything transferred',
    open: 'Open Kassebro',
    startAtLogin: 'Start at login',
    quit: 'Quit',
  },
};

/** The status a shop owner sees without opening the window: all good, N waiting, or errors. */
export function trayText(status: Status | null, engineDown: boolean, language: Language = 'nb'): string {
  const words = TRAY_WORDS[language];
  if (engineDown) return `Kassebro: ${words.restarting}`;
  if (!status?.activeTarget) return `Kassebro: ${words.notSetUp}`;
  const { failed, blocked, ready, queued, sending } = status.vouchers;
  // Failed invoices wait for a fix; held ones for a booking by hand (docs/invoices.md).
  const invoices = status.invoices.failed + status.invoices.held;
  const attention = [
    ...(failed + blocked > 0 ? [words.needAttention(failed + blocked)] : []),
    ...(invoices > 0 ? [words.invoicesNeedAttention(invoices)] : []),
  ];
  if (attention.length > 0) return `Kassebro: ${attention.join(' · ')}`;
  const waiting = ready + queued + sending;
  return `Kassebro: ${waiting > 0 ? words.waiting(waiting) : words.allTransferred}`;
}
