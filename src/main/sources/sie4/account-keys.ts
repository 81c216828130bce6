import type { SettlementKey } from '../../../shared/settlement-keys';

export interface AccountKey {
  readonly key: SettlementKey;
  /** 'vat' accounts carry the output VAT of the key's sales; everything else is the amount itself. */
  readonly part?: 'vat';
}

/**
 * The POS's own BAS accounts in a daily SIE4 file → settlement keys. Every line keeps its account as
 * `sourceCode`, so a target on the same BAS chart can post it to the very same account; this table
 * only says what kind of money each account holds. Data, not logic: extend it (or pass an override
 * per shop) when a POS books on other accounts. An account that is not here is kept as a line of its
 * own (`account:5800`), which a BAS target posts to the same account and any other target must map.
 */
export const BAS_ACCOUNT_KEYS: Readonly<Record<string, AccountKey>> = {
  '1910': { key: 'cash' },
  '1580': { key: 'card_integrated' },
  '1930': { key: 'vipps_integrated' },
  '1510': { key: 'invoice' },
  '2420': { key: 'gift_card_used' },
  '2890': { key: 'tips_cash' },
  '3001': { key: 'sales_25' },
  '3002': { key: 'sales_12' },
  '3003': { key: 'sales_6' },
  '3004': { key: 'sales_0' },
  '2610': { key: 'sales_25', part: 'vat' },
  '2611': { key: 'sales_25', part: 'vat' },
  '2620': { key: 'sales_12', part: 'vat' },
  '2621': { key: 'sales_12', part: 'vat' },
  '2630': { key: 'sales_6', part: 'vat' },
  '2631': { key: 'sales_6', part: 'vat' },
  '3740': { key: 'rounding' },
};
