import Database from 'better-sqlite3';
import { ore } from '../../../shared/money';
import { invoiceSaleSchema, type InvoiceSale } from '../../invoices/invoice';
import { SourceError } from '../source-error';
import { invoiceLineRowSchema, invoiceRowSchema, type PosProfile } from './profile';
import { toOre } from './read-pos-db';

/** The first problem of a zod result, as a SourceError naming the place and the field. */
function rowError(
  source: string,
  location: string,
  issue: { path: PropertyKey[]; message: string } | undefined,
): SourceError {
  return new SourceError(source, location, issue?.path.map(String).join('.') || null, issue?.message ?? 'invalid row');
}

/**
 * Reads the POS's invoice sales through the profile's `invoices` queries (read-only, one snapshot).
 * A profile without them yields none. Every bad value names the invoice, the line and the field.
 */
export function readPosInvoices(databasePath: string, profile: PosProfile): InvoiceSale[] {
  const queries = profile.invoices;
  if (!queries) return [];
  const source = `${profile.name} (${databasePath})`;
  const db = new Database(databasePath, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const salesQuery = db.prepare(queries.sales);
    const linesQuery = db.prepare(queries.lines);
    return db.transaction(() =>
      salesQuery.all().map((raw, index) => {
        const row = invoiceRowSchema.safeParse(raw);
        if (!row.success) throw rowError(source, `invoices row ${index + 1}`, row.error.issues[0]);
        const invoice = row.data;
        const where = `invoice ${invoice.posNumber}`;
        const lines = linesQuery.all({ ref: invoice.ref }).map((rawLine, lineIndex) => {
          const lineWhere = `${where}, line ${lineIndex + 1}`;
          const line = invoiceLineRowSchema.safeParse(rawLine);
          if (!line.success) throw rowError(source, lineWhere, line.error.issues[0]);
          const kind = queries.lineKinds[line.data.kind];
          if (!kind) {
            throw new SourceError(
              source,
              lineWhere,
              'kind',
              `unknown line kind "${line.data.kind}"; add it to the profile's invoices.lineKinds`,
            );
          }
          const amount = toOre(line.data.amount, profile, () => [lineWhere, 'amount']);
          const vat = toOre(line.data.vat, profile, () => [lineWhere, 'vat']);
          return {
            kind,
            description: line.data.description,
            articleGroup: line.data.articleGroup,
            vatRateBp: Math.round(line.data.vatRate * 100),
            net: profile.salesAmounts === 'gross' ? ore(amount - vat) : amount,
            vat,
          };
        });
        const sale = invoiceSaleSchema.safeParse({
          source: profile.source,
          location: invoice.location,
          registerId: invoice.registerId,
          businessDate: invoice.businessDate,
          posNumber: invoice.posNumber,
          issueDate: invoice.issueDate,
          dueDate: invoice.dueDate,
          ourReference: invoice.ourReference,
          yourReference: invoice.yourReference,
          customer: {
            name: invoice.customerName,
            organizationNumber: invoice.organizationNumber?.replace(/\s/g, '') ?? null,
            customerNumber: invoice.customerNumber,
            email: invoice.email,
            address:
              invoice.street && invoice.postalCode && invoice.city
                ? { street: invoice.street, postalCode: invoice.postalCode, city: invoice.city, country: 'NO' }
                : null,
          },
          lines,
          sourceRef: `${databasePath}#invoice-${String(invoice.ref)}`,
        });
        if (!sale.success) throw rowError(source, where, sale.error.issues[0]);
        return sale.data;
      }),
    )();
  } catch (error) {
    if (error instanceof SourceError) throw error;
    throw new SourceError(source, 'invoice queries', null, (error as Error).message, { cause: error });
  } finally {
    db.close();
  }
}
