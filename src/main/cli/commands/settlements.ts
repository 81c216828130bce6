import { add, formatAmount, negate, ore, type Ore } from '../../../shared/money';
import { describeSettlement, type SettlementRef } from '../../../shared/problems';
import { keyInfo, type LineKey } from '../../../shared/settlement-keys';
import { grossSales, type Settlement } from '../../domain/settlement';
import { removeSettlement, SettlementRemovalError } from '../../store/remove-settlement';
import { listSettlements } from '../../store/settlements';
import type { CliContext } from '../context';
import { CliError, EXIT, table, type Output } from '../output';

/** The keys that are means of payment on a Z report (money or value received for the sales). */
const PAYMENT_KEYS = new Set<LineKey>(['cash', 'gift_card_used', 'credit_note_used', 'customer_card_used']);

function isPayment(key: LineKey): boolean {
  return keyInfo(key).group === 'payment' || PAYMENT_KEYS.has(key);
}

/** Debit positive, credit negative: how the line lands on a voucher. */
function signed(key: LineKey, amount: Ore): Ore {
  return keyInfo(key).side === 'debit' ? amount : negate(amount);
}

function salesByRate(settlement: Settlement): { ratePercent: number; net: string; vat: string; gross: string }[] {
  const rates = new Map<number, { net: Ore; vat: Ore }>();
  for (const line of settlement.lines) {
    const info = keyInfo(line.key);
    if (info.group !== 'sales') continue;
    const rate = info.vatRateBp ?? 0;
    const entry = rates.get(rate) ?? { net: ore(0), vat: ore(0) };
    rates.set(rate, { net: add(entry.net, line.amount), vat: add(entry.vat, line.vat) });
  }
  return [...rates.entries()]
    .sort(([a], [b]) => b - a)
    .map(([rate, { net, vat }]) => ({
      ratePercent: rate / 100,
      net: formatAmount(net),
      vat: formatAmount(vat),
      gross: formatAmount(add(net, vat)),
    }));
}

function paymentsByMethod(settlement: Settlement): { method: LineKey; amount: string }[] {
  const methods = new Map<LineKey, Ore>();
  for (const line of settlement.lines) {
    if (isPayment(line.key)) methods.set(line.key, add(methods.get(line.key) ?? ore(0), line.amount));
  }
  return [...methods.entries()].map(([method, amount]) => ({ method, amount: formatAmount(amount) }));
}

export function settlementToJson(settlement: Settlement): unknown {
  const gross = grossSales(settlement);
  return {
    id: settlement.id,
    source: settlement.source,
    location: settlement.location,
    registerId: settlement.registerId,
    kind: settlement.kind,
    number: settlement.reportNumber,
    globalSequence: settlement.globalSequence ?? null,
    businessDate: settlement.businessDate,
    openedAt: settlement.openedAt ?? null,
    closedAt: settlement.closedAt ?? null,
    currency: settlement.currency,
    // A report too large to total (see hasCountableAmounts) is listed with its lines but no totals.
    amountsCountable: gross !== null,
    salesGross: gross === null ? null : formatAmount(gross),
    sales: gross === null ? [] : salesByRate(settlement),
    payments: gross === null ? [] : paymentsByMethod(settlement),
    // Signed as on a voucher (debit positive); for a sales line `amount` is the net and `vat` its VAT.
    lines: settlement.lines.map((line) => ({
      key: line.key,
      amount: formatAmount(signed(line.key, line.amount)),
      vat: formatAmount(signed(line.key, line.vat)),
      department: line.department ?? null,
      sourceCode: line.sourceCode ?? null,
      sourceAccount: line.sourceAccount ?? null,
    })),
    warnings: settlement.warnings ?? [],
  };
}

export function settlementsCommand(context: CliContext, out: Output): number {
  const settlements = listSettlements(context.db);
  if (out.json) {
    out.data(settlements.map(settlementToJson));
    return EXIT.ok;
  }
  const rows = [['id', 'kind', 'register', 'number', 'date', 'seq', 'lines', 'sales gross']];
  for (const settlement of settlements) {
    const gross = grossSales(settlement);
    rows.push([
      String(settlement.id),
      settlement.kind,
      settlement.registerId,
      settlement.reportNumber,
      settlement.businessDate,
      String(settlement.globalSequence ?? ''),
      String(settlement.lines.length),
      gross === null ? 'too large to total' : formatAmount(gross),
    ]);
  }
  for (const row of table(rows, [0, 5, 6, 7])) out.line(row);
  out.line(`${settlements.length} settlements`);
  return EXIT.ok;
}

export function settlementsRemove(context: CliContext, out: Output, idOption: string): number {
  const id = Number(idOption);
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new CliError(`the settlement id must be a positive whole number, not "${idOption}"`);
  }
  let removed: SettlementRef;
  try {
    removed = removeSettlement(context.db, id, out.language);
  } catch (error) {
    if (error instanceof SettlementRemovalError) {
      throw new CliError(error.message, error.reason === 'in_use' ? EXIT.problems : EXIT.usage);
    }
    throw error;
  }
  if (out.json) out.data({ removed });
  else out.line(`Removed ${describeSettlement(removed, out.language)} (settlement ${removed.id}).`);
  return EXIT.ok;
}
