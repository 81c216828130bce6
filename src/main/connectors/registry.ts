import type { TargetKind } from '../../shared/targets';
import type { TargetRecord } from '../store/targets';
import type { Connector, ConnectorContext } from './connector';
import { createTripletexConnector } from './tripletex/connector';

type Factory = (context: ConnectorContext) => Connector;

/** The API targets that have a connector; adding one is a factory here plus its protocol module. */
export const CONNECTORS: Partial<Record<TargetKind, Factory>> = {
  tripletex: createTripletexConnector,
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
  return factory({
    ...context,
    targetId: target.id,
    settings: target.settings,
    secretRef: target.secretRef ?? target.id,
  });
}
