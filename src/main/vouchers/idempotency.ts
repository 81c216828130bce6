import { createHash } from 'node:crypto';
import { settlementIdentity, type SettlementDraft } from '../domain/settlement';

/**
 * Derived, never random: the same report for the same target always gets the same key, so after
 * a crash the engine can ask the target whether it already holds the voucher.
 */
export function idempotencyKey(
  targetId: string,
  settlement: Pick<SettlementDraft, 'source' | 'location' | 'registerId' | 'kind' | 'reportNumber'>,
): string {
  const digest = createHash('sha256')
    .update(`${targetId}\n${settlementIdentity(settlement)}`)
    .digest('hex');
  return `kb1-${digest.slice(0, 32)}`;
}
