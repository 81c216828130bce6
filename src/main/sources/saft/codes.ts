import type { SettlementKey } from '../../../shared/settlement-keys';

/**
 * SAF-T predefined payment codes (basicType 12, resolved through company/basics) → settlement keys.
 * Data, not logic: change a row here (or pass an override per POS code) when a shop books a payment
 * type elsewhere. Codes left out (12008 bottle deposit, 12009 cheque, 12999 other) have no natural
 * key and stop the import with a message asking for a mapping, rather than being guessed.
 */
export const SAFT_PAYMENT_KEYS: Readonly<Record<string, SettlementKey>> = {
  '12001': 'cash',
  '12002': 'card_integrated',
  '12003': 'card_integrated',
  // Paid straight to the shop's bank account: a receivable until the bank statement shows it. UNCONFIRMED.
  '12004': 'invoice',
  '12005': 'gift_card_used',
  // Kundekonto: a sale on the customer's account (NOTES.md: credit sales are paid by 12006).
  '12006': 'invoice',
  '12007': 'customer_card_used',
  '12010': 'credit_note_used',
  '12011': 'vipps_integrated',
};

export const SAFT_PAYMENT_NAMES: Readonly<Record<string, string>> = {
  '12001': 'cash',
  '12002': 'debit card',
  '12003': 'credit card',
  '12004': 'bank account',
  '12005': 'gift token',
  '12006': 'customer account',
  '12007': 'loyalty/stamps',
  '12008': 'bottle deposit',
  '12009': 'cheque',
  '12010': 'credit note',
  '12011': 'mobile app (Vipps etc.)',
  '12999': 'other',
};

export const EVENT_X_REPORT = '13008';
export const EVENT_Z_REPORT = '13009';

/** basicType of each coded field (NOTES.md, "basicType"). */
export const BASIC_TYPE = { payment: '12', event: '13', transaction: '11', articleGroup: '04' } as const;

/** Exporters fill mandatory lists with placeholder rows like these when there is nothing to report. */
export function isDummyCode(code: string): boolean {
  return /^(none|n\/a|-)?$/i.test(code.trim());
}
