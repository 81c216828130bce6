import { randomInt } from 'node:crypto';
import type { TargetKind } from '../../src/shared/targets';

/**
 * How much the SIGKILL tests do, all from the environment, so CI, `npm run stress` and a
 * reproduction differ only in variables:
 * - default (npm test, CI): the restart variant kills 200 times for Tripletex and 30 for each other
 *   API target; the slow-target variant 15 times, Tripletex only;
 * - `KASSEBRO_STRESS=1`: 200 kills for every API target in both variants;
 * - `KASSEBRO_SIGKILL_ITERATIONS=n` sets every count, `KASSEBRO_SIGKILL_TARGETS=fiken,fortnox` the targets;
 * - `KASSEBRO_SIGKILL_SEED=n` replays a run (every test prints its seed).
 */
export type SigkillVariant = 'restart' | 'slow-target';

const env = process.env;
const STRESS = env['KASSEBRO_STRESS'] === '1';
const FULL_KILLS = 200;
const DEFAULT_KILLS: Readonly<Record<SigkillVariant, { readonly tripletex: number; readonly other: number }>> = {
  restart: { tripletex: FULL_KILLS, other: 30 },
  'slow-target': { tripletex: 15, other: 0 },
};

/** Kills for one variant and target; 0 = the target does not run in this variant. */
export function killsFor(variant: SigkillVariant, kind: TargetKind): number {
  const only = env['KASSEBRO_SIGKILL_TARGETS']?.split(',');
  if (only && !only.includes(kind)) return 0;
  const fixed = env['KASSEBRO_SIGKILL_ITERATIONS'];
  if (fixed !== undefined) return Number(fixed);
  if (STRESS) return FULL_KILLS;
  const counts = DEFAULT_KILLS[variant];
  return kind === 'tripletex' ? counts.tripletex : counts.other;
}

/** The run's seed: given, or drawn once per test process (and printed by each test). */
export const SIGKILL_SEED =
  env['KASSEBRO_SIGKILL_SEED'] === undefined ? randomInt(2 ** 31) : Number(env['KASSEBRO_SIGKILL_SEED']);

/**
 * A seeded random stream (mulberry32) per test, so one target's run replays the same way whether
 * or not the others ran before it.
 */
export function seededRandom(label: string, seed: number = SIGKILL_SEED): () => number {
  let state = seed;
  for (const char of label) state = Math.imul(state ^ char.charCodeAt(0), 0x9e3779b1) >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), 1 | state);
    mixed = (mixed + Math.imul(mixed ^ (mixed >>> 7), 61 | mixed)) ^ mixed;
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}
