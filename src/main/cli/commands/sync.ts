import type { Command } from 'commander';
import { dirname } from 'node:path';
import { z } from 'zod';
import { TARGETS, isTargetKind, type TargetKind } from '../../../shared/targets';
import { connectorFor, hasConnector } from '../../connectors/registry';
import { ConnectorError, explainError } from '../../connectors/errors';
import { fikenSecretSchema } from '../../connectors/fiken/connector';
import { tripletexSecretSchema } from '../../connectors/tripletex/connector';
import { PRESETS } from '../../mapping/presets';
import { FIKEN_SANDBOX_DEFAULTS, startFikenSandbox } from '../../sandboxes/fiken';
import { startTripletexSandbox } from '../../sandboxes/tripletex';
import type { SandboxControl } from '../../sandboxes/server';
import { homeSecretStore, type SecretStore } from '../../secrets/secret-store';
import { saveChart } from '../../store/charts';
import { activeTargetId, setActiveTarget } from '../../store/home';
import { appendLog, listLog } from '../../store/integration-log';
import { loadKontooppsett, saveKontooppsett } from '../../store/mappings';
import { getTarget, listTargets, saveTarget, type TargetRecord } from '../../store/targets';
import { runSyncDaemon } from '../../sync/daemon';
import { outboxCounts } from '../../sync/outbox';
import { removeTarget, TargetInUseError } from '../../sync/remove-target';
import { parseScheduleOption } from '../../sync/schedule';
import { syncSettingsOf, syncSettingsSchema } from '../../sync/settings';
import { syncTarget } from '../../sync/run-target';
import type { CliContext } from '../context';
import { CliError, EXIT, table, type Output } from '../output';

type Run = (command: (ctx: CliContext, out: Output) => number | Promise<number>) => () => Promise<void>;

export function secretsOf(context: CliContext): SecretStore {
  return homeSecretStore(dirname(context.databaseFile));
}

interface AddOptions {
  kind?: string;
  baseUrl?: string;
  companyId?: string;
  consumerToken?: string;
  employeeToken?: string;
  accessToken?: string;
  companySlug?: string;
  tokenUrl?: string;
  schedule?: string;
  exportFrom?: string;
  out?: string;
}

/** Credentials come from flags or, better (kept out of shell history), from environment variables. */
function credentialsFor(kind: TargetKind, options: AddOptions): Record<string, string> | null {
  if (kind === 'tripletex') {
    const secret = {
      consumerToken: options.consumerToken ?? process.env['KASSEBRO_TRIPLETEX_CONSUMER_TOKEN'],
      employeeToken: options.employeeToken ?? process.env['KASSEBRO_TRIPLETEX_EMPLOYEE_TOKEN'],
    };
    const parsed = tripletexSecretSchema.safeParse(secret);
    if (!parsed.success) {
      throw new CliError(
        'Tripletex needs --consumer-token and --employee-token (or KASSEBRO_TRIPLETEX_CONSUMER_TOKEN / _EMPLOYEE_TOKEN)',
      );
    }
    return { consumerToken: parsed.data.consumerToken, employeeToken: parsed.data.employeeToken };
  }
  if (kind === 'fiken') {
    const env = process.env;
    const parsed = fikenSecretSchema.safeParse({
      accessToken: options.accessToken ?? env['KASSEBRO_FIKEN_ACCESS_TOKEN'],
      refreshToken: env['KASSEBRO_FIKEN_REFRESH_TOKEN'],
      clientId: env['KASSEBRO_FIKEN_CLIENT_ID'],
      clientSecret: env['KASSEBRO_FIKEN_CLIENT_SECRET'],
    });
    if (!parsed.success) throw new CliError('Fiken needs --access-token (or KASSEBRO_FIKEN_ACCESS_TOKEN)');
    return Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== undefined)) as Record<
      string,
      string
    >;
  }
  return null;
}

