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

// Errors the UI did not handle go to the engine's log, so a support bundle or log file shows them.
window.addEventListener('error', (event) => {
  void api.reportUiError({ message: String(event.message).slice(0, 2000) }).catch(() => undefined);
});
window.addEventListener('unhandledrejection', (event) => {
  const reason: unknown = event.reason;
  const message = reason instanceof Error ? reason.message : String(reason);
  const stack = reason instanceof Error ? reason.stack?.slice(0, 8000) : undefined;
  void api.reportUiError({ message: message.slice(0, 2000), ...(stack ? { stack } : {}) }).catch(() => undefined);
});
