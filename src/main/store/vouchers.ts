import { z } from 'zod';
import { ore } from '../../shared/money';
import type { Problem } from '../../shared/problems';
import { lineKeySchema } from '../../shared/line-key-schema';
import type { Voucher, VoucherLine } from '../vouchers/voucher';
import type { Db } from './database';

export type VoucherState = 'blocked' | 'skipped' | 'ready' | 'queued' | 'sending' | 'posted' | 'failed';

/** States in which a voucher is still derived data and may be rebuilt from its settlement. */
export const REBUILDABLE_STATES: readonly VoucherState[] = ['blocked', 'skipped', 'ready'];

export interface StoredVoucher {
  readonly id: number;
  readonly settlementId: number;
  readonly targetId: string;
  readonly idempotencyKey: string;
  readonly state: VoucherState;
  readonly voucher: Voucher | null;
  readonly problems: readonly Problem[];
  readonly externalId: string | null;
}

const storedLineSchema = z.object({
  key: lineKeySchema,
  role: z.enum(['entry', 'vat', 'residual']),
  account: z.string(),
  vatCode: z.string().nullable(),
  amount: z.number().int().transform(ore),
  impliedVat: z.number().int().transform(ore),
  department: z.string().nullable(),
  text: z.string(),
});
const storedLinesSchema = z.array(storedLineSchema);

interface VoucherRow {
  id: number;
  settlement_id: number;
  target_id: string;
  idempotency_key: string;
  state: VoucherState;
  date: string | null;
  description: string | null;
  lines: string;
  problems: string;
  external_id: string | null;
  register_id: string;
  report_number: string;
  business_date: string;
  kind: 'Z' | 'X';
}

export interface VoucherDraft {
  readonly settlementId: number;
  readonly targetId: string;
  readonly idempotencyKey: string;
  readonly state: 'blocked' | 'skipped' | 'ready';
  readonly voucher: Voucher | null;
  readonly problems: readonly Problem[];
}

/**
 * Writes the outcome of a build. A voucher that has left the rebuildable states (queued, sent,
 * posted…) is never touched again: what may already be in the target stays what we recorded.
 * Returns false when the stored voucher was frozen and kept.
 */
export function saveVoucherDraft(db: Db, draft: VoucherDraft, now = new Date()): boolean {
  const stamp = now.toISOString();
  const result = db
    .prepare(
      `INSERT INTO vouchers (settlement_id, target_id, idempotency_key, state, date, description, lines, problems,
         created_at, updated_at)
       VALUES (@settlementId, @targetId, @key, @state, @date, @description, @lines, @problems, @stamp, @stamp)
       ON CONFLICT (settlement_id, target_id) DO UPDATE SET
         state = excluded.state, date = excluded.date, description = excluded.description, lines = excluded.lines,
         problems = excluded.problems, updated_at = excluded.updated_at
       WHERE vouchers.state IN (${REBUILDABLE_STATES.map((state) => `'${state}'`).join(', ')})`,
    )
    .run({
      settlementId: draft.settlementId,
      targetId: draft.targetId,
      key: draft.idempotencyKey,
      state: draft.state,
      date: draft.voucher?.date ?? null,
      description: draft.voucher?.description ?? null,
      lines: JSON.stringify(draft.voucher?.lines ?? []),
      problems: JSON.stringify(draft.problems),
      stamp,
    });
  return result.changes > 0;
}

export interface VoucherQuery {
  readonly targetId: string;
  readonly settlementId?: number;
  readonly states?: readonly VoucherState[];
}

export function listVouchers(db: Db, query: VoucherQuery): StoredVoucher[] {
  const where = ['v.target_id = ?'];
  const params: unknown[] = [query.targetId];
  if (query.settlementId !== undefined) {
    where.push('v.settlement_id = ?');
    params.push(query.settlementId);
  }
  if (query.states) {
    where.push(`v.state IN (${query.states.map(() => '?').join(', ')})`);
    params.push(...query.states);
  }
  const rows = db
    .prepare(
      `SELECT v.*, s.register_id, s.report_number, s.business_date, s.kind
       FROM vouchers v JOIN settlements s ON s.id = v.settlement_id
       WHERE ${where.join(' AND ')} ORDER BY s.business_date, s.register_id, s.id`,
    )
    .all(...params) as VoucherRow[];
  return rows.map((row) => {
    const settlement = {
      id: row.settlement_id,
      registerId: row.register_id,
      reportNumber: row.report_number,
      businessDate: row.business_date,
      kind: row.kind,
    };
    const lines: VoucherLine[] = storedLinesSchema.parse(JSON.parse(row.lines));
    return {
      id: row.id,
      settlementId: row.settlement_id,
      targetId: row.target_id,
      idempotencyKey: row.idempotency_key,
      state: row.state,
      voucher:
        row.date !== null && row.description !== null
          ? { settlement, date: row.date, description: row.description, lines }
          : null,
      problems: JSON.parse(row.problems) as Problem[],
      externalId: row.external_id,
    };
  });
}

/**
 * Deletes the vouchers of one settlement or one target (the caller has checked none was handed
 * over); their integration-log rows stay, unlinked, as the record of what happened.
 */
export function deleteVouchersOf(
  db: Db,
  owner: { readonly settlementId: number } | { readonly targetId: string },
): void {
  const [column, value] =
    'settlementId' in owner ? ['settlement_id', owner.settlementId] : ['target_id', owner.targetId];
  db.prepare(
    `UPDATE integration_log SET voucher_id = NULL WHERE voucher_id IN (SELECT id FROM vouchers WHERE ${column} = ?)`,
  ).run(value);
  db.prepare(`DELETE FROM vouchers WHERE ${column} = ?`).run(value);
}