async function targetAdd(context: CliContext, out: Output, name: string, options: AddOptions): Promise<number> {
  if (!/^[a-z0-9][a-z0-9_-]{0,39}$/.test(name))
    throw new CliError(`Target name "${name}" must be lower-case letters, digits, - or _`);
  const existing = getTarget(context.db, name);
  const kind = options.kind ?? existing?.kind;
  if (!kind || !isTargetKind(kind)) {
    throw new CliError(`--kind must be one of ${Object.keys(TARGETS).join(', ')}`);
  }
  if (TARGETS[kind].transport === 'api' && !hasConnector(kind)) {
    throw new CliError(`${TARGETS[kind].displayName} has no connector yet in this version`);
  }
  const previousSync = existing ? syncSettingsOf(existing) : syncSettingsSchema.parse({});
  const sync = syncSettingsSchema.parse({
    schedule: options.schedule ? parseScheduleOption(options.schedule) : previousSync.schedule,
    exportFrom: options.exportFrom ?? previousSync.exportFrom,
  });
  const settings: Record<string, unknown> = { ...existing?.settings, sync };
  if (options.baseUrl) settings['baseUrl'] = options.baseUrl;
  if (options.companyId) settings['companyId'] = Number(options.companyId);
  if (options.out) settings['folder'] = options.out;
  if (options.companySlug) settings['companySlug'] = options.companySlug;
  if (options.tokenUrl) settings['tokenUrl'] = options.tokenUrl;
  const credentials =
    existing && !options.consumerToken && !options.employeeToken ? null : credentialsFor(kind, options);
  if (credentials) await secretsOf(context).set(name, credentials);
  saveTarget(context.db, {
    id: name,
    kind,
    name: existing?.name ?? `${TARGETS[kind].displayName} (${name})`,
    settings,
    secretRef: TARGETS[kind].transport === 'api' ? name : null,
  });
  if (loadKontooppsett(context.db, name).entries.length === 0) {
    saveKontooppsett(context.db, name, PRESETS[TARGETS[kind].defaultPreset].kontooppsett);
  }
  if (!activeTargetId(context.db)) setActiveTarget(context.db, name);
  if (out.json) out.data({ target: name, kind, sync });
  else
    out.line(
      `Target "${name}" (${TARGETS[kind].displayName}) saved; schedule ${describeSchedule(sync.schedule)}. Next: "kassebro target test ${name}".`,
    );
  return EXIT.ok;
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

function targetList(context: CliContext, out: Output): number {
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

async function targetTest(context: CliContext, out: Output, name: string | undefined): Promise<number> {
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

async function targetRemove(context: CliContext, out: Output, name: string): Promise<number> {
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

interface SyncOptions {
  once?: boolean;
  retryFailed?: boolean;
  poll?: string;
}

async function syncCommand(context: CliContext, out: Output, options: SyncOptions): Promise<number> {
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

function logCommand(context: CliContext, out: Output, limit: string | undefined): number {
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

async function sandboxCommand(_context: CliContext, out: Output, name: string, raw: unknown): Promise<number> {
  const options = sandboxOptionsSchema.parse(raw);
  if (name === 'fiken') {
    const sandbox = await startFikenSandbox({ port: options.port });
    const tokens = sandbox.issueTokens();
    out.line(
      `Fiken sandbox on ${sandbox.url}/api/v2, OAuth token endpoint ${sandbox.url}/oauth/token, company ${FIKEN_SANDBOX_DEFAULTS.companySlug}.`,
    );
    out.line(`Sandbox tokens: access ${tokens.accessToken}, refresh ${tokens.refreshToken}. Ctrl+C stops it.`);
    await untilStopped();
    await sandbox.close();
    return EXIT.ok;
  }
  if (name !== 'tripletex') throw new CliError(`No sandbox called "${name}"; this version has: tripletex, fiken`);
  const [requests, seconds] = options.rate?.split('/').map(Number) ?? [];
  const sandbox: SandboxControl = await startTripletexSandbox({
    port: options.port,
    ...(options.sessionTtl ? { sessionTtlMs: options.sessionTtl * 1000 } : {}),
    ...(requests && seconds ? { rateLimit: { requests, perMs: seconds * 1000 } } : {}),
  });
  out.line(`Tripletex sandbox on ${sandbox.url}/v2 (control: ${sandbox.url}/_sandbox/vouchers). Ctrl+C stops it.`);
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

/** target add|list|test|remove, sync, log and sandbox. */
export function registerSyncCommands(program: Command, run: Run): void {
  const target = program.command('target').description('accounting systems and file exports vouchers go to');
  target
    .command('add <name>')
    .description('add or change a target (credentials from flags or environment variables)')
    .option('--kind <kind>', 'tripletex, sie4, gbat10 …')
    .option('--base-url <url>', 'API address (a sandbox: http://127.0.0.1:PORT/v2)')
    .option('--company-id <id>', 'Tripletex: the client company (0 = own)')
    .option('--consumer-token <token>', 'Tripletex consumer token')
    .option('--employee-token <token>', 'Tripletex employee token')
    .option(
      '--access-token <token>',
      'Fiken access or personal API token (refresh token etc. from KASSEBRO_FIKEN_* variables)',
    )
    .option('--company-slug <slug>', 'Fiken: the company chosen in setup')
    .option('--token-url <url>', 'Fiken: OAuth token endpoint (a sandbox: http://127.0.0.1:PORT/oauth/token)')
    .option('--schedule <when>', 'on-close (default), daily[@HH:MM], weekly@mon HH:MM, monthly@1 HH:MM, never')
    .option('--export-from <date>', 'never post Z-reports dated before this (go-live)')
    .option('--out <dir>', 'file targets: folder the files are written to')
    .action((name: string, options: AddOptions) => run((ctx, out) => targetAdd(ctx, out, name, options))());
  target.command('list').description('targets with schedule and outbox counts').action(run(targetList));
  target
    .command('test [name]')
    .description('log in, fetch the chart of accounts and save it for validation')
    .action((name?: string) => run((ctx, out) => targetTest(ctx, out, name))());
  target
    .command('remove <name>')
    .description('remove a target that never sent anything')
    .action((name: string) => run((ctx, out) => targetRemove(ctx, out, name))());
  program
    .command('sync')
    .description('send queued vouchers; runs on the targets’ schedules until stopped, or one pass with --once')
    .option('--once', 'one pass over every outbox, then exit')
    .option('--retry-failed', 'put vouchers that wait for a person back in the queue first')
    .option('--poll <seconds>', 'how often on-close targets are checked (default 30)')
    .action((options: SyncOptions) => run((ctx, out) => syncCommand(ctx, out, options))());
  program
    .command('log')
    .description('the integration log: one row per attempt (use --json for the payloads)')
    .option('--limit <n>', 'rows (default 50)')
    .action((options: { limit?: string }) => run((ctx, out) => logCommand(ctx, out, options.limit))());
  program
    .command('sandbox <name>')
    .description('run a local sandbox of an accounting API (tripletex, fiken)')
    .option('--port <n>', 'port on 127.0.0.1 (default: any free one)')
    .option('--session-ttl <seconds>', 'session lifetime (short values test renewal)')
    .option('--rate <n/s>', 'requests per seconds before 429, e.g. 100/60')
    .action((name: string, options: unknown) => run((ctx, out) => sandboxCommand(ctx, out, name, options))());
}
