import { formatAmount } from '../../shared/money';
import { connectorFor, hasConnector } from '../connectors/registry';
import { secretsOf } from '../cli/commands/sync';
import type { CliContext } from '../cli/context';
import { CliError, EXIT, table, type Output } from '../cli/output';
import { readFileSync } from 'node:fs';
import { readInvoiceCsv } from '../sources/invoices/read-invoice-csv';
import { readSaftInvoices } from '../sources/saft/read-saft-invoices';
import { SAFT_NAMESPACE } from '../sources/saft/read-saft';
import { describeProblem } from '../../shared/problems';
import { prepareVouchers } from '../vouchers/prepare';
import { loadInvoiceConfig, type InvoiceConfig, type InvoiceMode } from './config';
import { invoiceTotals } from './invoice';
import { applyInvoiceSetup, invoiceChoiceTexts, InvoiceSetupError } from './setup';
import { importInvoiceSales, listInvoiceOutbox, listInvoiceSales } from './store';
import { vatDrift } from './target-lines';

export interface SetupOptions {
  mode?: string;
  zRevenue?: string;
  customerStart?: string;
  off?: boolean;
}

export async function invoicesSetup(context: CliContext, out: Output, options: SetupOptions): Promise<number> {
  const target = context.target();
  const connector = hasConnector(target.kind)
    ? connectorFor(target, { secrets: secretsOf(context) }).invoices
    : undefined;
  let result;
  try {
    result = await applyInvoiceSetup(
      context.db,
      target.id,
      connector,
      {
        enabled: !options.off,
        ...(options.mode ? { mode: options.mode as InvoiceMode } : {}),
        ...(options.zRevenue ? { zRevenue: options.zRevenue as InvoiceConfig['zRevenue'] } : {}),
        ...(options.customerStart ? { customerNumberStart: Number(options.customerStart) } : {}),
      },
      out.language,
    );
  } catch (error) {
    if (error instanceof InvoiceSetupError) throw new CliError(`invoice setup: ${error.message}`);
    throw error;
  }
  if (!result.saved) {
    if (out.json) out.data({ saved: false, reason: result.reason });
    else out.line(result.reason);
    return EXIT.problems;
  }
  const { config, numberSeries } = result;
  if (out.json) {
    out.data({ saved: true, target: target.id, config, numberSeries });
  } else {
    const texts = invoiceChoiceTexts(out.language);
    out.line(
      config.enabled
        ? `Invoice transfer to "${target.id}" is on (${config.mode}). ${texts.modes[config.mode]}`
        : `Invoice transfer to "${target.id}" is off. ${texts.off}`,
    );
    if (config.enabled) out.line(`New customers are numbered from ${config.customerNumberStart}.`);
    if (numberSeries) out.line(numberSeries.message);
  }
  return numberSeries?.status === 'conflict' ? EXIT.problems : EXIT.ok;
}

export function invoicesImport(context: CliContext, out: Output, file: string): number {
  const config = loadInvoiceConfig(context.db, context.target().id);
  // A SAF-T Cash Register file gives its credit sales; anything else is read as the invoice CSV.
  const isSaft = readFileSync(file).subarray(0, 4096).toString('latin1').includes(SAFT_NAMESPACE);
  const { invoices, warnings } = isSaft
    ? readSaftInvoices(file, { dueDays: config.defaultDueDays })
    : { invoices: readInvoiceCsv(file, { defaultDueDays: config.defaultDueDays }), warnings: [] };
  const result = importInvoiceSales(context.db, invoices);
  // Rebuilding now clears the new invoices off unsent Z vouchers, and holds those that came too late.
  const held = prepareVouchers(context.db, context.target().id).problems.filter(
    (problem) => problem.code === 'invoice_after_z',
  );
  const heldTexts = held.map((problem) => describeProblem(problem, out.language));
  if (out.json) out.data({ ...result, warnings, held: heldTexts });
  else {
    out.line(`${result.inserted} invoice sales imported, ${result.alreadyPresent} already present.`);
    for (const warning of warnings) out.line(`warning: ${warning}`);
    for (const text of heldTexts) out.line(`held: ${text}`);
  }
  return held.length ? EXIT.problems : EXIT.ok;
}

export function invoicesList(context: CliContext, out: Output): number {
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
