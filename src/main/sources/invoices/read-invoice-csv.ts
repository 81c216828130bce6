import { MoneyFormatError, parseAmount, type Ore } from '../../../shared/money';
import { INVOICE_LINE_KINDS, invoiceSaleSchema, type InvoiceLine, type InvoiceSale } from '../../invoices/invoice';
import { readCsvTable } from '../csv/csv-table';
import { SourceError } from '../source-error';

export const INVOICE_CSV_SOURCE = 'csv-invoices';

/** Columns of the Kassebro invoice CSV (docs/invoices.md): one row per invoice line. */
export const INVOICE_CSV_COLUMNS = {
  required: ['invoice', 'register', 'date', 'customer_name', 'kind', 'description', 'vat_rate', 'net', 'vat'],
  optional: [
    'location',
    'issue_date',
    'due_date',
    'org_number',
    'customer_number',
    'email',
    'street',
    'postal_code',
    'city',
    'article_group',
    'our_reference',
    'your_reference',
  ],
} as const;

/** Columns that describe the invoice, not the line: every row of one invoice must repeat them alike. */
const HEADER_COLUMNS = [
  'register',
  'date',
  'issue_date',
  'due_date',
  'customer_name',
  'org_number',
  'customer_number',
  'email',
  'street',
  'postal_code',
  'city',
  'our_reference',
  'your_reference',
] as const;

const addDays = (day: string, days: number): string => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

/**
 * Reads an invoice CSV into invoice sales. Rows with the same location and invoice number are one
 * invoice. Every error names the file, the line and the column.
 */
export function readInvoiceCsv(path: string, options: { readonly defaultDueDays?: number } = {}): InvoiceSale[] {
  const invoices = new Map<
    string,
    { firstLine: number; header: Record<string, string>; lines: InvoiceLine[]; fileLines: number[] }
  >();
  for (const { line, cell, fail } of readCsvTable(path, INVOICE_CSV_COLUMNS.required, 'docs/invoices.md')) {
    const amount = (field: string): Ore => {
      try {
        return parseAmount(cell(field), { allowGrouping: true });
      } catch (error) {
        return fail(field, error instanceof MoneyFormatError ? error.message : String(error));
      }
    };
    if (!cell('invoice')) fail('invoice', 'empty');
    const kind = cell('kind').toLowerCase();
    if (!(INVOICE_LINE_KINDS as readonly string[]).includes(kind)) {
      fail('kind', `"${cell('kind')}" is not one of ${INVOICE_LINE_KINDS.join(', ')}`);
    }
    const rate = cell('vat_rate').replace(/\s*%$/, '');
    if (!['0', '12', '15', '25'].includes(rate)) fail('vat_rate', `"${cell('vat_rate')}" is not 0, 12, 15 or 25`);
    const location = cell('location') || '1';
    const id = `${location}|${cell('invoice')}`;
    const fields = Object.fromEntries(HEADER_COLUMNS.map((name) => [name, cell(name)]));
    const invoice = invoices.get(id) ?? { firstLine: line, header: { ...fields, location }, lines: [], fileLines: [] };
    for (const name of HEADER_COLUMNS) {
      if (invoice.header[name] !== fields[name]) {
        fail(
          name,
          `invoice ${cell('invoice')} began on line ${invoice.firstLine} with ${name} "${invoice.header[name]}"`,
        );
      }
    }
    invoice.lines.push({
      kind: kind as InvoiceLine['kind'],
      description: cell('description'),
      articleGroup: cell('article_group') || null,
      vatRateBp: (Number(rate) * 100) as InvoiceLine['vatRateBp'],
      net: amount('net'),
      vat: amount('vat'),
    });
    invoice.fileLines.push(line);
    invoices.set(id, invoice);
  }

  return [...invoices.entries()].map(([id, invoice]) => {
    const value = (name: string): string | null => invoice.header[name] || null;
    const date = invoice.header['date'] ?? '';
    const issueDate = value('issue_date') ?? date;
    const parsed = invoiceSaleSchema.safeParse({
      source: INVOICE_CSV_SOURCE,
      location: invoice.header['location'],
      registerId: invoice.header['register'],
      businessDate: date,
      posNumber: id.split('|')[1],
      issueDate,
      dueDate:
        value('due_date') ??
        (/^\d{4}-\d{2}-\d{2}$/.test(issueDate) ? addDays(issueDate, options.defaultDueDays ?? 14) : ''),
      ourReference: value('our_reference'),
      yourReference: value('your_reference'),
      customer: {
        name: invoice.header['customer_name'] ?? '',
        organizationNumber: value('org_number')?.replace(/\s/g, '') ?? null,
        customerNumber: value('customer_number'),
        email: value('email'),
        address:
          value('street') && value('postal_code') && value('city')
            ? { street: value('street'), postalCode: value('postal_code'), city: value('city'), country: 'NO' }
            : null,
      },
      lines: invoice.lines,
      sourceRef: `${path}:${invoice.firstLine}`,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const [first, index, field] = issue?.path ?? [];
      // Name the CSV column, and the row for a line's problem.
      const column =
        first === 'customer'
          ? ({
              name: 'customer_name',
              organizationNumber: 'org_number',
              customerNumber: 'customer_number',
              email: 'email',
            }[String(index)] ?? 'customer')
          : first === 'lines'
            ? ({ vat: 'vat', net: 'net', vatRateBp: 'vat_rate', description: 'description' }[String(field)] ?? 'lines')
            : ({ businessDate: 'date', issueDate: 'issue_date', dueDate: 'due_date' }[String(first)] ?? String(first));
      const fileLine = first === 'lines' ? invoice.fileLines[Number(index)] : invoice.firstLine;
      const where = `line ${fileLine ?? invoice.firstLine} (invoice ${id.split('|')[1]})`;
      throw new SourceError(path, where, column, issue?.message ?? 'invalid invoice');
    }
    return parsed.data;
  });
}
