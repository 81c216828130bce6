import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';

/**
 * A misbehaviour the next matching request meets, so tests can reproduce what real targets do:
 * an error status (with Retry-After), a slow answer, or a connection dropped before or AFTER the
 * voucher was stored (the unknown-outcome case).
 */
export const faultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('status'),
    status: z.number().int().min(400).max(599),
    retryAfterSeconds: z.number().min(0).optional(),
  }),
  z.object({ kind: z.literal('delay'), ms: z.number().int().min(0) }),
  z.object({ kind: z.literal('drop-before-store') }),
  z.object({ kind: z.literal('drop-after-store') }),
]);
export type Fault = z.infer<typeof faultSchema>;

/** Which requests a fault applies to: posting a voucher, logging in, or any request. */
export type FaultScope = 'post' | 'auth' | 'any';

/** A voucher as the sandbox stored it, in øre, for tests and the demo to read back. */
export interface SandboxVoucher {
  readonly id: string;
  readonly number: string;
  readonly idempotencyKey: string | null;
  readonly date: string;
  readonly description: string;
  readonly lines: readonly { readonly account: string; readonly amountOre: number; readonly vatCode: string | null }[];
}

/** An invoice as a sandbox stored it, in øre, with the VAT the sandbox computed (as the target would). */
export interface SandboxInvoice {
  readonly id: string;
  readonly number: string;
  /** Our idempotency key, where the target keeps a field for it. */
  readonly idempotencyKey: string | null;
  readonly customerNumber: string | null;
  readonly date: string;
  readonly dueDate: string;
  /** Where the target books and marks invoices separately (Fortnox): booked, and marked as sent. */
  readonly booked?: boolean;
  readonly markedSent?: boolean;
  readonly lines: readonly {
    readonly productNumber: string | null;
    readonly vatCode: string;
    readonly netOre: number;
    readonly vatOre: number;
  }[];
}

export interface SandboxCustomer {
  readonly id: string;
  readonly customerNumber: string | null;
  readonly name: string;
  readonly organizationNumber: string | null;
  readonly email: string | null;
  readonly hasAddress: boolean;
}

/** The invoice side of a sandbox that has one (customers, products, invoices and their errors). */
export interface InvoiceSandboxControl {
  invoices(): readonly SandboxInvoice[];
  customers(): readonly SandboxCustomer[];
  /** Adds a customer as if someone made it in the target (to test matching). */
  addCustomer(customer: Omit<SandboxCustomer, 'id'>): SandboxCustomer;
  /** Refuses invoices to customers without a postal address (EHF/letter), as targets do. */
  requireCustomerAddress(on: boolean): void;
  /** Gives a customer an address, as the owner would when fixing a refused invoice. */
  setCustomerAddress(customerNumber: string): void;
  /** The number the target gives its next invoice (to provoke a number-series conflict). */
  setNextInvoiceNumber(next: number): void;
}

/** What every sandbox offers its test or demo, in process or over `/_sandbox/*`. */
export interface SandboxControl {
  readonly url: string;
  inject(scope: FaultScope, fault: Fault, times?: number): void;
  vouchers(): readonly SandboxVoucher[];
  /** Makes an account inactive / locked to a VAT code / missing, as the accountant might. */
  setAccount(number: string, change: { active?: boolean; lockedVatCode?: string | null; exists?: boolean }): void;
  /** Posting on or before this date is refused as a locked period (null opens everything). */
  lockPeriodThrough(date: string | null): void;
  /** Invalidates every issued access/session token (as if expired or revoked). */
  expireTokens(): void;
  /** Makes the login credentials themselves invalid (revoked token / refresh token already used). */
  revokeCredentials(): void;
  /** Rejects a voucher whose reference/number is already used (Tripletex "Nummeret er allerede i bruk"). */
  rejectDuplicates(on: boolean): void;
  /** Present on sandboxes of targets that take invoices. */
  readonly invoicing?: InvoiceSandboxControl;
  /** Requests served so far (for rate-limit measurements). */
  requestCount(): number;
  /** Requests received whose answer has not been sent yet (a kill now is a kill mid-request). */
  inFlight(): number;
  close(): Promise<void>;
}

export interface SandboxRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
  /** Ends the TCP connection without an answer. */
  readonly drop: () => void;
}

export interface SandboxReply {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Faults waiting for requests, consumed first-come per scope. */
export class FaultQueue {
  private readonly pending: { scope: FaultScope; fault: Fault }[] = [];

  add(scope: FaultScope, fault: Fault, times = 1): void {
    for (let index = 0; index < times; index += 1) this.pending.push({ scope, fault });
  }

