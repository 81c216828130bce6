/**
 * The settlement keys ("poster" in a Norwegian kontooppsett): every kind of amount a Z-report can hold.
 *
 * `side` is where a positive amount lands on the voucher. Payment means and assets received are
 * debits; sales, VAT and liabilities taken on are credits. A negative amount (refund day, returned
 * gift card) flips to the other side, so sources keep the POS's own sign.
 */
export type Side = 'debit' | 'credit';

/** `account`: a line the POS booked to an account of its own that no settlement key stands for. */
export type KeyGroup = 'sales' | 'payment' | 'cash' | 'liability' | 'tips' | 'adjustment' | 'stock' | 'account';

export interface SettlementKeyInfo {
  readonly side: Side;
  readonly group: KeyGroup;
  /** VAT rate in basis points for sales keys (2500 = 25 %). */
  readonly vatRateBp?: number;
  readonly label: { readonly nb: string; readonly sv: string; readonly en: string };
}

export const SETTLEMENT_KEYS = {
  sales_25: {
    side: 'credit',
    group: 'sales',
    vatRateBp: 2500,
    label: { nb: 'Salg 25 % mva', sv: 'Försäljning 25 % moms', en: 'Sales 25 % VAT' },
  },
  sales_15: {
    side: 'credit',
    group: 'sales',
    vatRateBp: 1500,
    label: { nb: 'Salg 15 % mva (mat)', sv: 'Försäljning 15 % moms', en: 'Sales 15 % VAT (food)' },
  },
  sales_12: {
    side: 'credit',
    group: 'sales',
    vatRateBp: 1200,
    label: { nb: 'Salg 12 % mva', sv: 'Försäljning 12 % moms', en: 'Sales 12 % VAT' },
  },
  sales_6: {
    side: 'credit',
    group: 'sales',
    vatRateBp: 600,
    label: { nb: 'Salg 6 % mva', sv: 'Försäljning 6 % moms', en: 'Sales 6 % VAT' },
  },
  sales_0: {
    side: 'credit',
    group: 'sales',
    vatRateBp: 0,
    label: { nb: 'Salg 0 % mva (fritatt)', sv: 'Momsfri försäljning', en: 'Sales 0 % VAT (exempt)' },
  },
  card_integrated: {
    side: 'debit',
    group: 'payment',
    label: { nb: 'Bankterminal integrert', sv: 'Kortterminal integrerad', en: 'Card terminal (integrated)' },
  },
  card_manual: {
    side: 'debit',
    group: 'payment',
    label: { nb: 'Bankterminal manuell', sv: 'Kortterminal fristående', en: 'Card terminal (manual)' },
  },
  vipps_integrated: {
    side: 'debit',
    group: 'payment',
    label: { nb: 'Vipps integrert', sv: 'Vipps integrerad', en: 'Vipps (integrated)' },
  },
  vipps_manual: {
    side: 'debit',
    group: 'payment',
    label: { nb: 'Vipps manuell', sv: 'Vipps manuell', en: 'Vipps (manual)' },
  },
  invoice: {
    side: 'debit',
    group: 'payment',
    label: { nb: 'Faktura (kreditsalg)', sv: 'Faktura (kreditförsäljning)', en: 'Invoice (sale on account)' },
  },
  cash: {
    side: 'debit',
    group: 'cash',
    label: { nb: 'Kontant', sv: 'Kontant', en: 'Cash' },
  },
  cash_float: {
    side: 'debit',
    group: 'cash',
    label: { nb: 'Vekselkasse', sv: 'Växelkassa', en: 'Cash float' },
  },
  cash_withdrawal: {
    side: 'debit',
    group: 'cash',
    label: { nb: 'Kontantuttak', sv: 'Kontantuttag', en: 'Cash withdrawal' },
  },
  cash_deposit: {
    side: 'credit',
    group: 'cash',
    label: { nb: 'Kontantinnskudd', sv: 'Kontantinsättning', en: 'Cash deposit' },
  },
  gift_card_used: {
    side: 'debit',
    group: 'liability',
    label: { nb: 'Gavekort brukt', sv: 'Presentkort inlöst', en: 'Gift card used' },
  },
  gift_card_issued: {
    side: 'credit',
    group: 'liability',
    label: { nb: 'Gavekort utstedt', sv: 'Presentkort sålt', en: 'Gift card issued' },
  },
  credit_note_used: {
    side: 'debit',
    group: 'liability',
    label: { nb: 'Tilgodelapp brukt', sv: 'Tillgodokvitto inlöst', en: 'Credit note used' },
  },
  credit_note_issued: {
    side: 'credit',
    group: 'liability',
    label: { nb: 'Tilgodelapp utstedt', sv: 'Tillgodokvitto utfärdat', en: 'Credit note issued' },
  },
  customer_card_used: {
    side: 'debit',
    group: 'liability',
    label: { nb: 'Kundekort brukt', sv: 'Kundkort använt', en: 'Customer card used' },
  },
  customer_card_topup: {
    side: 'credit',
    group: 'liability',
    label: { nb: 'Kundekort påfylt', sv: 'Kundkort laddat', en: 'Customer card top-up' },
  },
  tips_cash: {
    side: 'credit',
    group: 'tips',
    label: { nb: 'Tips kontant', sv: 'Dricks kontant', en: 'Tips (cash)' },
  },
  tips_terminal_manual: {
    side: 'credit',
    group: 'tips',
    label: { nb: 'Tips manuell terminal', sv: 'Dricks fristående terminal', en: 'Tips (manual terminal)' },
  },
  tips_terminal_integrated: {
    side: 'credit',
    group: 'tips',
    label: {
      nb: 'Tips integrert terminal',
      sv: 'Dricks integrerad terminal',
      en: 'Tips (integrated terminal)',
    },
  },
  tips_vipps: {
    side: 'credit',
    group: 'tips',
    label: { nb: 'Tips via Vipps', sv: 'Dricks via Vipps', en: 'Tips via Vipps' },
  },
  tips_settlement: {
    side: 'debit',
    group: 'tips',
    label: { nb: 'Tips utbetalt', sv: 'Dricks utbetald', en: 'Tips paid out' },
  },
  difference: {
    side: 'credit',
    group: 'adjustment',
    label: { nb: 'Kassedifferanse (avvik)', sv: 'Kassadifferens', en: 'Cash difference' },
  },
  rounding: {
    side: 'credit',
    group: 'adjustment',
    label: { nb: 'Øreavrunding', sv: 'Öresavrundning', en: 'Rounding' },
  },
  stock: {
    side: 'credit',
    group: 'stock',
    label: { nb: 'Varelager', sv: 'Varulager', en: 'Stock' },
  },
  cost_of_goods: {
    side: 'debit',
    group: 'stock',
    label: { nb: 'Varekostnad', sv: 'Varukostnad', en: 'Cost of goods sold' },
  },
} as const satisfies Record<string, SettlementKeyInfo>;

