import type { HttpClient, HttpRequest, HttpResponse } from './client';

export interface AuthorizedClient {
  /** Sends with the current credentials; on 401 renews them once and sends again. */
  readonly call: (request: HttpRequest) => Promise<HttpResponse>;
  /** Renews the credentials; parallel callers that all found them stale share one renewal. */
  readonly refreshAuth: () => Promise<void>;
}

/**
 * The auth half every API connector shares: a header built from stored credentials, a
 * single-flight renewal (a second refresh with a single-use refresh token would lose it), and
 * exactly one retry after a 401.
 */
export function authorizedClient(
  http: HttpClient,
  authorization: () => Promise<string>,
  renew: () => Promise<void>,
): AuthorizedClient {
  let refreshing: Promise<void> | undefined;
  const refreshAuth = (): Promise<void> => {
    refreshing ??= renew().finally(() => {
      refreshing = undefined;
    });
    return refreshing;
  };
  const call = async (request: HttpRequest): Promise<HttpResponse> => {
    const send = async () =>
      http.request({ ...request, headers: { ...request.headers, authorization: await authorization() } });
    const first = await send();
    if (first.status !== 401) return first;
    await refreshAuth();
    return send();
  };
  return { call, refreshAuth };
}
