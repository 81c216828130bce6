import { SETTLEMENT_KEYS, type SettlementKey } from '../../shared/settlement-keys';

const SALES_KEY_BY_RATE = new Map<number, SettlementKey>(
  Object.entries(SETTLEMENT_KEYS).flatMap(([key, info]) =>
    info.group === 'sales' && 'vatRateBp' in info ? [[info.vatRateBp, key as SettlementKey] as const] : [],
  ),
);

/** The sales key of a VAT rate in basis points (2500 → sales_25), or undefined for a rate the catalogue lacks. */
export function salesKeyForRate(rateBp: number): SettlementKey | undefined {
  return SALES_KEY_BY_RATE.get(rateBp);
}

/** "25.00" / "25" / "25,000" → 2500 basis points; undefined when it is not a plain percentage with ≤ 2 decimals. */
export function parseRateBp(text: string): number | undefined {
  const match = /^(\d{1,3})(?:[.,](\d+))?$/.exec(text.trim());
  if (!match) return undefined;
  const [, whole, fraction = ''] = match;
  if (/[1-9]/.test(fraction.slice(2))) return undefined;
  return Number(whole) * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
}
