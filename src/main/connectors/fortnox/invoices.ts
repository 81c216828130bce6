import { z } from 'zod';
import { formatAmount, type Ore } from '../../../shared/money';
import type { HttpRequest, HttpResponse } from '../../http/client';
import { INVOICE_COUNTRIES, invoiceCountry, type InvoiceCustomer } from '../../invoices/invoice';
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
import { fortnoxError } from './errors';

/**
 * BAS sales accounts per momskod, as on Fortnox's standard chart (3001/3002/3003 for 25/12/6 %,
 * 3004 exempt); a tip has no momskod and goes to the staff's liability 2890 as in the se-bas preset.
 */
const SALES_ACCOUNT: Readonly<Record<string, number>> = { MP1: 3001, MP2: 3002, MP3: 3003, MF: 3004, '': 2890 };
/** Fortnox's SIE import cuts texts at 50 characters; the API limit is unpublished, so we keep to 50. */
const TEXT_MAX = 50;

const customerSchema = z.object({
  CustomerNumber: z.string(),
  Name: z.string(),
  OrganisationNumber: z.string().nullish(),
  Email: z.string().nullish(),
});
/** DocumentNumber comes as a string in lists and may be a number elsewhere (UNCONFIRMED); both are read. */
const invoiceSchema = z.object({
  DocumentNumber: z.union([z.string(), z.number()]).transform(String),
  ExternalInvoiceReference1: z.string().nullish(),
  Booked: z.boolean().nullish(),
  Sent: z.boolean().nullish(),
});

const QUERY_PARAMETER: Readonly<Record<CustomerQuery['field'], string>> = {
  organization_number: 'organisationnumber',
  customer_number: 'customernumber',
  email: 'email',
};

/** Organisation numbers compare by their digits: Fortnox shows 559012-3456, a user may have typed 5590123456. */
const digits = (value: string) => value.replace(/\D/g, '');
const organisationNumberSpellings = (value: string): string[] => {
  const bare = digits(value);
  return [...new Set([value, bare, bare.length === 10 ? `${bare.slice(0, 6)}-${bare.slice(6)}` : bare])];
};

const asCustomer = (customer: z.infer<typeof customerSchema>): TargetCustomer => ({
  externalId: customer.CustomerNumber,
  customerNumber: customer.CustomerNumber,
  organizationNumber: customer.OrganisationNumber || null,
  email: customer.Email || null,
  name: customer.Name,
});

/** SEK with two decimals as JSON numbers, made from the exact øre text. */
const sek = (amount: Ore) => Number(formatAmount(amount));

const asPosted = (invoice: z.infer<typeof invoiceSchema>): PostedInvoice => ({
  externalId: invoice.DocumentNumber,
  number: invoice.DocumentNumber,
});

/**
 * Fortnox's invoice capability: customers by OrganisationNumber / CustomerNumber / Email, one
 * article per VAT rate (plus tip and fee) created once, invoices with net prices
 * (`VATIncluded: false`, Fortnox adds each row's VAT %) and our key in `ExternalInvoiceReference1`
 * (not printed on the invoice), so a lost answer is found again in both modes. Fortnox numbers the
 * invoice ('invoice-in-target'), or takes the POS's number as `DocumentNumber` ('pos-issued').
 */
