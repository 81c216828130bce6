import { z } from 'zod';
import { formatAmount } from '../../../shared/money';
import type { HttpRequest, HttpResponse } from '../../http/client';
import type { InvoiceCustomer } from '../../invoices/invoice';
import type { TargetInvoiceLine } from '../../invoices/target-lines';
import { ConnectorError } from '../errors';
import {
  matchesQuery,
  type CustomerQuery,
  type InvoiceConnector,
  type InvoiceToSend,
  type PostedInvoice,
  type TargetCustomer,
} from '../invoice-connector';
import { tripletexError } from './errors';

const customerSchema = z.object({
  id: z.number(),
  name: z.string(),
  customerNumber: z.number().nullish(),
  organizationNumber: z.string().nullish(),
  email: z.string().nullish(),
});
const productSchema = z.object({ id: z.number(), number: z.string().nullish() });
const invoiceSchema = z.object({
  id: z.number(),
  invoiceNumber: z.number().nullish(),
  orders: z.array(z.object({ id: z.number(), reference: z.string().nullish() })).nullish(),
});
const listOf = <T extends z.ZodType>(item: T) => z.object({ values: z.array(item) });
const valueOf = <T extends z.ZodType>(item: T) => z.object({ value: item });

/** Query parameter per lookup (Tripletex GET /customer; `customerAccountNumber` is UNCONFIRMED naming). */
const CUSTOMER_FILTER: Readonly<Record<CustomerQuery['field'], string>> = {
  organization_number: 'organizationNumber',
  customer_number: 'customerAccountNumber',
  email: 'email',
};

const asCustomer = (customer: z.infer<typeof customerSchema>): TargetCustomer => ({
  externalId: String(customer.id),
  customerNumber:
    customer.customerNumber === null || customer.customerNumber === undefined ? null : String(customer.customerNumber),
  organizationNumber: customer.organizationNumber || null,
  email: customer.email || null,
  name: customer.name,
});

const nextDay = (day: string): string => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
};

/**
 * Tripletex's invoice capability: customers by organisation number / customer number / e-mail,
 * one product per VAT rate (plus tip and fee), and POST /invoice carrying a new order whose
 * `reference` is our idempotency key. Order lines take prices excluding VAT with a vatType, so
 * Tripletex adds the VAT once. In 'pos-issued' mode the POS's number is sent as invoiceNumber.
 */
