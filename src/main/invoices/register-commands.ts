import type { Command } from 'commander';
import { INVOICE_MODES } from '../../shared/invoice-modes';
import type { Run } from '../cli/context';
import type { SetupOptions } from './cli';

// Declarations only; each action loads ./cli (connectors, SAF-T reader) when it runs.
const invoicesCli = () => import('./cli');

/** `kassebro invoices …`: setup (mode, Z revenue, customer series), import a CSV, list. */
export function registerInvoiceCommands(program: Command, run: Run): void {
  const invoices = program.command('invoices').description('invoice sales (faktura): transfer mode, import, state');
  invoices
    .command('setup')
    .description('turn invoice transfer on for the target and choose how (docs/invoices.md)')
    .option('--mode <mode>', `${INVOICE_MODES.join(' | ')}`)
    .option('--z-revenue <how>', 'clearing (default) | include: whether the Z-report keeps invoiced sales as revenue')
    .option('--customer-start <n>', 'first customer number Kassebro gives new customers (default 100000)')
    .option('--off', 'turn invoice transfer off')
    .action((options: SetupOptions) =>
      run(async (ctx, out) => (await invoicesCli()).invoicesSetup(ctx, out, options))(),
    );
  invoices
    .command('import <file>')
    .description('import invoice sales from a CSV file (format in docs/invoices.md)')
    .action((file: string) => run(async (ctx, out) => (await invoicesCli()).invoicesImport(ctx, out, file))());
  invoices
    .command('list')
    .description('invoice sales and their transfer state for the target')
    .action(run(async (ctx, out) => (await invoicesCli()).invoicesList(ctx, out)));
}
