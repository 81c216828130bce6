import { formatAmount, ore } from '../../shared/money';
import type { CliContext } from '../cli/context';
import { CliError, EXIT, table, type Output } from '../cli/output';
import { listenForReceipts, runZvtEndOfDay } from './capture';
import { connectZvtTcp, portChannel } from './channel';
import { importTerminalFile } from './import-file';
import type { IngestOutcome } from './ingest';
import { reparseJournal } from './replay';
import { listTerminalReports, setBaxScope, setTerminalPlacement, type StoredTerminalReport } from './report-store';
import { lineSettingsSchema, type LineSettings } from './serial/line-settings';
import { listPorts } from './serial/ports';
import { ReconnectingPort } from './serial/reconnecting-port';
import { asPrinted, demoZvtScript, fixtureText, serveZvtEndOfDay, writeInChunks } from './simulate';

export interface LineOptions {
  port: string;
  baud?: string;
  dataBits?: string;
  parity?: string;
  stopBits?: string;
  rtscts?: boolean;
}

function lineSettings(options: LineOptions, defaults: Partial<LineSettings> = {}): LineSettings {
  const parsed = lineSettingsSchema.safeParse({
    ...defaults,
    path: options.port,
    ...(options.baud ? { baudRate: Number(options.baud) } : {}),
    ...(options.dataBits ? { dataBits: Number(options.dataBits) } : {}),
    ...(options.parity ? { parity: options.parity } : {}),
    ...(options.stopBits ? { stopBits: Number(options.stopBits) } : {}),
    ...(options.rtscts ? { rtscts: true } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flags: Record<string, string> = {
      path: 'port',
      baudRate: 'baud',
      dataBits: 'data-bits',
      stopBits: 'stop-bits',
    };
    const field = String(issue.path[0]);
    throw new CliError(`--${flags[field] ?? field}: ${issue.message}`);
  }
  return parsed.data;
}

const amount = (value: number): string => formatAmount(ore(value));

export function reportJson(entry: StoredTerminalReport): unknown {
  const { report } = entry;
  return {
    id: report.id,
    kind: report.kind,
    source: report.source,
    bax: report.bax ?? null,
    terminalId: report.terminalId,
    batchNo: report.batchNo ?? null,
    closedAt: report.closedAt,
    currency: report.currency,
    schemes: report.schemes.map((scheme) => ({
      scheme: scheme.scheme,
      label: scheme.label,
      count: scheme.count,
      netAmount: amount(scheme.netAmount),
    })),
    totals: {
      count: report.totals.count,
      amount: amount(report.totals.amount),
      refunds: amount(report.totals.refunds),
      tips: amount(report.totals.tips),
      cashback: amount(report.totals.cashback),
    },
    hostResult: report.hostResult,
    warnings: report.warnings,
    duplicateOf: entry.duplicateOf ?? null,
    duplicateReason: entry.duplicateReason ?? null,
  };
}

function describeOutcome(outcome: IngestOutcome): string {
  if (outcome.outcome === 'not-a-report') return `not a terminal report: ${outcome.reason}`;
  const { report } = outcome;
  const what = `terminal ${report.terminalId}${report.bax ? ` BAX ${report.bax}` : ''} ${report.kind}${report.batchNo ? ` batch ${report.batchNo}` : ''} ${report.closedAt} total ${amount(report.totals.amount)}`;
  if (outcome.outcome === 'duplicate') return `duplicate (not counted): ${what} — ${outcome.reason}`;
  if (outcome.outcome === 'already-stored') return `already stored: ${what}`;
  return `stored: ${what}${report.warnings.length ? ` — warnings: ${report.warnings.join('; ')}` : ''}`;
}

function printOutcomes(out: Output, outcomes: readonly IngestOutcome[]): void {
  if (out.json) {
    out.data(
      outcomes.map((outcome) =>
        outcome.outcome === 'not-a-report'
          ? outcome
          : {
              outcome: outcome.outcome,
              id: outcome.id,
              ...(outcome.outcome === 'duplicate' ? { duplicateOf: outcome.duplicateOf, reason: outcome.reason } : {}),
            },
      ),
    );
  } else for (const outcome of outcomes) out.line(describeOutcome(outcome));
}

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function parseClock(text: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(text);
  if (!match) throw new CliError(`--at must be HH:MM, not "${text}"`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** Runs `task` every day at hh:mm (local time) until SIGINT/SIGTERM; a failed run is reported, not fatal. */
async function dailyUntilStopped(
  at: { hour: number; minute: number },
  task: () => Promise<unknown>,
  onError: (error: Error) => void,
): Promise<void> {
  const stopped = untilStopped();
  for (;;) {
    const next = new Date();
    next.setHours(at.hour, at.minute, 0, 0);
    if (next.getTime() <= Date.now()) next.setDate(next.getDate() + 1);
    let timer: NodeJS.Timeout | undefined;
    const due = new Promise<'due'>(
      (resolve) => (timer = setTimeout(() => resolve('due'), next.getTime() - Date.now())),
    );
    const reason = await Promise.race([due, stopped.then(() => 'stopped' as const)]);
    clearTimeout(timer);
    if (reason === 'stopped') return;
    await task().catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))));
  }
}