export function tripletexInvoices(
  call: (request: HttpRequest) => Promise<HttpResponse>,
  vatTypeId: (code: string) => Promise<number>,
): InvoiceConnector {
  const productIds = new Map<string, number>();

  const ok = (response: HttpResponse, status: number): unknown => {
    if (response.status !== status) throw tripletexError(response);
    return response.body;
  };

  const productId = async (line: TargetInvoiceLine): Promise<number> => {
    const known = productIds.get(line.productNumber);
    if (known !== undefined) return known;
    const found = listOf(productSchema).parse(
      ok(
        await call({ method: 'GET', path: '/product', query: { number: line.productNumber, fields: 'id,number' } }),
        200,
      ),
    ).values;
    const id =
      found.find((product) => product.number === line.productNumber)?.id ??
      valueOf(productSchema).parse(
        ok(
          await call({
            method: 'POST',
            path: '/product',
            json: {
              name: line.productName,
              number: line.productNumber,
              vatType: { id: await vatTypeId(line.vatCode) },
            },
          }),
          201,
        ),
      ).value.id;
    productIds.set(line.productNumber, id);
    return id;
  };

  const findInvoices = async (invoice: InvoiceToSend) => {
    const response = await call({
      method: 'GET',
      path: '/invoice',
      query: {
        invoiceDateFrom: invoice.sale.issueDate,
        invoiceDateTo: nextDay(invoice.sale.issueDate),
        ...(invoice.mode === 'pos-issued' ? { invoiceNumber: invoice.sale.posNumber } : {}),
        fields: 'id,invoiceNumber,orders(id,reference)',
      },
    });
    return listOf(invoiceSchema).parse(ok(response, 200)).values;
  };

  return {
    lineBasis: 'net',
    modes: ['invoice-in-target', 'pos-issued'],

    async findCustomers(query) {
      const response = await call({
        method: 'GET',
        path: '/customer',
        query: {
          [CUSTOMER_FILTER[query.field]]: query.value,
          fields: 'id,name,customerNumber,organizationNumber,email',
        },
      });
      // The filters may match on parts of a value; only exact matches count.
      return listOf(customerSchema)
        .parse(ok(response, 200))
        .values.map(asCustomer)
        .filter((customer) => matchesQuery(customer, query));
    },

    async createCustomer(customer: InvoiceCustomer, customerNumber: string) {
      const response = await call({
        method: 'POST',
        path: '/customer',
        json: {
          name: customer.name,
          // isCustomer is readOnly in Tripletex's Customer schema: a customer created here is one.
          customerNumber: Number(customerNumber),
          ...(customer.organizationNumber ? { organizationNumber: customer.organizationNumber } : {}),
          ...(customer.email ? { email: customer.email, invoiceEmail: customer.email } : {}),
          ...(customer.address
            ? {
                postalAddress: {
                  addressLine1: customer.address.street,
                  postalCode: customer.address.postalCode,
                  city: customer.address.city,
                },
              }
            : {}),
        },
      });
      return asCustomer(valueOf(customerSchema).parse(ok(response, 201)).value);
    },

    async postInvoice(invoice): Promise<PostedInvoice> {
      const { sale } = invoice;
      if (invoice.mode === 'pos-issued' && !/^\d{1,9}$/.test(sale.posNumber)) {
        throw new ConnectorError(
          'bad_request',
          `Tripletex invoice numbers are whole numbers; the POS's invoice number "${sale.posNumber}" is not one.`,
        );
      }
      const orderLines = [];
      for (const line of invoice.lines) {
        orderLines.push({
          product: { id: await productId(line) },
          description: line.description,
          count: 1,
          // JSON numbers at the edge only: the exact two-decimal text of the øre.
          unitPriceExcludingVatCurrency: Number(formatAmount(line.price)),
          vatType: { id: await vatTypeId(line.vatCode) },
        });
      }
      const comment = [
        `Kassens ${invoice.mode === 'pos-issued' ? 'fakturanr.' : 'ordrenr.'} ${sale.posNumber}`,
        sale.ourReference ? `Vår ref.: ${sale.ourReference}` : null,
        sale.yourReference ? `Deres ref.: ${sale.yourReference}` : null,
      ]
        .filter(Boolean)
        .join('. ');
      const response = await call({
        method: 'POST',
        path: '/invoice',
        // Tripletex e-mails the invoice itself only when it is the one issuing it.
        query: { sendToCustomer: invoice.mode === 'invoice-in-target' },
        json: {
          invoiceDate: sale.issueDate,
          invoiceDueDate: sale.dueDate,
          customer: { id: Number(invoice.customer.externalId) },
          ...(invoice.mode === 'pos-issued' ? { invoiceNumber: Number(sale.posNumber) } : {}),
          orders: [
            {
              customer: { id: Number(invoice.customer.externalId) },
              orderDate: sale.issueDate,
              deliveryDate: sale.issueDate,
              reference: invoice.idempotencyKey,
              invoiceComment: comment,
              orderLines,
            },
          ],
        },
      });
      const created = valueOf(invoiceSchema).parse(ok(response, 201)).value;
      return { externalId: String(created.id), number: created.invoiceNumber ? String(created.invoiceNumber) : null };
    },

    async findExistingInvoice(invoice) {
      // Only ours counts: an invoice with the same number but another reference is a number-series conflict.
      const ours = (await findInvoices(invoice)).find((candidate) =>
        (candidate.orders ?? []).some((order) => order.reference === invoice.idempotencyKey),
      );
      return ours
        ? { externalId: String(ours.id), number: ours.invoiceNumber ? String(ours.invoiceNumber) : null }
        : null;
    },

    async nextInvoiceNumber() {
      // UNCONFIRMED: no endpoint for the invoice number series is known; the highest number + 1.
      const response = await call({
        method: 'GET',
        path: '/invoice',
        query: {
          invoiceDateFrom: '2000-01-01',
          invoiceDateTo: '2100-01-01',
          sorting: '-invoiceNumber',
          count: 1,
          fields: 'id,invoiceNumber',
        },
      });
      const [top] = listOf(invoiceSchema).parse(ok(response, 200)).values;
      return top?.invoiceNumber ? top.invoiceNumber + 1 : null;
    },
  };
}
