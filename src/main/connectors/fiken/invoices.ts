import { z } from 'zod';
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
import { fikenError } from './errors';

/** Fiken's VAT type names on sales and invoices (specs/fiken.md §7), from the Norwegian code. */
const VAT_TYPE: Readonly<Record<string, string>> = {
  '3': 'HIGH',
  '31': 'MEDIUM',
  '33': 'LOW',
  '5': 'EXEMPT',
  '6': 'OUTSIDE',
};
/** Income accounts for the products (Fiken's standard chart). */
const INCOME_ACCOUNT: Readonly<Record<string, string>> = {
  '3': '3000',
  '31': '3000',
  '33': '3000',
  '5': '3100',
  '6': '3900',
};
/** Where invoice payments go; Fiken requires a bank account on an invoice (UNCONFIRMED which one). */
const INVOICE_BANK_ACCOUNT = '1920:10001';

const contactSchema = z.object({
  contactId: z.number(),
  name: z.string(),
  email: z.string().nullish(),
  organizationNumber: z.string().nullish(),
});
const invoiceSchema = z.object({
  invoiceId: z.number(),
  invoiceNumber: z.number().nullish(),
  orderReference: z.string().nullish(),
});
const saleSchema = z.object({
  saleId: z.number(),
  saleNumber: z.string().nullish(),
  date: z.string().nullish(),
  customer: z.object({ contactId: z.number() }).nullish(),
});

/**
 * Kassebro's customer numbers live in Fiken's `memberNumber` ("a number that can be used to connect
 * a contact to your own data": write-only, but a list filter); `customerNumber` is Fiken's own,
 * read-only. UNCONFIRMED: that the memberNumber filter matches the whole number only.
 */
const QUERY_PARAMETER: Readonly<Record<CustomerQuery['field'], string>> = {
  organization_number: 'organizationNumber',
  customer_number: 'memberNumber',
  email: 'email',
};

/** A contact as a target customer; its number is ours (the member number) where the look-up was by it. */
const asCustomer = (contact: z.infer<typeof contactSchema>, memberNumber: string | null = null): TargetCustomer => ({
  externalId: String(contact.contactId),
  customerNumber: memberNumber,
  organizationNumber: contact.organizationNumber || null,
  email: contact.email || null,
  name: contact.name,
});

/** Fiken answers POST with 201, an empty body and the new resource in Location: its trailing id. */
function createdId(response: HttpResponse): number {
  if (response.status !== 201) throw fikenError(response);
  const id = /\/(\d+)$/.exec(response.headers.get('location') ?? '')?.[1];
  if (!id)
    throw new ConnectorError('unknown_outcome', `Fiken answered 201 without a usable Location header`, {
      mayHaveArrived: true,
    });
  return Number(id);
}

/**
 * Fiken's invoice capability: contacts by organisation number / customer number / e-mail, one
 * product per VAT rate (plus tip and fee), invoices numbered by Fiken with our key in
 * `orderReference` ('invoice-in-target'), or a sale of kind "external_invoice" with the POS's
 * number as `saleNumber` ('pos-issued'). Prices are øre excluding VAT; Fiken adds the VAT.
 */
