import { z } from 'zod';
import type { TargetKind } from '../../shared/targets';
import type { TargetRecord } from '../store/targets';
import type { ApiTarget } from './api-target';
import type { Connector, ConnectorContext, ConnectorTuning } from './connector';
import { tfsoTarget } from './24sevenoffice/target';
import { fikenTarget } from './fiken/target';
import { fortnoxTarget } from './fortnox/target';
import { powerOfficeTarget } from './poweroffice/target';
import { tripletexTarget } from './tripletex/target';
import { vismaEaccountingTarget } from './visma-eaccounting/target';

const rateLimitSchema = z.object({ requests: z.number().int().positive(), perMs: z.number().int().positive() });
const httpSchema = z.object({
  timeoutMs: z.number().int().positive().optional(),
  lookupMarginMs: z.number().int().min(0).optional(),
});

/** The API targets that have a connector; adding one is one entry here plus its folder. */
export const API_TARGETS: readonly ApiTarget[] = [
  tripletexTarget,
  fikenTarget,
  fortnoxTarget,
  powerOfficeTarget,
  vismaEaccountingTarget,
  tfsoTarget,
];

export function apiTarget(kind: TargetKind): ApiTarget | undefined {
  return API_TARGETS.find((target) => target.kind === kind);
}

export function hasConnector(kind: TargetKind): boolean {
  return apiTarget(kind) !== undefined;
}

/**
 * What a target carries over the defaults — its own rate limit (a sandbox, a customer with a raised
 * quota) and `http` timings (a slow accounting system, a sandbox) — with the caller's tuning on top.
 */
export function tuningFor(target: TargetRecord, tuning: Partial<ConnectorTuning> = {}): Partial<ConnectorTuning> {
  const rateLimit = rateLimitSchema.safeParse(target.settings['rateLimit']);
  const http = httpSchema.safeParse(target.settings['http']);
  return { ...(rateLimit.success ? { rateLimit: rateLimit.data } : {}), ...(http.success ? http.data : {}), ...tuning };
}

export function connectorFor(
  target: TargetRecord,
  context: Omit<ConnectorContext, 'targetId' | 'settings' | 'secretRef'>,
): Connector {
  const definition = apiTarget(target.kind);
  if (!definition) throw new Error(`Target kind "${target.kind}" has no API connector`);
  return definition.createConnector({
    ...context,
    targetId: target.id,
    settings: target.settings,
    secretRef: target.secretRef ?? target.id,
    tuning: tuningFor(target, context.tuning),
  });
}
