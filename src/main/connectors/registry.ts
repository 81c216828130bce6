import { z } from 'zod';
import type { TargetKind } from '../../shared/targets';
import type { TargetRecord } from '../store/targets';
import type { Connector, ConnectorContext } from './connector';
import { createFikenConnector } from './fiken/connector';
import { createTripletexConnector } from './tripletex/connector';

const rateLimitSchema = z.object({ requests: z.number().int().positive(), perMs: z.number().int().positive() });

type Factory = (context: ConnectorContext) => Connector;

/** The API targets that have a connector; adding one is a factory here plus its protocol module. */
export const CONNECTORS: Partial<Record<TargetKind, Factory>> = {
  tripletex: createTripletexConnector,
  fiken: createFikenConnector,
};

export function hasConnector(kind: TargetKind): boolean {
  return CONNECTORS[kind] !== undefined;
}

export function connectorFor(
  target: TargetRecord,
  context: Omit<ConnectorContext, 'targetId' | 'settings' | 'secretRef'>,
): Connector {
  const factory = CONNECTORS[target.kind];
  if (!factory) throw new Error(`Target kind "${target.kind}" has no API connector`);
  // A target may carry its own limit (a sandbox, or a customer with a raised quota).
  const rateLimit = rateLimitSchema.safeParse(target.settings['rateLimit']);
  return factory({
    ...context,
    targetId: target.id,
    settings: target.settings,
    secretRef: target.secretRef ?? target.id,
    tuning: { ...(rateLimit.success ? { rateLimit: rateLimit.data } : {}), ...context.tuning },
  });
}
