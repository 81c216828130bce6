import type { z } from 'zod';
import type { TargetKind } from '../../shared/targets';
import type { OAuthEndpoints } from '../http/oauth2';
import type { SandboxControl } from '../sandboxes/server';
import type { Connector, ConnectorContext } from './connector';

export interface SandboxStartOptions {
  readonly port?: number;
  /** Access/session token lifetime; short values make tests meet renewal. */
  readonly tokenTtlMs?: number;
  /** Requests per window before the sandbox answers 429. */
  readonly rateLimit?: { readonly requests: number; readonly perMs: number };
}

/** One way to set a target up against a sandbox: a title and the setup values (field key → text). */
export interface SandboxSetup {
  readonly title: string;
  readonly values: Readonly<Record<string, string>>;
}

/** A running sandbox plus what a target needs to use it. */
export interface RunningSandbox extends SandboxControl {
  /** Settings that point a target of this kind at the sandbox (base URL, token URL, company…). */
  targetSettings(): Record<string, unknown>;
  /** A secret-store entry the sandbox accepts (tokens issued now where the sandbox issues them). */
  credentials(): Record<string, string>;
  /** What `kassebro sandbox NAME` prints: addresses, test credentials, control endpoints. */
  describe(): string[];
  /** Where a target can log in more than one way (Fiken); otherwise read from settings and credentials. */
  setups?(): readonly SandboxSetup[];
}

/**
 * Everything the app knows about one API target, as one value: the registry lists these, and the
 * CLI, the setup wizard, the demo and the test suites work from them without per-target code.
 */
export interface ApiTarget {
  readonly kind: TargetKind;
  /** Validates `target.settings` (the connector parses them again; the CLI checks them at setup). */
  readonly settingsSchema: z.ZodType<Record<string, unknown>>;
  /** Validates the secret-store entry (tokens, keys, OAuth client). */
  readonly secretSchema: z.ZodType<Record<string, unknown>>;
  readonly createConnector: (context: ConnectorContext) => Connector;
  /**
   * Imports the sandbox module when called: every command and most tests load the registry, few
   * run a sandbox, and the six sandboxes (24SevenOffice's pulls in soap) take seconds to load.
   */
  readonly startSandbox: (options?: SandboxStartOptions) => Promise<RunningSandbox>;
  /** Present when credentials come from an OAuth2 authorization-code flow (`kassebro target connect`). */
  readonly oauth?: (settings: Readonly<Record<string, unknown>>) => OAuthEndpoints;
}