async function openPort(settings: LineSettings): Promise<ReconnectingPort> {
  const port = new ReconnectingPort(settings);
  await new Promise<void>((resolve, reject) => {
    port.once('open', resolve);
    port.once('down', (reason) => {
      void port.stop();
      reject(new CliError(`${settings.path}: ${reason}`));
    });
    port.start();
  });
  return port;
}

export async function terminalPorts(_context: CliContext, out: Output): Promise<number> {
  const listing = await listPorts();
  if (out.json) out.data(listing);
  else if (!listing.available) out.line(listing.reason);
  else if (listing.ports.length === 0) out.line('No serial ports found.');
  else {
    for (const row of table([
      ['path', 'manufacturer', 'vendor:product'],
      ...listing.ports.map((port) => [
        port.path,
        port.manufacturer ?? '',
        port.vendorId ? `${port.vendorId}:${port.productId ?? ''}` : '',
      ]),
    ]))
      out.line(row);
  }
  return EXIT.ok;
}

export interface ListenOptions extends LineOptions {
  at?: string;
  protocol: string;
  terminalId?: string;
  timeZone: string;
  quietMs: string;
  password: string;
}

export async function terminalListen(ctx: CliContext, out: Output, options: ListenOptions): Promise<number> {
  const context = {
    timeZone: options.timeZone,
    ...(options.terminalId ? { terminalId: options.terminalId } : {}),
    onOutcome: (outcome: IngestOutcome) => printOutcomes(out, [outcome]),
  };
  if (options.protocol === 'zvt') {
    const at = options.at ? parseClock(options.at) : undefined;
    const port = await openPort(lineSettings(options, { baudRate: 9600, stopBits: 2 }));
    const endOfDay = (): Promise<unknown> =>
      runZvtEndOfDay(ctx.db, portChannel(port), { ...context, password: options.password });
    try {
      if (!at) await endOfDay();
      else await dailyUntilStopped(at, endOfDay, (error) => out.line(`end-of-day failed: ${error.message}`));
    } finally {
      await port.stop();
    }
    return EXIT.ok;
  }
  if (options.protocol !== 'receipt')
    throw new CliError(`--protocol must be receipt or zvt, not "${options.protocol}"`);
  const listener = listenForReceipts(ctx.db, lineSettings(options), {
    ...context,
    quietMs: Number(options.quietMs),
  });
  listener.port.on('open', () => out.json || out.line(`listening on ${options.port} (stop with Ctrl+C)`));
  listener.port.on('down', (reason) => out.json || out.line(`${options.port} ${reason}; reconnecting…`));
  await untilStopped();
  await listener.stop();
  return EXIT.ok;
}

export interface SimulateOptions extends LineOptions {
  protocol: string;
  fixture: string[];
  encoding: string;
  badChecksum?: boolean;
}

