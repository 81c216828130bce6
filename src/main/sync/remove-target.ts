import { writeTransaction, type Db } from '../store/database';
import { deleteVouchersOf } from '../store/vouchers';

export class TargetInUseError extends Error {
  constructor(targetId: string, sent: number) {
    super(
      `Target "${targetId}" has ${sent} voucher(s) that were sent or are being sent; it stays so the record of what ` +
        'was posted is kept. Change its settings with "kassebro target add" instead.',
    );
    this.name = 'TargetInUseError';
  }
}

/**
 * Removes a target and its unsent vouchers, mapping and chart. A target that has ever sent a
 * voucher is kept: the record of what is in the accounting system must not disappear.
 */
export function removeTarget(db: Db, targetId: string): void {
  writeTransaction(db, () => {
    const sent = db
      .prepare(`SELECT COUNT(*) AS n FROM vouchers WHERE target_id = ? AND state IN ('sending', 'posted', 'failed')`)
      .get(targetId) as { n: number };
    if (sent.n > 0) throw new TargetInUseError(targetId, sent.n);
    deleteVouchersOf(db, { targetId });
    db.prepare('DELETE FROM sync_locks WHERE target_id = ?').run(targetId);
    db.prepare('DELETE FROM targets WHERE id = ?').run(targetId);
  });
}
