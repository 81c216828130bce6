import { tripletexTarget } from '../connectors/tripletex/target';
import type { SecretStore } from '../secrets/secret-store';
import type { Db } from '../store/database';
import { getTarget, saveTarget } from '../store/targets';
import { listVouchers } from '../store/vouchers';
import { syncTarget } from '../sync/run-target';
import { DEMO_TARGET_ID } from './run-demo';

export interface DemoPosted {
  readonly target: 'tripletex';
  /** Vouchers posted by this run. */
  readonly vouchers: number;
  /** Vouchers this run's sandbox holds, read back from it. */
  readonly sandboxVouchers: number;
  /** Idempotency keys the sandbox holds more than once (must be 0). */
  readonly duplicates: number;
  /** Posted by an earlier demo run (to an earlier, since stopped sandbox). */
  readonly postedBefore: number;
  /** Sandbox vouchers whose lines match the local voucher to the øre. */
  readonly matching: number;
}

/** The demo sandbox is generous: it shows the flow, not the real API's quota (see the bench for that). */
const DEMO_RATE = { requests: 1_000, perMs: 1_000 };

/**
 * Starts a Tripletex sandbox, points the demo target at it, sends every demo voucher through the
 * real sync engine and reads back what the sandbox holds.
 */
export async function postDemoToSandbox(db: Db, secrets: SecretStore): Promise<DemoPosted> {
  const sandbox = await tripletexTarget.startSandbox({ rateLimit: DEMO_RATE });
  try {
    const target = getTarget(db, DEMO_TARGET_ID);
    if (!target) throw new Error('The demo target is missing; run the demo load first');
    const postedBefore = listVouchers(db, { targetId: DEMO_TARGET_ID, states: ['posted'] }).length;
    saveTarget(db, {
      ...target,
      settings: { ...target.settings, ...sandbox.targetSettings() },
      secretRef: DEMO_TARGET_ID,
    });
    await secrets.set(DEMO_TARGET_ID, sandbox.credentials());
    const updated = getTarget(db, DEMO_TARGET_ID);
    if (!updated) throw new Error('The demo target vanished');
    const result = await syncTarget(db, updated, { secrets, tuning: { rateLimit: DEMO_RATE } });
    const held = sandbox.vouchers();
    const keys = held.map((voucher) => voucher.idempotencyKey);
    const local = new Map(
      listVouchers(db, { targetId: DEMO_TARGET_ID, states: ['posted'] }).map((stored) => [
        stored.idempotencyKey,
        stored,
      ]),
    );
    const matching = held.filter((voucher) => {
      const mine = voucher.idempotencyKey ? local.get(voucher.idempotencyKey)?.voucher : undefined;
      return (
        mine !== undefined &&
        mine !== null &&
        mine.lines.length === voucher.lines.length &&
        mine.lines.every(
          (line, index) =>
            voucher.lines[index]?.amountOre === line.amount && voucher.lines[index]?.account === line.account,
        )
      );
    }).length;
    return {
      target: 'tripletex',
      vouchers: result.posted,
      sandboxVouchers: held.length,
      duplicates: keys.length - new Set(keys).size,
      postedBefore,
      matching,
    };
  } finally {
    await sandbox.close();
  }
}
