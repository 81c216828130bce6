import type { ApiEvent } from '../../../shared/api';
import { connectApi } from './api';

/** The one API connection of this window. */
export const api = connectApi();

const listeners = new Set<(event: ApiEvent) => void>();
api.onEvent((event) => {
  for (const listener of listeners) listener(event);
});

/** Screens subscribe here, so the window keeps a single event stream however many screens listen. */
export function onEngineEvent(listener: (event: ApiEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