export async function terminalSimulate(_context: CliContext, out: Output, options: SimulateOptions): Promise<number> {
  const port = await openPort(lineSettings(options, options.protocol === 'zvt' ? { baudRate: 9600, stopBits: 2 } : {}));
  try {
    if (options.protocol === 'zvt') {
      out.line(`waiting for an End-of-Day request on ${options.port}…`);
      await serveZvtEndOfDay(
        portChannel(port),
        demoZvtScript({ badChecksumOnce: Boolean(options.badChecksum) }),
        180_000,
      );
      out.line('end-of-day answered');
      return EXIT.ok;
    }
    const encoding = options.encoding as Parameters<typeof asPrinted>[1];
    for (const name of options.fixture) {
      await writeInChunks(port, asPrinted(fixtureText(name), encoding));
      out.line(`printed ${name} (${options.encoding})`);
    }
  } finally {
    await port.stop();
  }
  return EXIT.ok;
}

export async function terminalEndOfDayTcp(
  ctx: CliContext,
  out: Output,
  host: string,
  options: { tcpPort: string; password: string; timeZone: string },
): Promise<number> {
  const connection = await connectZvtTcp(host, Number(options.tcpPort)).catch((error: Error) => {
    throw new CliError(error.message);
  });
  try {
    const outcome = await runZvtEndOfDay(ctx.db, connection.channel, {
      password: options.password,
      timeZone: options.timeZone,
    });
    printOutcomes(out, [outcome]);
  } finally {
    connection.close();
  }
  return EXIT.ok;
}

export function terminalImport(
  ctx: CliContext,
  out: Output,
  file: string,
  options: { terminalId?: string; timeZone: string },
): number {
  const outcomes = importTerminalFile(ctx.db, file, {
    timeZone: options.timeZone,
    ...(options.terminalId ? { terminalId: options.terminalId } : {}),
  });
  printOutcomes(out, outcomes);
  return outcomes.some((outcome) => outcome.outcome === 'not-a-report') ? EXIT.problems : EXIT.ok;
}

export function terminalReports(
  ctx: CliContext,
  out: Output,
  options: { all?: boolean; from?: string; to?: string },
): number {
  const reports = listTerminalReports(ctx.db, {
    includeDuplicates: Boolean(options.all),
    ...(options.from ? { from: options.from } : {}),
    ...(options.to ? { to: options.to } : {}),
  });
  if (out.json) {
    out.data(reports.map(reportJson));
    return EXIT.ok;
  }
  const rows = [['closed', 'kind', 'BAX', 'terminal', 'batch', 'count', 'amount', 'tips', 'cashback', 'note']];
  for (const { report, duplicateReason } of reports) {
    rows.push([
      report.closedAt.slice(0, 16).replace('T', ' '),
      report.kind,
      report.bax ?? '',
      report.terminalId,
      report.batchNo ?? '',
      String(report.totals.count),
      amount(report.totals.amount),
      amount(report.totals.tips),
      amount(report.totals.cashback),
      duplicateReason ? `duplicate: ${duplicateReason}` : report.warnings.join('; '),
    ]);
  }
  for (const row of table(rows, [5, 6, 7, 8])) out.line(row);
  return EXIT.ok;
}

export function terminalReparse(ctx: CliContext, out: Output, options: { timeZone: string }): number {
  printOutcomes(out, reparseJournal(ctx.db, { timeZone: options.timeZone }));
  return EXIT.ok;
}

export function terminalBax(
  ctx: CliContext,
  out: Output,
  bax: string,
  options: { scope: string; designated?: string },
): number {
  if (options.scope !== 'per-bax' && options.scope !== 'per-terminal')
    throw new CliError('--scope must be per-bax or per-terminal');
  if (!/^\d{6,7}$/.test(bax)) throw new CliError(`a BAX has 6 or 7 digits, not "${bax}"`);
  setBaxScope(ctx.db, bax, options.scope, options.designated);
  out.line(`BAX ${bax}: ${options.scope}${options.designated ? `, designated terminal ${options.designated}` : ''}`);
  return EXIT.ok;
}

export function terminalPlace(
  ctx: CliContext,
  out: Output,
  terminalId: string,
  options: { location: string; register?: string; manual?: boolean },
): number {
  setTerminalPlacement(ctx.db, {
    terminalId,
    location: options.location,
    ...(options.register ? { registerId: options.register } : {}),
    mode: options.manual ? 'manual' : 'integrated',
  });
  out.line(
    `terminal ${terminalId}: location ${options.location}${options.register ? `, register ${options.register}` : ''}, ${options.manual ? 'manual' : 'integrated'}`,
  );
  return EXIT.ok;
}
