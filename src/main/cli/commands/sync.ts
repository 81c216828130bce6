import { dirname } from 'node:path';
import { z } from 'zod';
import { TARGET_SETUP, usesOAuth, type SetupField } from '../../../shared/target-setup';
import { TARGETS, isTargetKind, type TargetKind } from '../../../shared/targets';
import { API_TARGETS, apiTarget, connectorFor, hasConnector } from '../../connectors/registry';
import { ConnectorError, explainError } from '../../connectors/errors';
import { homeSecretStore, type SecretStore } from '../../secrets/secret-store';
import { saveChart } from '../../store/charts';
import { appendLog, listLog } from '../../store/integration-log';
import { getTarget, listTargets, type TargetRecord } from '../../store/targets';
import { runSyncDaemon } from '../../sync/daemon';
import { outboxCounts } from '../../sync/outbox';
import { removeTarget, TargetInUseError } from '../../sync/remove-target';
import { parseScheduleOption } from '../../sync/schedule';
import { syncSettingsOf } from '../../sync/settings';
import { defaultSandboxSetup, sandboxSetupCommands } from '../../targets/sandbox-setup';
import { applyTargetSetup, TargetSetupError } from '../../targets/setup';
import { syncTarget } from '../../sync/run-target';
import type { CliContext } from '../context';
import { CliError, EXIT, table, type Output } from '../output';

export function secretsOf(context: CliContext): SecretStore {
  return homeSecretStore(dirname(context.databaseFile));
}

export interface AddOptions {
  kind?: string;
  set: string[];
  schedule?: string;
  exportFrom?: string;
  out?: string;
}

/**
 * Setup values from `--set key=value` and, for secrets, from the field's environment variable
 * (kept out of shell history); `--out` is the file targets' folder.
 */
function setupValues(kind: TargetKind | undefined, options: AddOptions): Record<string, string> {
  const values: Record<string, string> = {};
  for (const pair of options.set) {
    const at = pair.indexOf('=');
    if (at < 1) throw new CliError(`--set wants key=value, got "${pair}"`);
    values[pair.slice(0, at)] = pair.slice(at + 1);
  }
  if (options.out) values['folder'] = options.out;
  for (const field of kind ? TARGET_SETUP[kind].fields : []) {
    const fromEnv = field.env ? process.env[field.env] : undefined;
    if (fromEnv && values[field.key] === undefined) values[field.key] = fromEnv;
  }
  return values;
}

export async function targetAdd(context: CliContext, out: Output, name: string, options: AddOptions): Promise<number> {
  if (options.kind !== undefined && !isTargetKind(options.kind)) {
    throw new CliError(`--kind must be one of ${Object.keys(TARGETS).join(', ')}`);
  }
  const kind = options.kind ?? getTarget(context.db, name)?.kind;
  let target: TargetRecord;
  try {
    target = await applyTargetSetup(context.db, secretsOf(context), {
      id: name,
      ...(kind ? { kind } : {}),
      values: setupValues(kind, options),
      ...(options.schedule ? { schedule: parseScheduleOption(options.schedule) } : {}),
      ...(options.exportFrom ? { exportFrom: options.exportFrom } : {}),
    });
  } catch (error) {
    if (error instanceof TargetSetupError) throw new CliError(setupHelp(error, kind));
    throw error;
  }
  const sync = syncSettingsOf(target);
  if (out.json) out.data({ target: name, kind: target.kind, sync });
  else {
    const next = usesOAuth(TARGET_SETUP[target.kind], target.settings) ? 'target connect' : 'target test';
    out.line(
      `Target "${name}" (${TARGETS[target.kind].displayName}) saved; schedule ${describeSchedule(sync.schedule)}. Next: "kassebro ${next} ${name}".`,
    );
  }
  return EXIT.ok;
}

const requirement = (field: SetupField): string => {
  const when = field.onlyWhen ? ` when ${field.onlyWhen.key}=${field.onlyWhen.value}` : '';
  return field.required ? ` (required${when})` : when ? ` (only${when})` : '';
};

/** The error plus the target's fields, so a technician at the command line sees what to pass. */
function setupHelp(error: TargetSetupError, kind: TargetKind | undefined): string {
  if (!kind) return error.message;
  const fields = TARGET_SETUP[kind].fields.map(
    (field) => `  ${field.key}${requirement(field)}: ${field.label.en}${field.env ? ` — or ${field.env}` : ''}`,
  );
  return [error.message, `${TARGETS[kind].displayName} settings (--set key=value):`, ...fields].join('\n');
}

