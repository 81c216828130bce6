import Database from 'better-sqlite3';
import { z } from 'zod';
import { describeProblem, SEVERITY_OF, type Problem, type ProblemCode } from '../../shared/problems';
import type { Language } from '../../shared/settlement-keys';
import { TARGETS, usesBasChart } from '../../shared/targets';
import { hasCountableAmounts, type Settlement } from '../domain/settlement';
import { writeTransaction, type Db } from '../store/database';
import { loadChart } from '../store/charts';
import { appendLog } from '../store/integration-log';
import { loadKontooppsett } from '../store/mappings';
import { readSetting } from '../store/settings';
import { listSettlements } from '../store/settlements';
import { getTarget } from '../store/targets';
import { listVouchers, saveVoucherDraft, type StoredVoucher, type VoucherState } from '../store/vouchers';
import { planInvoiceClearing, withInvoiceProblems, type InvoicePlan } from '../invoices/z-vouchers';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS, settlementRef, type BuildResult } from './build';
import { idempotencyKey } from './idempotency';
import { UnknownTargetError } from './unknown-target-error';

export { UnknownTargetError };

export const residualLimitsSchema = z
  .object({
    roundingToleranceOre: z.number().int().min(0).max(10_000),
    maxResidualOre: z.number().int().min(0),
  })
  .refine((limits) => limits.maxResidualOre >= limits.roundingToleranceOre, {
    message: 'maxResidualOre must be at least roundingToleranceOre',
  });

export const RESIDUAL_LIMITS_SETTING = 'vouchers.residualLimits';

/** Vouchers the sync engine has (or had) in hand: they may be at the target and are never rebuilt. */
const HANDED_OVER: readonly VoucherState[] = ['queued', 'sending', 'posted'];

export interface PrepareSummary {
  readonly zReports: number;
  readonly ready: number;
  readonly blocked: number;
  readonly skipped: number;
  /** Already queued or sent: left exactly as they were. */
  readonly frozen: number;
  readonly problems: readonly Problem[];
}

/** Problems that mean the report itself cannot become a voucher, whatever the mapping: logged when they appear. */
const UNBUILDABLE: readonly ProblemCode[] = ['amounts_too_large', 'build_failed'];

/** A report refused on its own, without summing anything of it. */
function refused(settlement: Settlement, code: 'amounts_too_large' | 'build_failed', error?: unknown): BuildResult {
  const detail = error instanceof Error ? error.message : error === undefined ? undefined : String(error);
  return {
    voucher: null,
    problems: [
      { code, severity: SEVERITY_OF[code], settlement: settlementRef(settlement), ...(detail ? { detail } : {}) },
    ],
  };
}

/**
 * Builds (or rebuilds) the voucher of every Z-report for one target and records the outcome.
 * Vouchers that were already handed to the sync engine are never rebuilt.
 */
export function prepareVouchers(db: Db, targetId: string, now = new Date()): PrepareSummary {
  const target = getTarget(db, targetId);
  if (!target) throw new UnknownTargetError(targetId);
  const definition = TARGETS[target.kind];
  const kontooppsett = loadKontooppsett(db, targetId);
  const chart = loadChart(db, targetId);
  const limitsSetting = readSetting(db, RESIDUAL_LIMITS_SETTING);
  const limits = limitsSetting === undefined ? DEFAULT_RESIDUAL_LIMITS : residualLimitsSchema.parse(limitsSetting);
  const language: Language = definition.language;

  const previous = new Map<number, StoredVoucher>(
    listVouchers(db, { targetId }).map((stored) => [stored.settlementId, stored]),
  );
  const problems: Problem[] = [];
  const counts = { ready: 0, blocked: 0, skipped: 0, frozen: 0 };
  const settlements = listSettlements(db, { kind: 'Z' });
  const invoicePlan = planInvoiceClearing(db, target);

  const build = (settlement: Settlement): { result: BuildResult; plan: InvoicePlan | null } => {
    if (!hasCountableAmounts(settlement)) return { result: refused(settlement, 'amounts_too_large'), plan: null };
    try {
      // Invoice sales sent as invoices leave the Z revenue for the invoice clearing key (docs/invoices.md).
      const plan = invoicePlan(settlement);
      const result = withInvoiceProblems(
        buildVoucher(plan.settlement, kontooppsett, {
          vatStyle: definition.vatStyle,
          language,
          chart,
          basChart: usesBasChart(definition),
          ...limits,
        }),
        plan.problems,
      );
      return { result, plan };
    } catch (error) {
      // One report that cannot be built must not stop the others; the database failing must.
      if (error instanceof Database.SqliteError) throw error;
      return { result: refused(settlement, 'build_failed', error), plan: null };
    }
  };

  writeTransaction(db, () => {
    for (const settlement of settlements) {
      const { result, plan } = build(settlement);
      const state = result.voucher
        ? 'ready'
        : result.problems.some((problem) => problem.severity === 'error')
          ? 'blocked'
          : 'skipped';
      const saved = saveVoucherDraft(
        db,
        {
          settlementId: settlement.id,
          targetId,
          idempotencyKey: idempotencyKey(targetId, settlement),
          state,
          voucher: result.voucher,
          problems: result.problems,
        },
        now,
      );
      if (!saved) {
        counts.frozen += 1;
        const sent = previous.get(settlement.id);
        // A failed voucher may still be rebuilt by a retry (and then clears the invoice); the others are final.
        if (plan && sent && HANDED_OVER.includes(sent.state)) {
          const clearing = sent.voucher?.lines.find((line) => line.key === 'invoice')?.account ?? null;
          for (const held of plan.holdLate(clearing, language, now)) {
            problems.push(held);
            appendLog(
              db,
              {
                targetId,
                module: 'invoice',
                status: 'not_transferred',
                code: held.code,
                message: describeProblem(held, language),
              },
              now,
            );
          }
        }
        continue;
      }
      counts[state] += 1;
      if (state === 'ready') plan?.enqueue(now);
      problems.push(...result.problems);
      if (state === 'skipped' && previous.get(settlement.id)?.state !== 'skipped') {
        const problem = result.problems[0];
        appendLog(
          db,
          {
            targetId,
            module: 'voucher',
            status: 'info',
            code: problem?.code ?? 'skipped',
            message: problem ? describeProblem(problem, language) : 'Skipped',
          },
          now,
        );
      }
      const unbuildable = result.problems.find((problem) => UNBUILDABLE.includes(problem.code));
      if (unbuildable && !previous.get(settlement.id)?.problems.some((problem) => problem.code === unbuildable.code)) {
        appendLog(
          db,
          {
            targetId,
            module: 'voucher',
            status: 'not_transferred',
            code: unbuildable.code,
            message: describeProblem(unbuildable, language),
          },
          now,
        );
      }
    }
  });

  return { zReports: settlements.length, ...counts, problems };
}
