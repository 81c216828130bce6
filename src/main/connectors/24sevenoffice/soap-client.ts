import type { Client, IHttpClient } from 'soap';
import { retryAfterMs } from '../../http/backoff';
import type { HttpClient } from '../../http/client';
import { ConnectorError } from '../errors';
import { faultError, httpError } from './errors';
import { KEEP_TEXT, SERVICES, wsdlPath, type ServiceName } from './services';

/**
 * soap's pluggable transport, so SOAP goes through our one HTTP layer: the target's rate limiter,
 * the timeout, Retry-After on 429 and the redacted capture for the integration log. Every call is
 * sent as non-idempotent there: .NET answers every fault (also "not authenticated") with HTTP 500,
 * which must reach us at once instead of being retried as a server error.
 */
function transport(http: HttpClient): IHttpClient {
  return {
    request(url, data, callback, headers = {}) {
      const { 'Content-Type': contentType, ...rest } = headers as Record<string, string>;
      const sent = http
        .request({
          method: 'POST',
          path: new URL(url).pathname,
          headers: { ...rest, accept: 'text/xml' },
          text: { contentType: contentType ?? 'text/xml; charset=utf-8', body: String(data) },
          idempotent: false,
        })
        .then(
          (response) => {
            const body = typeof response.body === 'string' ? response.body : '';
            if (!/<(\w+:)?Envelope[\s>]/.test(body)) {
              callback(httpError(response.status, body, retryAfterMs(response.headers)));
              return;
            }
            callback(
              null,
              { status: response.status, headers: Object.fromEntries(response.headers), data: body },
              body,
            );
          },
          (error: unknown) => callback(error),
        );
      return sent as never;
    },
  };
}

/** One SOAP operation: its result element's content, or a ConnectorError with the target's words. */
export type SoapCall = (
  service: ServiceName,
  operation: string,
  args: Record<string, unknown>,
  options?: { readonly headers?: Record<string, string>; readonly idempotent?: boolean },
) => Promise<Record<string, unknown>>;

/** Clients built from the shipped WSDLs on first use, pointed at `origin` (production or a sandbox). */
export function soapCaller(http: HttpClient, origin: string): SoapCall {
  const clients = new Map<ServiceName, Promise<Client>>();
  const client = (service: ServiceName): Promise<Client> => {
    let created = clients.get(service);
    if (!created) {
      // soap is loaded on the first call: the registry creates this connector's module for every
      // command, and soap with its XML and HTTP stack takes about a second to load.
      created = import('soap').then(({ createClientAsync }) =>
        createClientAsync(wsdlPath(service), {
          endpoint: origin.replace(/\/$/, '') + SERVICES[service].path,
          httpClient: transport(http),
          customDeserializer: KEEP_TEXT,
        }),
      );
      clients.set(service, created);
    }
    return created;
  };

  return async (service, operation, args, options = {}) => {
    const soap = await client(service);
    const method = soap[`${operation}Async`] as
      ((args: unknown, options: unknown, headers: unknown) => Promise<[unknown]>) | undefined;
    if (!method) throw new Error(`The ${service} WSDL has no operation ${operation}`);
    try {
      const [result] = await method.call(soap, args, {}, options.headers ?? {});
      return (result ?? {}) as Record<string, unknown>;
    } catch (error) {
      throw asConnectorError(error, options.idempotent ?? false);
    }
  };
}

function asConnectorError(error: unknown, idempotent: boolean): ConnectorError {
  if (error instanceof ConnectorError) {
    // A read that got no answer simply did not happen: "could not reach", not "unknown outcome".
    if (idempotent && error.code === 'unknown_outcome') {
      return new ConnectorError('offline', error.targetMessage, { ...error.detail, mayHaveArrived: false });
    }
    return error;
  }
  const fault = (
    error as { root?: { Envelope?: { Body?: { Fault?: { faultcode?: unknown; faultstring?: unknown } } } } }
  ).root?.Envelope?.Body?.Fault;
  const status = (error as { response?: { status?: number } }).response?.status ?? 500;
  if (fault) return faultError(String(fault.faultstring ?? ''), String(fault.faultcode ?? ''), status);
  return new ConnectorError('bad_request', error instanceof Error ? error.message : String(error), { status });
}
