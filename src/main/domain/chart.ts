/** The target's chart of accounts as far as validation needs it (fetched by a connector or imported). */
export interface ChartAccount {
  readonly number: string;
  readonly name: string;
  readonly active: boolean;
  /** The VAT code every posting on this account must use (Tripletex "vatLocked"), or null. */
  readonly lockedVatCode: string | null;
}

export interface VatCodeInfo {
  readonly code: string;
  readonly description: string;
  readonly rateBp: number | null;
}

export interface Chart {
  readonly accounts: ReadonlyMap<string, ChartAccount>;
  /** Null when the target's VAT codes are not known; then VAT codes are not checked. */
  readonly vatCodes: ReadonlyMap<string, VatCodeInfo> | null;
}

export function chartOf(accounts: readonly ChartAccount[], vatCodes: readonly VatCodeInfo[] | null): Chart {
  return {
    accounts: new Map(accounts.map((account) => [account.number, account])),
    vatCodes: vatCodes ? new Map(vatCodes.map((vat) => [vat.code, vat])) : null,
  };
}

/** "No VAT treatment" is written as null, "", or "0" depending on the target; they mean the same. */
export function sameVatCode(a: string | null | undefined, b: string | null | undefined): boolean {
  const normal = (code: string | null | undefined): string =>
    code === null || code === undefined || code === '' ? '0' : code;
  return normal(a) === normal(b);
}
