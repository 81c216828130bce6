import { apiEventSchema, createApiClient, unwrapResponse, type ApiEvent, type KassebroApi } from '../../../shared/api';

const TOKEN_KEY = 'kassebro.token';

/**
 * In the desktop app the preload provides `window.kassebro`. In a browser opened by
 * `kassebro serve` the same API is reached over the local bridge: the session token comes in
 * the URL once, is kept for this tab only, and is removed from the address bar.
 */
export function connectApi(): KassebroApi {
  if (window.kassebro) return window.kassebro;
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url);
  }
  const token = sessionStorage.getItem(TOKEN_KEY) ?? '';
  let nextId = 0;
  const call = async (method: string, args: unknown): Promise<unknown> => {
    const response = await fetch('/api/call', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-kassebro-token': token },
      body: JSON.stringify({ id: ++nextId, method, args }),
    });
    return unwrapResponse(await response.json());
  };
  return createApiClient(call, (listener) => subscribeOverWebSocket(token, listener));
}

/** Events over a WebSocket that reconnects after a drop (the engine restarting, a sleeping laptop). */
function subscribeOverWebSocket(token: string, listener: (event: ApiEvent) => void): () => void {
  let socket: WebSocket | null = null;
  let stopped = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  const open = (): void => {
    socket = new WebSocket(`ws://${window.location.host}/api/events?token=${encodeURIComponent(token)}`);
    socket.onmessage = (message) => {
      const event = apiEventSchema.safeParse(JSON.parse(String(message.data)));
      if (event.success) listener(event.data);
    };
    socket.onclose = () => {
      if (!stopped) retry = setTimeout(open, 2000);
    };
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    socket?.close();
  };
}
