import type { Command } from 'commander';
import type { Run } from '../cli/context';
import type { ListenOptions, SimulateOptions } from './cli';

// Declarations only; each action loads ./cli (serial ports, ZVT, parsers) when it runs.
const terminalCli = () => import('./cli');

const withLineOptions = (command: Command): Command =>
  command
    .requiredOption('--port <path>', 'serial device: /dev/ttyUSB0, COM3')
    .option('--baud <n>', 'baud rate (ZVT 9600, receipt printers often 9600/19200)')
    .option('--data-bits <n>', '5-8, default 8')
    .option('--parity <p>', 'none, even, odd, mark, space')
    .option('--stop-bits <n>', '1, 1.5 or 2 (ZVT: 2)')
    .option('--rtscts', 'hardware flow control');

/** `kassebro terminal …` and `kassebro reconcile`: the one call main.ts makes. */
export function registerTerminalCommands(program: Command, run: Run): void {
  const terminal = program
    .command('terminal')
    .description('payment terminal reconciliations (avstemming): capture, import, list');

  terminal
    .command('ports')
    .description('list serial ports')
    .action(run(async (ctx, out) => (await terminalCli()).terminalPorts(ctx, out)));

  withLineOptions(terminal.command('listen'))
    .description(
      'capture reconciliations from a serial line until stopped (receipt: printer line; zvt: run one End-of-Day)',
    )
    .option('--protocol <p>', 'receipt or zvt', 'receipt')
    .option('--terminal-id <id>', 'terminal id for prints that show none')
    .option('--time-zone <tz>', 'shop time zone', 'Europe/Oslo')
    .option('--quiet-ms <ms>', 'silence that ends a print without a paper cut', '500')
    .option('--password <bcd>', 'ZVT password (6 digits)', '123456')
    .option('--at <hh:mm>', 'zvt: run the End-of-Day every day at this local time until stopped (default: once, now)')
    .action((options: ListenOptions) =>
      run(async (ctx, out) => (await terminalCli()).terminalListen(ctx, out, options))(),
    );

  withLineOptions(terminal.command('simulate'))
    .description('act as a terminal on a serial port: print reconciliations (receipt) or answer an End-of-Day (zvt)')
    .option('--protocol <p>', 'receipt or zvt', 'receipt')
    .option('--fixture <names...>', 'receipt fixtures from resources/terminal', ['nets-avstemming-nb'])
    .option('--encoding <e>', 'cp865, cp437, iso-8859-15 or utf-8', 'cp865')
    .option('--bad-checksum', 'zvt: send the first print-text frame with a broken CRC')
    .action((options: SimulateOptions) =>
      run(async (ctx, out) => (await terminalCli()).terminalSimulate(ctx, out, options))(),
    );

  terminal
    .command('end-of-day-tcp <host>')
    .description('ZVT End-of-Day over TCP (bare APDUs, no DLE framing); Kassebro is the ECR')
    .option('--tcp-port <n>', "the terminal's ZVT port", '20007')
    .option('--password <bcd>', 'ZVT password (6 digits)', '123456')
    .option('--time-zone <tz>', 'shop time zone', 'Europe/Oslo')
    .action((host: string, options: { tcpPort: string; password: string; timeZone: string }) =>
      run(async (ctx, out) => (await terminalCli()).terminalEndOfDayTcp(ctx, out, host, options))(),
    );

  terminal
    .command('import <file>')
    .description('import a saved reconciliation print or a provider settlement CSV')
    .option('--terminal-id <id>', 'terminal id for prints that show none')
    .option('--time-zone <tz>', 'shop time zone', 'Europe/Oslo')
    .action((file: string, options: { terminalId?: string; timeZone: string }) =>
      run(async (ctx, out) => (await terminalCli()).terminalImport(ctx, out, file, options))(),
    );

  terminal
    .command('reports')
    .description('list stored terminal reports (duplicates with --all)')
    .option('--all', 'include duplicates (copies, zero reports on a shared BAX)')
    .option('--from <date>', 'closing date from, YYYY-MM-DD')
    .option('--to <date>', 'closing date to, YYYY-MM-DD')
    .action((options: { all?: boolean; from?: string; to?: string }) =>
      run(async (ctx, out) => (await terminalCli()).terminalReports(ctx, out, options))(),
    );

  terminal
    .command('reparse')
    .description('read the raw byte journal again with the current parsers')
    .option('--time-zone <tz>', 'shop time zone', 'Europe/Oslo')
    .action((options: { timeZone: string }) =>
      run(async (ctx, out) => (await terminalCli()).terminalReparse(ctx, out, options))(),
    );

  terminal
    .command('bax <bax>')
    .description('how a BAX shared by several terminals is reconciled')
    .requiredOption('--scope <scope>', 'per-bax (one designated terminal counts) or per-terminal')
    .option('--designated <terminalId>', 'per-bax: the terminal whose report counts')
    .action((bax: string, options: { scope: string; designated?: string }) =>
      run(async (ctx, out) => (await terminalCli()).terminalBax(ctx, out, bax, options))(),
    );

  terminal
    .command('place <terminalId>')
    .description('say which shop (POS location) and register a terminal stands at')
    .requiredOption('--location <location>', 'the POS location the terminal belongs to')
    .option('--register <id>', 'the register it is connected to')
    .option('--manual', 'the cashier types amounts (not sent by the POS)')
    .action((terminalId: string, options: { location: string; register?: string; manual?: boolean }) =>
      run(async (ctx, out) => (await terminalCli()).terminalPlace(ctx, out, terminalId, options))(),
    );

  program
    .command('reconcile')
    .description('avstemming: POS card totals against terminal reconciliations per business day')
    .option('--from <date>', 'first business day, YYYY-MM-DD')
    .option('--to <date>', 'last business day, YYYY-MM-DD')
    .option('--cutover <hh:mm>', 'terminal closings before this time belong to the previous day', '04:00')
    .action((options: { from?: string; to?: string; cutover: string }) =>
      run(async (ctx, out) => (await import('../reconcile/cli')).reconcileCommand(ctx, out, options))(),
    );
}
