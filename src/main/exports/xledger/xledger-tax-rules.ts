/**
 * Xledger does not use the standard Norwegian SAF-T VAT codes on its lines: each Xledger entity
 * has its own list of **tax rules** (objects of kind TAX_RULE, listed by the GraphQL API). The
 * kontooppsett keeps the standard codes (preset `no-standard`: 3/31/33/5), and the Xledger export
 * translates them with this table; a target's `taxRules` setting overrides or extends it.
 *
 * UNCONFIRMED: these default tax rule codes are a starting point, not Xledger's published list —
 * check them against the entity's tax rules and set `taxRules` where they differ. A standard code
 * missing from the table stops the voucher (reported), it is never written without a tax rule.
 */
export const XLEDGER_TAX_RULES: Readonly<Record<string, string>> = {
  /** Utgående mva, alminnelig sats 25 % */
  '3': 'U25',
  /** Utgående mva, middels sats 15 % (næringsmidler) */
  '31': 'U15',
  /** Utgående mva, lav sats 12 % */
  '33': 'U12',
  /** Innenlands omsetning fritatt for mva (0 %) */
  '5': 'U0',
  /** Omsetning utenfor mva-loven */
  '6': 'UU',
};

/** The tax rule for a standard VAT code under these overrides; null = no rule known. */
export function xledgerTaxRule(vatCode: string, overrides: Readonly<Record<string, string>>): string | null {
  return overrides[vatCode] ?? XLEDGER_TAX_RULES[vatCode] ?? null;
}