function describeSchedule(schedule: ReturnType<typeof syncSettingsOf>['schedule']): string {
  switch (schedule.kind) {
    case 'daily':
      return `daily at ${schedule.time}`;
    case 'weekly':
      return `weekly (day ${schedule.weekday}) at ${schedule.time}`;
    case 'monthly':
      return `monthly on day ${schedule.day} at ${schedule.time}`;
    case 'on-close':
      return 'as soon as a Z-report is closed';
    case 'never':
      return 'manual only';
  }
}

export function targetList(context: CliContext, out: Output): number {
  const rows = listTargets(context.db).map((target) => ({
    target: target.id,
    kind: target.kind,
    ...syncSettingsOf(target),
    outbox: outboxCounts(context.db, target.id),
  }));
  if (out.json) {
    out.data(rows);
    return EXIT.ok;
  }
  const lines = [['name', 'kind', 'schedule', 'export from', 'queued', 'posted', 'failed', 'needs a person']];
  for (const row of rows) {
    lines.push([
      row.target,
      row.kind,
      describeSchedule(row.schedule),
      row.exportFrom ?? '-',
      String(row.outbox.queued + row.outbox.sending),
      String(row.outbox.posted),
      String(row.outbox.failed),
      String(row.outbox.waitingForPerson),
    ]);
  }
  for (const line of table(lines, [4, 5, 6, 7])) out.line(line);
  return EXIT.ok;
}

function namedTarget(context: CliContext, name: string | undefined): TargetRecord {
  if (!name) return context.target();
  const target = getTarget(context.db, name);
  if (!target) throw new CliError(`No target called "${name}" is set up`);
  return target;
}

function printConnectorError(error: ConnectorError, out: Output): void {
  const explained = explainError(error, out.language);
  if (out.json) {
    out.data({ ok: false, ...explained });
    return;
  }
  out.line(`${explained.code}: ${explained.explanation}`);
  out.line(`  the target said: ${explained.targetMessage}`);
  out.line(`  what to do: ${explained.hint}`);
}

export async function targetTest(context: CliContext, out: Output, name: string | undefined): Promise<number> {
  const target = namedTarget(context, name);
  if (!hasConnector(target.kind)) throw new CliError(`Target "${target.id}" is a file target; nothing to connect to`);
  const connector = connectorFor(target, { secrets: secretsOf(context) });
  try {
    const info = await connector.testConnection();
    appendLog(context.db, {
      targetId: target.id,
      module: 'login',
      status: 'transferred',
      message: `Connected to ${info.company}`,
    });
    const chart = await connector.fetchChart();
    saveChart(context.db, target.id, chart.accounts, chart.vatCodes);
    appendLog(context.db, {
      targetId: target.id,
      module: 'chart',
      status: 'transferred',
      message: `Chart fetched: ${chart.accounts.length} accounts, ${chart.vatCodes?.length ?? 0} VAT codes`,
    });
    const summary = {
      ok: true,
      company: info.company,
      accounts: chart.accounts.length,
      inactiveAccounts: chart.accounts.filter((account) => !account.active).length,
      vatCodes: chart.vatCodes?.length ?? 0,
      departments: chart.departments.length,
    };
    if (out.json) out.data(summary);
    else {
      out.line(`Connected to ${summary.company}.`);
      out.line(
        `Chart: ${summary.accounts} accounts (${summary.inactiveAccounts} inactive), ${summary.vatCodes} VAT codes, ${summary.departments} departments — saved for validation.`,
      );
    }
    return EXIT.ok;
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    appendLog(context.db, {
      targetId: target.id,
      module: 'login',
      status: 'not_transferred',
      code: error.code,
      message: explainError(error, out.language).explanation,
      targetMessage: error.targetMessage,
    });
    printConnectorError(error, out);
    return EXIT.problems;
  }
}

export async function targetRemove(context: CliContext, out: Output, name: string): Promise<number> {
  namedTarget(context, name);
  try {
    removeTarget(context.db, name);
  } catch (error) {
    if (error instanceof TargetInUseError) throw new CliError(error.message, EXIT.problems);
    throw error;
  }
  await secretsOf(context).delete(name);
  if (out.json) out.data({ removed: name });
  else out.line(`Target "${name}" removed.`);
  return EXIT.ok;
}

