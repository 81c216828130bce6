import { describeSettlement, type SettlementRef } from '../../shared/problems';
import type { Language } from '../../shared/settlement-keys';
import { writeTransaction, type Db } from './database';
import { appendLog } from './integration-log';
import { deleteVouchersOf, REBUILDABLE_STATES } from './vouchers';

/** The settlement cannot be removed as asked; the message says why. */
export class SettlementRemovalError extends Error {
  constructor(
    message: string,
    readonly reason: 'not_found' | 'in_use',
  ) {
    super(message);
    this.name = 'SettlementRemovalError';
  }
}

const REMOVED: Readonly<Record<Language, (report: string, origin: string) => string>> = {
  en: (report, origin) => `${report} (${origin}) was removed by hand; it was never sent.`,
  nb: (report, origin) => `${report} (${origin}) ble fjernet manuelt; den var aldri sendt.`,
  sv: (report, origin) => `${report} (${origin}) togs bort manuellt; den skickades aldrig.`,
};

interface SettlementFacts {
  id: number;
  source: string;
  register_id: string;
  report_number: string;
  business_date: string;
  kind: 'Z' | 'X';
  source_ref: string | null;
}

/**
 * Removes a stored report whose voucher was never handed over (a corrupt or wrong report that
 * should not wait in the lists forever), with its lines and its unsent vouchers, and logs it.
 * A report whose voucher was queued, sent, posted or failed at any target stays: the record of
 * what may be in the accounting system must not disappear.
 */
export function removeSettlement(db: Db, id: number, language: Language, now = new Date()): SettlementRef {
  return writeTransaction(db, (): SettlementRef => {
    const row = db
      .prepare(
        'SELECT id, source, register_id, report_number, business_date, kind, source_ref FROM settlements WHERE id = ?',
      )
      .get(id) as SettlementFacts | undefined;
    if (!row) throw new SettlementRemovalError(`No stored settlement has id ${id}`, 'not_found');
    const ref: SettlementRef = {
      id: row.id,
      registerId: row.register_id,
      reportNumber: row.report_number,
      businessDate: row.business_date,
      kind: row.kind,
    };
    const unsent = REBUILDABLE_STATES.map(() => '?').join(', ');
    const handedOver = db
      .prepare(`SELECT target_id, state FROM vouchers WHERE settlement_id = ? AND state NOT IN (${unsent})`)
      .all(id, ...REBUILDABLE_STATES) as { target_id: string; state: string }[];
    if (handedOver.length > 0) {
      const where = handedOver.map((voucher) => `"${voucher.target_id}" (${voucher.state})`).join(', ');
      throw new SettlementRemovalError(
        `${describeSettlement(ref, 'en')} (settlement ${id}) stays: its voucher was handed to ${where}, so it may be ` +
          'in the accounting system and the record of it is kept.',
        'in_use',
      );
    }
    deleteVouchersOf(db, { settlementId: id });
    db.prepare('DELETE FROM settlement_lines WHERE settlement_id = ?').run(id);
    db.prepare('DELETE FROM settlements WHERE id = ?').run(id);
    const origin = [row.source, `register ${row.register_id}`, row.source_ref].filter(Boolean).join(', ');
    appendLog(
      db,
      {
        targetId: null,
        module: 'settlement',
        status: 'info',
        code: 'settlement_removed',
        message: REMOVED[language](describeSettlement(ref, language), origin),
      },
      now,
    );
    return ref;
  });
}
