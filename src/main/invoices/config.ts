import { z } from 'zod';
import { INVOICE_MODES, type InvoiceMode } from '../../shared/setup-schemas';
import type { Language } from '../../shared/settlement-keys';
import type { Db } from '../store/database';
import { readSetting, writeSetting } from '../store/settings';

/**
 * How invoice sales reach one target, chosen at setup:
 * - 'invoice-in-target': the target numbers and sends the invoice (order → invoice in Tripletex,
 *   outgoing invoice in Fiken); the POS's number is only a reference.
 * - 'pos-issued': the POS already issued the invoice; it is posted with the POS's number, so the
 *   POS's series must not overlap the target's (checked at setup).
 *
 * `zRevenue` is the POS/back-office switch "include invoiced sales in the office (Z) report":
 * 'clearing' books the Z-report's invoice sales on the invoice clearing key only (the invoice
 * carries the revenue); 'include' keeps them as Z revenue — which, with invoice transfer on,
 * books the revenue and VAT twice, so that combination is refused.
 */
export { INVOICE_MODES, type InvoiceMode };

export const invoiceConfigSchema = z.object({
  enabled: z.boolean(),
  mode: z.enum(INVOICE_MODES),
  zRevenue: z.enum(['clearing', 'include']).default('clearing'),
  /** New customers get numbers from here on; high, so they do not collide with the target's own. */
  customerNumberStart: z.number().int().min(1).default(100_000),
  /** Days until due when the POS gives no due date (kept for sources without one). */
  defaultDueDays: z.number().int().min(0).max(365).default(14),
});
export type InvoiceConfig = z.output<typeof invoiceConfigSchema>;

export const INVOICES_OFF: InvoiceConfig = {
  enabled: false,
  mode: 'invoice-in-target',
  zRevenue: 'clearing',
  customerNumberStart: 100_000,
  defaultDueDays: 14,
};

const settingKey = (targetId: string) => `invoices.${targetId}`;

export function loadInvoiceConfig(db: Db, targetId: string): InvoiceConfig {
  const stored = readSetting(db, settingKey(targetId));
  return stored === undefined ? INVOICES_OFF : invoiceConfigSchema.parse(stored);
}

export class DoubleBookingError extends Error {
  constructor(readonly explanation: string) {
    super(explanation);
    this.name = 'DoubleBookingError';
  }
}

const DOUBLE_BOOKING: Readonly<Record<Language, string>> = {
  en: 'Invoice transfer is on while "include invoiced sales in the Z revenue" is also on: every invoice sale would be booked twice, once as revenue in the daily settlement and once by the invoice, so its VAT would be reported twice. Keep the Z revenue setting on "clearing" (the daily settlement then books invoice sales on the invoice clearing account 1530 only), or turn invoice transfer off.',
  nb: 'Fakturaoverføring er på samtidig som «ta med fakturert salg i Z-omsetningen» er på: hvert fakturasalg ville blitt bokført to ganger, som omsetning i dagsoppgjøret og av fakturaen, og mvaen ville blitt innberettet dobbelt. La Z-omsetningen stå på «mellomregning» (dagsoppgjøret fører da fakturasalg bare mot mellomregningskontoen 1530), eller slå av fakturaoverføringen.',
  sv: 'Fakturaöverföring är på samtidigt som "ta med fakturerad försäljning i Z-omsättningen" är på: varje fakturaförsäljning skulle bokföras två gånger, som omsättning i dagsavslutet och av fakturan, och momsen skulle redovisas dubbelt. Låt Z-omsättningen stå på "avräkning" (dagsavslutet bokför då fakturaförsäljning bara mot avräkningskontot 1530), eller stäng av fakturaöverföringen.',
};

/** The plain reason a configuration would book invoice revenue twice, or null when it would not. */
export function doubleBookingReason(config: InvoiceConfig, language: Language): string | null {
  return config.enabled && config.zRevenue === 'include' ? DOUBLE_BOOKING[language] : null;
}

/** Stores a target's invoice settings; a double-booking combination is refused and explained. */
export function saveInvoiceConfig(db: Db, targetId: string, config: InvoiceConfig, language: Language): void {
  const reason = doubleBookingReason(config, language);
  if (reason) throw new DoubleBookingError(reason);
  writeSetting(db, settingKey(targetId), invoiceConfigSchema.parse(config));
}