export interface SyncOptions {
  once?: boolean;
  retryFailed?: boolean;
  poll?: string;
}

export async function syncCommand(context: CliContext, out: Output, options: SyncOptions): Promise<number> {
  const only = context.options.target;
  const targets = listTargets(context.db).filter(
    (target) => hasConnector(target.kind) && (!only || target.id === only),
  );
  if (only && targets.length === 0) throw new CliError(`No API target called "${only}" is set up`);
  const secrets = secretsOf(context);
  if (!options.once) {
    const controller = new AbortController();
    const stop = () => controller.abort();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    out.line(`Syncing ${targets.map((target) => target.id).join(', ')} until stopped (Ctrl+C).`);
    await runSyncDaemon(context.db, {
      secrets,
      pollMs: Number(options.poll ?? 30) * 1000,
      ...(only ? { only } : {}),
      signal: controller.signal,
      onRun: (target, result) => {
        if (result.posted || result.failed || result.outcome !== 'done') {
          out.line(
            `${new Date().toISOString()} ${target.id}: ${result.outcome}, ${result.posted} posted, ${result.failed} failed`,
          );
        }
      },
    });
    return EXIT.ok;
  }
  const results = [];
  for (const target of targets) {
    const result = await syncTarget(context.db, target, { secrets, retryFailed: options.retryFailed ?? false });
    results.push({ target: target.id, ...result, outbox: outboxCounts(context.db, target.id) });
  }
  if (out.json) out.data(results);
  else {
    for (const result of results) {
      out.line(
        `${result.target}: ${result.outcome}; ${result.posted} posted (${result.foundExisting} found already at the target), ` +
          `${result.failed} failed; ${result.outbox.queued} still queued, ${result.outbox.waitingForPerson} need a person`,
      );
    }
  }
  const trouble = results.some(
    (result) => result.failed > 0 || result.outbox.waitingForPerson > 0 || result.outcome !== 'done',
  );
  return trouble ? EXIT.problems : EXIT.ok;
}

export function logCommand(context: CliContext, out: Output, limit: string | undefined): number {
  const rows = listLog(context.db, Number(limit ?? 50)).filter(
    (row) => !context.options.target || row.targetId === context.options.target,
  );
  if (out.json) {
    out.data(rows);
    return EXIT.ok;
  }
  const status = { transferred: 'TRANSFERRED', not_transferred: 'NOT TRANSFERRED', info: 'info' } as const;
  for (const row of rows) {
    out.line(`${row.at}  ${row.targetId ?? '-'}  ${row.module}  ${status[row.status]}  ${row.message}`);
    if (row.targetMessage) out.line(`    target: ${row.targetMessage}`);
  }
  return EXIT.ok;
}

const sandboxOptionsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(0),
  sessionTtl: z.coerce.number().positive().optional(),
  rate: z
    .string()
    .regex(/^\d+\/\d+$/, 'requests/seconds, e.g. 100/60')
    .optional(),
});

export async function sandboxCommand(_context: CliContext, out: Output, name: string, raw: unknown): Promise<number> {
  const options = sandboxOptionsSchema.parse(raw);
  const target = isTargetKind(name) ? apiTarget(name) : undefined;
  if (!target) {
    throw new CliError(
      `No sandbox called "${name}"; this version has: ${API_TARGETS.map((api) => api.kind).join(', ')}`,
    );
  }
  const [requests, seconds] = options.rate?.split('/').map(Number) ?? [];
  const sandbox = await target.startSandbox({
    port: options.port,
    ...(options.sessionTtl ? { tokenTtlMs: options.sessionTtl * 1000 } : {}),
    ...(requests && seconds ? { rateLimit: { requests, perMs: seconds * 1000 } } : {}),
  });
  for (const line of sandbox.describe()) out.line(line);
  for (const setup of sandbox.setups?.() ?? [defaultSandboxSetup(target.kind, sandbox)]) {
    // Each command on a line of its own, nothing after it: it is pasted as it stands.
    out.line(`${setup.title} (copy each line as it stands):`);
    for (const command of sandboxSetupCommands(target.kind, target.kind, setup)) out.line(`  ${command}`);
  }
  out.line('Ctrl+C stops the sandbox.');
  await untilStopped();
  await sandbox.close();
  return EXIT.ok;
}

function untilStopped(): Promise<void> {
  return new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
