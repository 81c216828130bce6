import { add, formatAmount, negate, ore, sum, type Ore } from '../../../shared/money';
import { keyInfo, type LineKey } from '../../../shared/settlement-keys';
import type { Settlement } from '../../domain/settlement';
import { listSettlements } from '../../store/settlements';
import type { CliContext } from '../context';
import { EXIT, table, type Output } from '../output';

function salesGross(settlement: Settlement): Ore {
  return sum(
    settlement.lines.filter((line) => keyInfo(line.key).group === 'sales').map((line) => add(line.amount, line.vat)),
  );
}

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
    salesGross: formatAmount(salesGross(settlement)),
    sales: salesByRate(settlement),
    payments: paymentsByMethod(settlement),
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
    rows.push([
      String(settlement.id),
      settlement.kind,
      settlement.registerId,
      settlement.reportNumber,
      settlement.businessDate,
      String(settlement.globalSequence ?? ''),
      String(settlement.lines.length),
      formatAmount(salesGross(settlement)),
    ]);
  }
  for (const row of table(rows, [0, 5, 6, 7])) out.line(row);
  out.line(`${settlements.length} settlements`);
  return EXIT.ok;
}
