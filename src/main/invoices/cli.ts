import type { Command } from 'commander';
import { formatAmount } from '../../shared/money';
import { ConnectorError, explainError } from '../connectors/errors';
import { connectorFor, hasConnector } from '../connectors/registry';
import { secretsOf } from '../cli/commands/sync';
import type { CliContext } from '../cli/context';
import { CliError, EXIT, table, type Output } from '../cli/output';
import { readFileSync } from 'node:fs';
import { readInvoiceCsv } from '../sources/invoices/read-invoice-csv';
import { readSaftInvoices } from '../sources/saft/read-saft-invoices';
import { SAFT_NAMESPACE } from '../sources/saft/read-saft';
import {
  DoubleBookingError,
  INVOICE_MODES,
  invoiceConfigSchema,
  loadInvoiceConfig,
  saveInvoiceConfig,
  type InvoiceMode,
} from './config';
import { invoiceTotals } from './invoice';
import { checkNumberSeries } from './number-series';
import { importInvoiceSales, listInvoiceOutbox, listInvoiceSales } from './store';
import { vatDrift } from './target-lines';

type Run = (command: (ctx: CliContext, out: Output) => number | Promise<number>) => () => Promise<void>;

interface SetupOptions {
  mode?: string;
  zRevenue?: string;
  customerStart?: string;
  off?: boolean;
}

/** What each mode means for the owner, said at setup. */
const MODE_CONSEQUENCE: Readonly<Record<InvoiceMode, string>> = {
  'invoice-in-target':
    'The accounting system numbers and sends the invoices; the POS number is kept as a reference. The daily settlement books invoice sales on the invoice clearing account (1530) only.',
  'pos-issued':
    "The POS has already given the customer the invoice; it is posted with the POS's number, so the POS's number series must not overlap the accounting system's (checked now).",
};