export function fortnoxInvoices(
  call: (request: HttpRequest) => Promise<HttpResponse>,
  getAll: <T extends z.ZodType>(
    path: string,
    key: string,
    item: T,
    query?: HttpRequest['query'],
  ) => Promise<z.output<T>[]>,
): InvoiceConnector {
  const knownArticles = new Set<string>();

  const ensureArticle = async (line: TargetInvoiceLine): Promise<void> => {
    if (knownArticles.has(line.productNumber)) return;
    const found = await call({ method: 'GET', path: `/articles/${encodeURIComponent(line.productNumber)}` });
    if (found.status === 404) {
      const created = await call({
        method: 'POST',
        path: '/articles',
        json: {
          Article: {
            ArticleNumber: line.productNumber,
            Description: line.productName,
            Type: 'SERVICE',
            VAT: line.vatRateBp / 100,
            SalesAccount: salesAccount(line),
          },
        },
      });
      if (created.status < 200 || created.status >= 300) throw fortnoxError(created);
    } else if (found.status !== 200) {
      throw fortnoxError(found);
    }
    knownArticles.add(line.productNumber);
  };

  /**
   * A POS-issued invoice is already in the customer's hands: it is booked now (its revenue belongs
   * in the ledger) and marked as sent, so Fortnox does not offer to send it again. Each step is
   * skipped when done, so an attempt cut off between them is completed by the next one.
   */
  const completeIssued = async (invoice: z.infer<typeof invoiceSchema>): Promise<void> => {
    const number = encodeURIComponent(invoice.DocumentNumber);
    for (const [done, action] of [
      [invoice.Booked, 'bookkeep'],
      [invoice.Sent, 'externalprint'],
    ] as const) {
      if (done) continue;
      const response = await call({ method: 'PUT', path: `/invoices/${number}/${action}` });
      if (response.status !== 200) throw fortnoxError(response);
    }
  };

  const findInvoice = async (invoice: InvoiceToSend): Promise<PostedInvoice | null> => {
    // The filter matches where the reference begins, so the exact key is compared here.
    const listed = await getAll('/invoices', 'Invoices', invoiceSchema, {
      externalinvoicereference1: invoice.idempotencyKey,
    });
    const ours = listed.find((candidate) => candidate.ExternalInvoiceReference1 === invoice.idempotencyKey);
    if (!ours) return null;
    if (invoice.mode === 'pos-issued') await completeIssued(ours);
    return asPosted(ours);
  };

  return {
    lineBasis: 'net',
    modes: ['invoice-in-target', 'pos-issued'],

    async findCustomers(query) {
      // Fortnox's filter matches where the stored value begins; an organisation number may be
      // stored with or without its dash, so both spellings are asked for and compared by digits.
      const spellings =
        query.field === 'organization_number' ? organisationNumberSpellings(query.value) : [query.value];
      const found = new Map<string, TargetCustomer>();
      for (const value of spellings) {
        const listed = await getAll('/customers', 'Customers', customerSchema, {
          [QUERY_PARAMETER[query.field]]: value,
        });
        for (const customer of listed.map(asCustomer)) found.set(customer.externalId, customer);
      }
      return [...found.values()].filter((customer) => matchesQuery(customer, query));
    },

    async createCustomer(customer: InvoiceCustomer, customerNumber: string) {
      const response = await call({
        method: 'POST',
        path: '/customers',
        json: {
          Customer: {
            CustomerNumber: customerNumber,
            Name: customer.name,
            Type: 'COMPANY',
            ...(customer.organizationNumber ? { OrganisationNumber: customer.organizationNumber } : {}),
            ...(customer.email ? { Email: customer.email } : {}),
            ...(customer.address
              ? {
                  Address1: customer.address.street,
                  ZipCode: customer.address.postalCode,
                  City: customer.address.city,
                  CountryCode: customer.address.country,
                }
              : {}),
          },
        },
      });
      if (response.status < 200 || response.status >= 300) throw fortnoxError(response);
      return asCustomer(z.object({ Customer: customerSchema }).parse(response.body).Customer);
    },

    async postInvoice(invoice) {
      const { sale } = invoice;
      const country = invoiceCountry(sale);
      if (country !== 'SE') {
        throw new ConnectorError(
          'bad_request',
          `Fortnox takes Swedish invoice sales in SEK; invoice ${sale.posNumber} is from a ${country} shop.`,
        );
      }
      if (invoice.mode === 'pos-issued' && !/^[1-9]\d{0,9}$/.test(sale.posNumber)) {
        throw new ConnectorError(
          'bad_request',
          `Fortnox invoice numbers are whole numbers; the POS's number "${sale.posNumber}" cannot be used as one.`,
        );
      }
      for (const line of invoice.lines) await ensureArticle(line);
      const response = await call({
        method: 'POST',
        path: '/invoices',
        json: {
          Invoice: {
            ...(invoice.mode === 'pos-issued' ? { DocumentNumber: Number(sale.posNumber) } : {}),
            CustomerNumber: invoice.customer.customerNumber ?? invoice.customer.externalId,
            InvoiceDate: sale.issueDate,
            DueDate: sale.dueDate,
            Currency: INVOICE_COUNTRIES[country].currency,
            VATIncluded: false,
            ExternalInvoiceReference1: invoice.idempotencyKey,
            YourOrderNumber: sale.posNumber,
            ...(sale.ourReference ? { OurReference: sale.ourReference } : {}),
            ...(sale.yourReference ? { YourReference: sale.yourReference } : {}),
            InvoiceRows: invoice.lines.map((line) => ({
              ArticleNumber: line.productNumber,
              Description: line.description.slice(0, TEXT_MAX),
              DeliveredQuantity: 1,
              Price: sek(line.price),
              VAT: line.vatRateBp / 100,
            })),
          },
        },
      });
      // The live create status is UNCONFIRMED (200 or 201): any 2xx is success.
      if (response.status < 200 || response.status >= 300) throw fortnoxError(response);
      const created = z.object({ Invoice: invoiceSchema }).parse(response.body).Invoice;
      if (invoice.mode === 'pos-issued') await completeIssued(created);
      return asPosted(created);
    },

    findExistingInvoice: findInvoice,

    async nextInvoiceNumber() {
      // UNCONFIRMED: Fortnox shows no "next number" over the API; the highest invoice number + 1 is
      // what its series continues from once it has numbered one. No invoice yet: unknown.
      const response = await call({
        method: 'GET',
        path: '/invoices',
        query: { sortby: 'documentnumber', sortorder: 'descending', limit: 1 },
      });
      if (response.status !== 200) throw fortnoxError(response);
      const [highest] = z.object({ Invoices: z.array(invoiceSchema) }).parse(response.body).Invoices;
      return highest ? Number(highest.DocumentNumber) + 1 : null;
    },
  };
}

function salesAccount(line: TargetInvoiceLine): number {
  const account = SALES_ACCOUNT[line.vatCode];
  if (account === undefined) {
    throw new ConnectorError(
      'bad_request',
      `No BAS sales account for momskod "${line.vatCode}" (${line.productName}).`,
    );
  }
  return account;
}
