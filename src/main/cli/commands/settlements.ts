import { add, formatAmount, sum, type Ore } from '../../../shared/money';
import { SETTLEMENT_KEYS } from '../../../shared/settlement-keys';
import type { Settlement } from '../../domain/settlement';
import { listSettlements } from '../../store/settlements';
import type { CliContext } from '../context';
import { EXIT, table, type Output } from '../output';

function salesGross(settlement: Settlement): Ore {
  return sum(
    settlement.lines
      .filter((line) => SETTLEMENT_KEYS[line.key].group === 'sales')
      .map((line) => add(line.amount, line.vat)),
  );
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
    lines: settlement.lines.map((line) => ({
      key: line.key,
      amount: formatAmount(line.amount),
      vat: formatAmount(line.vat),
      department: line.department ?? null,
      sourceCode: line.sourceCode ?? null,
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