async function invoicesSetup(context: CliContext, out: Output, options: SetupOptions): Promise<number> {
  const target = context.target();
  const current = loadInvoiceConfig(context.db, target.id);
  const parsed = invoiceConfigSchema.safeParse({
    ...current,
    enabled: !options.off,
    ...(options.mode ? { mode: options.mode } : {}),
    ...(options.zRevenue ? { zRevenue: options.zRevenue } : {}),
    ...(options.customerStart ? { customerNumberStart: Number(options.customerStart) } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(
      `invoice setup: ${issue?.path.join('.')}: ${issue?.message ?? 'invalid'} (modes: ${INVOICE_MODES.join(', ')})`,
    );
  }
  const config = parsed.data;
  try {
    saveInvoiceConfig(context.db, target.id, config, out.language);
  } catch (error) {
    if (error instanceof DoubleBookingError) {
      if (out.json) out.data({ saved: false, reason: error.explanation });
      else out.line(error.explanation);
      return EXIT.problems;
    }
    throw error;
  }
  const series = config.enabled && config.mode === 'pos-issued' ? await seriesCheck(context, out) : null;
  if (out.json) {
    out.data({ saved: true, target: target.id, config, numberSeries: series });
  } else {
    out.line(
      config.enabled
        ? `Invoice transfer to "${target.id}" is on (${config.mode}). ${MODE_CONSEQUENCE[config.mode]}`
        : `Invoice transfer to "${target.id}" is off; invoice sales stay in the daily settlement.`,
    );
    if (config.enabled) out.line(`New customers are numbered from ${config.customerNumberStart}.`);
    if (series) out.line(series.message);
  }
  return series?.status === 'conflict' ? EXIT.problems : EXIT.ok;
}

/** Compares the POS's invoice numbers with the target's next number (pos-issued mode). */
async function seriesCheck(context: CliContext, out: Output) {
  const target = context.target();
  if (!hasConnector(target.kind)) throw new CliError(`"${target.id}" (${target.kind}) cannot take invoices`);
  const connector = connectorFor(target, { secrets: secretsOf(context) });
  if (!connector.invoices) throw new CliError(`${target.kind} has no invoice connection in Kassebro yet`);
  let next: number | null;
  try {
    next = await connector.invoices.nextInvoiceNumber();
  } catch (error) {
    if (error instanceof ConnectorError) {
      const explained = explainError(error, out.language);
      throw new CliError(`${explained.explanation} ${explained.hint} (${error.targetMessage})`, EXIT.problems);
    }
    throw error;
  }
  const numbers = listInvoiceSales(context.db)
    .map((invoice) => Number(invoice.sale.posNumber))
    .filter(Number.isSafeInteger);
  const pos = numbers.length ? { lowest: Math.min(...numbers), highest: Math.max(...numbers) } : null;
  return checkNumberSeries(pos, next, out.language);
}

function invoicesImport(context: CliContext, out: Output, file: string): number {
  const config = loadInvoiceConfig(context.db, context.target().id);
  // A SAF-T Cash Register file gives its credit sales; anything else is read as the invoice CSV.
  const isSaft = readFileSync(file).subarray(0, 4096).toString('latin1').includes(SAFT_NAMESPACE);
  const { invoices, warnings } = isSaft
    ? readSaftInvoices(file, { dueDays: config.defaultDueDays })
    : { invoices: readInvoiceCsv(file, { defaultDueDays: config.defaultDueDays }), warnings: [] };
  const result = importInvoiceSales(context.db, invoices);
  if (out.json) out.data({ ...result, warnings });
  else {
    out.line(`${result.inserted} invoice sales imported, ${result.alreadyPresent} already present.`);
    for (const warning of warnings) out.line(`warning: ${warning}`);
  }
  return EXIT.ok;
}

function invoicesList(context: CliContext, out: Output): number {
  const target = context.target();
  const outbox = new Map(listInvoiceOutbox(context.db, target.id).map((row) => [row.invoiceId, row]));
  const rows = listInvoiceSales(context.db).map((invoice) => {
    const sent = outbox.get(invoice.id);
    return {
      posNumber: invoice.sale.posNumber,
      date: invoice.sale.businessDate,
      register: invoice.sale.registerId,
      customer: invoice.sale.customer.name,
      gross: formatAmount(invoiceTotals(invoice.sale).gross),
      state: sent?.state ?? 'not queued',
      targetNumber: sent?.externalNumber ?? null,
      error: sent?.errorMessage ?? null,
      // Øre by which a target computing VAT from net prices differs from the POS's VAT.
      vatDriftOre: vatDrift(invoice.sale).reduce((total, difference) => total + difference, 0),
    };
  });
  if (out.json) {
    out.data({ target: target.id, config: loadInvoiceConfig(context.db, target.id), invoices: rows });
    return EXIT.ok;
  }
  const lines = table(
    [
      ['invoice', 'date', 'register', 'customer', 'gross', 'state', 'in target'],
      ...rows.map((row) => [
        row.posNumber,
        row.date,
        row.register,
        row.customer,
        row.gross,
        row.state,
        row.targetNumber ?? '',
      ]),
    ],
    [4],
  );
  for (const line of lines) out.line(line);
  for (const row of rows.filter((item) => item.error)) out.line(`${row.posNumber}: ${row.error ?? ''}`);
  for (const row of rows.filter((item) => item.vatDriftOre !== 0)) {
    out.line(
      `${row.posNumber}: the accounting system will compute VAT ${row.vatDriftOre} øre off the POS's (rounding on net prices)`,
    );
  }
  return EXIT.ok;
}

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
    .action((options: SetupOptions) => run((ctx, out) => invoicesSetup(ctx, out, options))());
  invoices
    .command('import <file>')
    .description('import invoice sales from a CSV file (format in docs/invoices.md)')
    .action((file: string) => run((ctx, out) => invoicesImport(ctx, out, file))());
  invoices
    .command('list')
    .description('invoice sales and their transfer state for the target')
    .action(run(invoicesList));
}