export function fikenInvoices(
  call: (request: HttpRequest) => Promise<HttpResponse>,
  getAll: <T extends z.ZodType>(path: string, item: T, query?: HttpRequest['query']) => Promise<z.output<T>[]>,
): InvoiceConnector {
  const productIds = new Map<string, number>();

  const productId = async (line: TargetInvoiceLine): Promise<number> => {
    const known = productIds.get(line.productNumber);
    if (known !== undefined) return known;
    const [found] = await getAll(
      '/products',
      z.object({ productId: z.number(), productNumber: z.string().nullish() }),
      {
        productNumber: line.productNumber,
      },
    );
    const id =
      found?.productId ??
      createdId(
        await call({
          method: 'POST',
          path: '/products',
          json: {
            name: line.productName,
            productNumber: line.productNumber,
            incomeAccount: INCOME_ACCOUNT[line.vatCode] ?? '3000',
            vatType: VAT_TYPE[line.vatCode] ?? 'HIGH',
            active: true,
          },
        }),
      );
    productIds.set(line.productNumber, id);
    return id;
  };

  const findInvoice = async (invoice: InvoiceToSend): Promise<PostedInvoice | null> => {
    if (invoice.mode === 'pos-issued') {
      // A sale has no field for our key: the POS's number, date and customer together identify ours.
      const sale = (await getAll('/sales', saleSchema, { saleNumber: invoice.sale.posNumber })).find(
        (candidate) =>
          candidate.date === invoice.sale.issueDate &&
          String(candidate.customer?.contactId) === invoice.customer.externalId,
      );
      return sale ? { externalId: String(sale.saleId), number: sale.saleNumber ?? invoice.sale.posNumber } : null;
    }
    const invoices = await getAll('/invoices', invoiceSchema, { issueDate: invoice.sale.issueDate });
    const ours = invoices.find((candidate) => candidate.orderReference === invoice.idempotencyKey);
    return ours
      ? { externalId: String(ours.invoiceId), number: ours.invoiceNumber ? String(ours.invoiceNumber) : null }
      : null;
  };

  return {
    lineBasis: 'net',
    modes: ['invoice-in-target', 'pos-issued'],

    async findCustomers(query) {
      const contacts = await getAll('/contacts', contactSchema, { [QUERY_PARAMETER[query.field]]: query.value });
      const member = query.field === 'customer_number' ? query.value : null;
      return contacts.map((contact) => asCustomer(contact, member)).filter((customer) => matchesQuery(customer, query));
    },

    async createCustomer(customer: InvoiceCustomer, customerNumber: string) {
      const id = createdId(
        await call({
          method: 'POST',
          path: '/contacts',
          json: {
            name: customer.name,
            customer: true,
            memberNumber: Number(customerNumber),
            ...(customer.email ? { email: customer.email } : {}),
            ...(customer.organizationNumber ? { organizationNumber: customer.organizationNumber } : {}),
            ...(customer.address
              ? {
                  address: {
                    streetAddress: customer.address.street,
                    postCode: customer.address.postalCode,
                    city: customer.address.city,
                    country: customer.address.country,
                  },
                }
              : {}),
          },
        }),
      );
      return {
        externalId: String(id),
        customerNumber,
        organizationNumber: customer.organizationNumber,
        email: customer.email,
        name: customer.name,
      };
    },

    async postInvoice(invoice) {
      const { sale } = invoice;
      const customerId = Number(invoice.customer.externalId);
      if (invoice.mode === 'pos-issued') {
        const id = createdId(
          await call({
            method: 'POST',
            path: '/sales',
            json: {
              saleNumber: sale.posNumber,
              date: sale.issueDate,
              dueDate: sale.dueDate,
              kind: 'external_invoice',
              paid: false,
              currency: 'NOK',
              customerId,
              // A sale takes net and VAT explicitly: the POS's own figures, to the øre.
              lines: invoice.lines.map((line) => ({
                description: line.description,
                netPrice: line.net,
                vat: line.vat,
                account: INCOME_ACCOUNT[line.vatCode] ?? '3000',
                vatType: VAT_TYPE[line.vatCode] ?? 'HIGH',
              })),
            },
          }),
        );
        return { externalId: String(id), number: sale.posNumber };
      }
      const lines = [];
      for (const line of invoice.lines) {
        lines.push({
          productId: await productId(line),
          quantity: 1,
          unitPrice: line.price,
          vatType: VAT_TYPE[line.vatCode] ?? 'HIGH',
          description: line.description,
        });
      }
      const id = createdId(
        await call({
          method: 'POST',
          path: '/invoices',
          json: {
            issueDate: sale.issueDate,
            dueDate: sale.dueDate,
            customerId,
            bankAccountCode: INVOICE_BANK_ACCOUNT,
            cash: false,
            currency: 'NOK',
            orderReference: invoice.idempotencyKey,
            ...(sale.ourReference ? { ourReference: sale.ourReference } : {}),
            ...(sale.yourReference ? { yourReference: sale.yourReference } : {}),
            invoiceText: `Kassens ordrenr. ${sale.posNumber}`,
            lines,
          },
        }),
      );
      const read = await call({ method: 'GET', path: `/invoices/${id}` });
      if (read.status !== 200) throw fikenError(read);
      const number = invoiceSchema.parse(read.body).invoiceNumber;
      return { externalId: String(id), number: number ? String(number) : null };
    },

    findExistingInvoice: findInvoice,

    async nextInvoiceNumber() {
      // UNCONFIRMED: GET /invoices/counter gives the last number used.
      const response = await call({ method: 'GET', path: '/invoices/counter' });
      if (response.status !== 200) throw fikenError(response);
      return z.object({ value: z.number() }).parse(response.body).value + 1;
    },
  };
}