  /** The next fault for a request of this kind ('other' = neither login nor posting). */
  take(kind: 'post' | 'auth' | 'other'): Fault | undefined {
    const index = this.pending.findIndex((entry) => entry.scope === kind || entry.scope === 'any');
    if (index < 0) return undefined;
    return this.pending.splice(index, 1)[0]?.fault;
  }
}

/** Answers a status fault the way the target's error envelope looks, with Retry-After when asked. */
export function statusFaultReply(fault: Extract<Fault, { kind: 'status' }>, body: unknown): SandboxReply {
  return {
    status: fault.status,
    body,
    headers: fault.retryAfterSeconds === undefined ? {} : { 'retry-after': String(fault.retryAfterSeconds) },
  };
}

const controlFaultSchema = z.object({
  scope: z.enum(['post', 'auth', 'any']),
  fault: faultSchema,
  times: z.number().int().min(1).default(1),
});
const controlAccountSchema = z.object({
  number: z.string(),
  active: z.boolean().optional(),
  lockedVatCode: z.string().nullable().optional(),
  exists: z.boolean().optional(),
});

/**
 * Serves a sandbox on 127.0.0.1: JSON bodies in and out, plus `/_sandbox/*` control endpoints so a
 * sandbox started as its own process (`kassebro sandbox NAME`) can be steered and read back.
 */
export async function serveSandbox(
  port: number,
  handle: (request: SandboxRequest) => Promise<SandboxReply | null>,
  control: Omit<SandboxControl, 'url' | 'close' | 'requestCount' | 'inFlight'>,
): Promise<{ url: string; close: () => Promise<void>; requestCount: () => number; inFlight: () => number }> {
  let served = 0;
  let active = 0;
  const server: Server = createServer((incoming, outgoing) => {
    served += 1;
    active += 1;
    void dispatch(incoming, outgoing)
      .catch((error: unknown) => {
        if (!outgoing.headersSent) send(outgoing, { status: 500, body: { message: String(error) } });
      })
      .finally(() => {
        active -= 1;
      });
  });

  async function dispatch(incoming: IncomingMessage, outgoing: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? '/', 'http://127.0.0.1');
    const text = await readBody(incoming);
    const body = parseRequestBody(text, incoming.headers['content-type']);
    if (url.pathname.startsWith('/_sandbox/')) {
      send(outgoing, controlRequest(incoming.method ?? 'GET', url.pathname, body, control));
      return;
    }
    const reply = await handle({
      method: incoming.method ?? 'GET',
      url,
      headers: incoming.headers,
      body,
      drop: () => incoming.socket.destroy(),
    });
    if (reply) send(outgoing, reply);
  }

  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    requestCount: () => served,
    inFlight: () => active,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function controlRequest(
  method: string,
  path: string,
  body: unknown,
  control: Omit<SandboxControl, 'url' | 'close' | 'requestCount' | 'inFlight'>,
): SandboxReply {
  if (method === 'GET' && path === '/_sandbox/vouchers') return { status: 200, body: control.vouchers() };
  if (method === 'GET' && path === '/_sandbox/invoices' && control.invoicing) {
    return { status: 200, body: control.invoicing.invoices() };
  }
  if (method === 'POST' && path === '/_sandbox/faults') {
    const parsed = controlFaultSchema.parse(body);
    control.inject(parsed.scope, parsed.fault, parsed.times);
    return { status: 204 };
  }
  if (method === 'POST' && path === '/_sandbox/accounts') {
    const { number, ...change } = controlAccountSchema.parse(body);
    control.setAccount(number, change);
    return { status: 204 };
  }
  if (method === 'POST' && path === '/_sandbox/expire-tokens') {
    control.expireTokens();
    return { status: 204 };
  }
  return { status: 404, body: { message: `No sandbox control ${method} ${path}` } };
}

function send(outgoing: ServerResponse, reply: SandboxReply): void {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) {
    outgoing.writeHead(reply.status, headers).end();
    return;
  }
  // A reply that names its own content type (SOAP XML) is sent as the text it is.
  if (typeof reply.body === 'string' && headers['content-type']) {
    outgoing.writeHead(reply.status, headers).end(reply.body);
    return;
  }
  headers['content-type'] = 'application/json; charset=utf-8';
  outgoing.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
}

async function readBody(incoming: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of incoming) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseRequestBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (contentType?.includes('application/x-www-form-urlencoded')) {
    return Object.fromEntries(new URLSearchParams(text));
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A fixed-window request limit like the real APIs', answering 429 when exhausted. */
export class WindowLimit {
  private windowStart = 0;
  private used = 0;

  constructor(
    readonly requests: number,
    readonly perMs: number,
  ) {}

  /** Counts one request; returns the remaining count, or the ms until the window resets when exhausted. */
  take(now = Date.now()): { allowed: boolean; remaining: number; resetMs: number } {
    if (now - this.windowStart >= this.perMs) {
      this.windowStart = now;
      this.used = 0;
    }
    const resetMs = this.windowStart + this.perMs - now;
    if (this.used >= this.requests) return { allowed: false, remaining: 0, resetMs };
    this.used += 1;
    return { allowed: true, remaining: this.requests - this.used, resetMs };
  }
}
