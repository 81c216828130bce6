import { formatAmount } from '../../shared/money';
import type { Output } from '../cli/output';
import { printDays } from '../reconcile/cli';
import type { Settlement } from '../domain/settlement';
import { reconcileDays, type DayReconciliation } from '../reconcile/reconcile';
import type { Db } from '../store/database';
import { listSettlements } from '../store/settlements';
import { ingestReceiptDocument, type IngestOutcome } from './ingest';
import { appendJournal, readJournal } from './journal';
import { renderAvstemming } from './render-receipt';
import { listTerminalReports } from './report-store';
import { asPrinted } from './simulate';

export const DEMO_BAX = '1234567';
export const DEMO_TERMINAL = '80012345';
export const DEMO_SECOND_TERMINAL = '80012399';
const DEMO_DAYS = 7;

export interface TerminalDemoSummary {
  readonly outcomes: readonly IngestOutcome['outcome'][];
  readonly days: readonly DayReconciliation[];
}

/** Scheme split of a card total, deterministic: 60 % BankAxept, 25 % Visa, 15 % Mastercard (whole kroner). */
function schemesFor(total: number): { label: string; count: number; amount: number }[] {
  const visa = Math.round((total * 0.25) / 100) * 100;
  const mastercard = Math.round((total * 0.15) / 100) * 100;
  const bankaxept = total - visa - mastercard;
  const count = (amount: number): number => Math.max(1, Math.round(amount / 32_500));
  return [
    { label: 'BankAxept', count: count(bankaxept), amount: bankaxept },
    { label: 'VISA', count: count(visa), amount: visa },
    { label: 'Mastercard', count: count(mastercard), amount: mastercard },
  ];
}

const keyTotal = (settlements: readonly Settlement[], keys: readonly string[]): number =>
  settlements.reduce(
    (acc, settlement) =>
      acc + settlement.lines.filter((line) => keys.includes(line.key)).reduce((sum, line) => sum + line.amount, 0),
    0,
  );

/**
 * The demo shop's terminal: for the last week of demo Z-reports it prints an avstemming (through the
 * real receipt parser, CP865 with ESC/POS) whose total matches the POS card total — except that one
 * day a cashback explains the difference, one day a second terminal on the shared BAX prints a copy
 * and a third one zeros (de-duplicated), and one day carries the planted difference: 90.00 typed
 * wrong on the manual terminal. Then it reconciles that week.
 */
export function runTerminalDemo(db: Db, now = new Date()): TerminalDemoSummary {
  const zReports = listSettlements(db, { kind: 'Z' });
  const dates = [...new Set(zReports.map((settlement) => settlement.businessDate))].sort().slice(-DEMO_DAYS);
  const outcomes: IngestOutcome['outcome'][] = [];
  const session = 'demo-terminal';
  const alreadySeeded = readJournal(db, session).length > 0;
  dates.forEach((date, index) => {
    if (alreadySeeded) return;
    const ofDay = zReports.filter((settlement) => settlement.businessDate === date);
    const posCard = keyTotal(ofDay, ['card_integrated', 'card_manual']);
    // Tips typed on the terminal are inside the card total; the print shows them on their own line too.
    const tips = keyTotal(ofDay, ['tips_terminal_integrated', 'tips_terminal_manual']);
    const planted = index === DEMO_DAYS - 3 ? 9000 : 0;
    const cashback = index === DEMO_DAYS - 5 ? 30000 : 0;
    const [year, month, day] = date.split('-');
    const base = {
      bax: DEMO_BAX,
      terminalId: DEMO_TERMINAL,
      batch: String(400 + index),
      printedAt: `${day}.${month}.${year} 22:10`,
      schemes: schemesFor(posCard + planted + cashback),
      tips,
      cashback,
    };
    const prints = [renderAvstemming(base)];
    if (index === DEMO_DAYS - 2) {
      prints.push(
        renderAvstemming({ ...base, terminalId: DEMO_SECOND_TERMINAL, printedAt: `${day}.${month}.${year} 22:12` }),
      );
      prints.push(
        renderAvstemming({
          ...base,
          terminalId: '80012398',
          printedAt: `${day}.${month}.${year} 22:13`,
          schemes: base.schemes.map((scheme) => ({ ...scheme, count: 0, amount: 0 })),
          cashback: 0,
        }),
      );
    }
    for (const text of prints) {
      const bytes = asPrinted(text, 'cp865');
      const chunk = appendJournal(
        db,
        { session, device: 'demo terminal', protocol: 'file', direction: 'in', bytes },
        now,
      );
      const outcome = ingestReceiptDocument(db, bytes, {
        capturedAt: new Date(`${date}T23:00:00Z`),
        device: 'demo terminal',
        journal: { session, from: chunk, to: chunk },
      });
      outcomes.push(outcome.outcome);
    }
  });
  const days = reconcileDays(zReports, listTerminalReports(db, { includeDuplicates: true }), {
    ...(dates[0] ? { from: dates[0] } : {}),
    ...(dates.at(-1) ? { to: dates.at(-1)! } : {}),
  });
  return { outcomes, days };
}

/** The demo's avstemming block, printed after the voucher summary. */
export function printTerminalDemo(summary: TerminalDemoSummary, out: Output): void {
  out.line('Avstemming (POS card totals against the demo terminal, last week):');
  printDays(summary.days, out);
  const open = summary.days.filter((day) => day.status === 'difference');
  out.line(
    open.length
      ? `Unexplained differences: ${open.map((day) => `${day.date} (${formatAmount(day.unexplained)})`).join(', ')}`
      : 'Unexplained differences: none',
  );
}
