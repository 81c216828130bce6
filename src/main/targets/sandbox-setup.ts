import { TARGET_SETUP, usesOAuth } from '../../shared/target-setup';
import type { TargetKind } from '../../shared/targets';
import type { RunningSandbox, SandboxSetup } from '../connectors/api-target';

/**
 * The one way to set a target up against a running sandbox, read from what the sandbox offers:
 * its settings, and the credentials a person types in (required secrets). Optional secrets — the
 * tokens an OAuth connect fetches — are left to `target connect`, as in a shop.
 */
export function defaultSandboxSetup(kind: TargetKind, sandbox: RunningSandbox): SandboxSetup {
  const settings = sandbox.targetSettings();
  const credentials = sandbox.credentials();
  const values: Record<string, string> = {};
  for (const field of TARGET_SETUP[kind].fields) {
    const value = field.secret ? (field.required ? credentials[field.key] : undefined) : settings[field.key];
    if (value !== undefined && value !== null) values[field.key] = String(value);
  }
  return { title: 'Set it up', values };
}

/** A word the shell takes as it stands (addresses and tokens always are; anything else is quoted). */
function shellWord(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}

/**
 * The commands a technician copies, each a whole line that works pasted as it stands: secrets go
 * in the environment variables `target add` reads (kept out of `--set`), the rest as `--set`; an
 * OAuth login adds `target connect`; `target test` proves the login.
 */
export function sandboxSetupCommands(kind: TargetKind, name: string, setup: SandboxSetup): string[] {
  const fields = TARGET_SETUP[kind].fields;
  const environment: string[] = [];
  const options: string[] = [];
  for (const [key, value] of Object.entries(setup.values)) {
    const field = fields.find((candidate) => candidate.key === key);
    if (field?.secret && field.env) environment.push(`${field.env}=${shellWord(value)}`);
    else options.push(`--set ${shellWord(`${key}=${value}`)}`);
  }
  return [
    [...environment, 'kassebro target add', name, '--kind', kind, ...options].join(' '),
    ...(usesOAuth(TARGET_SETUP[kind], setup.values) ? [`kassebro target connect ${name}`] : []),
    `kassebro target test ${name}`,
  ];
}