export type SettlementKey = keyof typeof SETTLEMENT_KEYS;

export const ALL_SETTLEMENT_KEYS = Object.keys(SETTLEMENT_KEYS) as SettlementKey[];

export function isSettlementKey(value: string): value is SettlementKey {
  return Object.hasOwn(SETTLEMENT_KEYS, value);
}

/**
 * A line kept under the POS's own ledger account (SIE4 `account:5800`) because no settlement key
 * stands for it. It posts to that account number on a BAS target and must be mapped for any other.
 */
export type AccountLineKey = `account:${string}`;

/** What a settlement or voucher line is keyed by. */
export type LineKey = SettlementKey | AccountLineKey;

const ACCOUNT_KEY = /^account:(\d+)$/;

export function accountLineKey(account: string): AccountLineKey {
  return `account:${account}`;
}

/** The POS account an account line key stands for, or null for a settlement key. */
export function accountOfLineKey(key: string): string | null {
  return ACCOUNT_KEY.exec(key)?.[1] ?? null;
}

export function isLineKey(value: string): value is LineKey {
  return isSettlementKey(value) || accountOfLineKey(value) !== null;
}

export function keyInfo(key: LineKey): SettlementKeyInfo {
  const account = accountOfLineKey(key);
  if (account === null) return SETTLEMENT_KEYS[key as SettlementKey];
  // SIE amounts are debit-positive and the line keeps the file's sign, so the voucher balances as the file did.
  return {
    side: 'debit',
    group: 'account',
    label: { nb: `Kassens konto ${account}`, sv: `Kassans konto ${account}`, en: `POS account ${account}` },
  };
}

export type Language = 'nb' | 'sv' | 'en';
export const LANGUAGES: readonly Language[] = ['nb', 'sv', 'en'];
