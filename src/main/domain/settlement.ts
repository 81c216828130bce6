import { add, sum, type Ore } from '../../shared/money';
import { keyInfo, type LineKey } from '../../shared/settlement-keys';

/** Z closes the register's day and is posted; X is an interim read-out and is never posted. */
export type ReportKind = 'Z' | 'X';

export interface SettlementLine {
  readonly key: LineKey;
  /** For sales keys the net amount (excl. VAT); for every other key the amount itself. */
  readonly amount: Ore;
  /** Output VAT of a sales line; 0 for every other key. */
  readonly vat: Ore;
  /** A sub-department within the location, when the POS reports sales per department. */
  readonly department?: string;
  /** The POS's own code or label for this line, kept so a mapping error can name it. */
  readonly sourceCode?: string;
  /** The POS's own ledger account, when the source names one (SIE4 always; SAF-T `accID`). */
  readonly sourceAccount?: string;
}

/** What a source produces: one POS report, money already in øre. */
export interface SettlementDraft {
  readonly source: string;
  readonly location: string;
  readonly registerId: string;
  readonly kind: ReportKind;
  /** Per-register report number as the POS prints it, e.g. "33/10009". */
  readonly reportNumber: string;
  /** Global sequence across all reports of all registers (kasseoppgjør-ID), when the source has one. */
  readonly globalSequence?: number;
  /** Business date (YYYY-MM-DD) the report belongs to, which may differ from the closing timestamp. */
  readonly businessDate: string;
  readonly openedAt?: string;
  readonly closedAt?: string;
  readonly currency: string;
  readonly lines: readonly SettlementLine[];
  /** Where it came from, for error messages: a file path and line, or a database row. */
  readonly sourceRef?: string;
  readonly warnings?: readonly string[];
}

export interface Settlement extends SettlementDraft {
  readonly id: number;
  readonly importedAt: string;
}

/** Identity of a report: the same report read twice, from any file, is the same settlement. */
export function settlementIdentity(
  settlement: Pick<SettlementDraft, 'source' | 'location' | 'registerId' | 'kind' | 'reportNumber'>,
): string {
  return [settlement.source, settlement.location, settlement.registerId, settlement.kind, settlement.reportNumber].join(
    '|',
  );
}

export function hasPostings(settlement: Pick<SettlementDraft, 'lines'>): boolean {
  return settlement.lines.some((line) => line.amount !== 0 || line.vat !== 0);
}

/**
 * Whether every total of the report can be counted to the øre: the sum of all its amounts and
 * VAT, taken positive, is a safe integer, so no sum of its lines can overflow. A report beyond it
 * (only a corrupt or hostile file gets there) is never summed: it is refused on its own.
 */
export function hasCountableAmounts(settlement: Pick<SettlementDraft, 'lines'>): boolean {
  let total = 0n;
  for (const line of settlement.lines) total += BigInt(Math.abs(line.amount)) + BigInt(Math.abs(line.vat));
  return total <= BigInt(Number.MAX_SAFE_INTEGER);
}

/** Sales including VAT, as the POS prints them; null for a report whose amounts cannot be counted. */
export function grossSales(settlement: Pick<SettlementDraft, 'lines'>): Ore | null {
  if (!hasCountableAmounts(settlement)) return null;
  return sum(
    settlement.lines.filter((line) => keyInfo(line.key).group === 'sales').map((line) => add(line.amount, line.vat)),
  );
}
