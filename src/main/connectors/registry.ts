import { z } from 'zod';
import type { TargetKind } from '../../shared/targets';
import type { TargetRecord } from '../store/targets';
import type { ApiTarget } from './api-target';
import type { Connector, ConnectorContext } from './connector';
import { tfsoTarget } from './24sevenoffice/target';
import { fikenTarget } from './fiken/target';
import { fortnoxTarget } from './fortnox/target';
import { powerOfficeTarget } from './poweroffice/target';
import { tripletexTarget } from './tripletex/target';
import { vismaEaccountingTarget } from './visma-eaccounting/target';

const rateLimitSchema = z.object({ requests: z.number().int().positive(), perMs: z.number().int().positive() });

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

export function connectorFor(
  target: TargetRecord,
  context: Omit<ConnectorContext, 'targetId' | 'settings' | 'secretRef'>,
): Connector {
  const definition = apiTarget(target.kind);
  if (!definition) throw new Error(`Target kind "${target.kind}" has no API connector`);
  // A target may carry its own limit (a sandbox, or a customer with a raised quota).
  const rateLimit = rateLimitSchema.safeParse(target.settings['rateLimit']);
  return definition.createConnector({
    ...context,
    targetId: target.id,
    settings: target.settings,
    secretRef: target.secretRef ?? target.id,
    tuning: { ...(rateLimit.success ? { rateLimit: rateLimit.data } : {}), ...context.tuning },
  });
}
