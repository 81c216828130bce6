import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { add, formatAmount, ZERO, type Ore } from '../../../shared/money';
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
import { powerOfficeError } from './errors';

/**
 * Sales account per Norwegian VAT code (NS 4102 numbers, as in the no-standard preset). In Go a
 * product's sales account decides the VAT of a sales order line (the line has no VAT field), so
 * each product points at the account of its rate. UNCONFIRMED per client: change them here.
 */
export const POWEROFFICE_SALES_ACCOUNTS: Readonly<Record<string, string>> = {
  '3': '3000',
  '31': '3001',
  '33': '3002',
  '5': '3100',
  '6': '3905',
};

/** The GL account Id and VAT code Id Go wants for an account number and VAT code on a date. */
export type LedgerIds = (
  accountNo: string,
  vatCode: string,
  date: string,
) => Promise<{ AccountId: number; VatId: number }>;

const customerSchema = z.object({
  Id: z.number(),
  Number: z.number().nullish(),
  Name: z.string().nullish(),
  OrganizationNumber: z.string().nullish(),
  EmailAddress: z.string().nullish(),
});
const productSchema = z.object({ Id: z.number(), Code: z.string().nullish() });
const salesOrderSchema = z.object({ Id: z.string(), ExternalImportReference: z.string().nullish() });
const sentStateSchema = z.array(
  z.object({
    InvoiceNo: z.number().nullish(),
    IsInvoiceBeingProcessed: z.boolean().nullish(),
    LastErrorMessage: z.string().nullish(),
  }),
);
const outgoingInvoiceSchema = z.object({
  Id: z.string(),
  InvoiceNo: z.number().nullish(),
  ExternalImportReference: z.string().nullish(),
});

const asCustomer = (customer: z.infer<typeof customerSchema>): TargetCustomer => ({
  externalId: String(customer.Id),
  customerNumber: customer.Number === null || customer.Number === undefined ? null : String(customer.Number),
  organizationNumber: customer.OrganizationNumber || null,
  email: customer.EmailAddress || null,
  name: customer.Name ?? '',
});

const asPosted = (invoice: z.infer<typeof outgoingInvoiceSchema>): PostedInvoice => ({
  externalId: invoice.Id,
  number: invoice.InvoiceNo === null || invoice.InvoiceNo === undefined ? null : String(invoice.InvoiceNo),
});

/** Kroner as JSON numbers at this edge only, from the exact two-decimal text of the øre. */
const kroner = (amount: Ore): number => Number(formatAmount(amount));

/** Go queues the delivery (202) and numbers the invoice on its way; how long we look for the number. */
const SENT_STATE_POLLS = [0, 250, 500, 1_000, 2_000];

/**
 * PowerOffice Go's invoice capability (API v2): customers (GET/POST /Customers; Go filters only by
 * customer number, so organisation number and e-mail are matched on the full list), one product
 * per VAT rate (plus tip and fee) pointing at that rate's sales account, and:
 * - 'invoice-in-target': a sales order (invoice draft, POST /SalesOrders/Complete) with our key in
 *   ExternalImportReference, sent with POST /SalesOrders/{id}/createAndSendInvoice: Go numbers and
 *   delivers it. Line prices are EXCLUDING VAT (lineBasis 'net'): Go adds the VAT of the product's
 *   sales account, so a gross price would be taxed twice. A draft left by a failed send (missing
 *   address, lost answer) is found by its key and sent, never created twice.
 * - 'pos-issued': an outgoing invoice voucher (POST /Vouchers/OutgoingInvoiceJournals) with the
 *   POS's InvoiceNo, unique per client. Voucher lines are GROSS with a VatId, as every Go voucher
 *   line is; the POS's own net + VAT, so the øre are the POS's.
 */
export function powerOfficeInvoices(
  call: (request: HttpRequest) => Promise<HttpResponse>,
  getAll: <T extends z.ZodType>(path: string, item: T, query?: HttpRequest['query']) => Promise<z.output<T>[]>,
  ledgerIds: LedgerIds,
): InvoiceConnector {
  const productIds = new Map<string, number>();

  const ok = (response: HttpResponse, ...statuses: number[]): unknown => {
    if (!statuses.includes(response.status)) throw powerOfficeError(response);
    return response.body;
  };

  const productId = async (line: TargetInvoiceLine): Promise<number> => {
    const known = productIds.get(line.productNumber);
    if (known !== undefined) return known;
    const [found] = (await getAll('/Products', productSchema, { codes: line.productNumber })).filter(
      (product) => product.Code === line.productNumber,
    );
    const id =
      found?.Id ??
      productSchema.parse(
        ok(
          await call({
            method: 'POST',
            path: '/Products',
            json: {
              Code: line.productNumber,
              Name: line.productName,
              StandardSalesAccount: Number(POWEROFFICE_SALES_ACCOUNTS[line.vatCode] ?? '3000'),
              UnitPrice: 0,
            },
          }),
          201,
        ),
      ).Id;
    productIds.set(line.productNumber, id);
    return id;
  };

  /** Our draft from an earlier attempt whose send failed, if Go still holds it. */
  const draftOf = async (invoice: InvoiceToSend): Promise<string | null> => {
    const drafts = await getAll('/SalesOrders', salesOrderSchema, {
      onlyCreatedByCurrentIntegration: true,
      ...(invoice.customer.customerNumber ? { customerNos: invoice.customer.customerNumber } : {}),
    });
    return drafts.find((draft) => draft.ExternalImportReference === invoice.idempotencyKey)?.Id ?? null;
  };

  const createDraft = async (invoice: InvoiceToSend): Promise<string> => {
    const { sale } = invoice;
    const lines = [];
    for (const line of invoice.lines) {
      lines.push({
        ProductId: await productId(line),
        Quantity: 1,
        ProductUnitPrice: kroner(line.price),
        Description: line.description,
        // The product's standard account carries the POS's VAT rate; a VAT-free customer must not switch it.
        UseStandardSalesAccount: true,
      });
    }
    const response = await call({
      method: 'POST',
      path: '/SalesOrders/Complete',
      json: {
        CustomerId: Number(invoice.customer.externalId),
        SalesOrderDate: sale.issueDate,
        DeliveryDate: sale.issueDate,
        CurrencyCode: 'NOK',
        ExternalImportReference: invoice.idempotencyKey,
        // The POS's order number, visible on the order in Go, where it is a number.
        ...(/^\d{1,15}$/.test(sale.posNumber) ? { ImportedOrderNo: Number(sale.posNumber) } : {}),
        ...(sale.yourReference ? { CustomerReference: sale.yourReference } : {}),
        SalesOrderLines: lines,
      },
    });
    return salesOrderSchema.parse(ok(response, 201)).Id;
  };

  const sentState = async (orderId: string) => {
    const response = await call({ method: 'GET', path: '/SalesOrders/sentState', query: { id: orderId } });
    const [state] = sentStateSchema.parse(ok(response, 200));
    return state;
  };

  /** The number Go gave the invoice, or the delivery error it reported; null while it is still on its way. */
  const sentNumber = async (orderId: string): Promise<string | null> => {
    for (const wait of SENT_STATE_POLLS) {
      if (wait > 0) await sleep(wait);
      const state = await sentState(orderId);
      if (state?.InvoiceNo !== null && state?.InvoiceNo !== undefined) return String(state.InvoiceNo);
      if (!state?.IsInvoiceBeingProcessed && state?.LastErrorMessage) {
        throw new ConnectorError('bad_request', state.LastErrorMessage);
      }
    }
    return null;
  };

  const postInGo = async (invoice: InvoiceToSend): Promise<PostedInvoice> => {
    const draft = await draftOf(invoice);
    // A draft Go is still delivering from an earlier attempt is waited for, never sent a second time.
    if (draft && (await sentState(draft))?.IsInvoiceBeingProcessed) {
      return { externalId: draft, number: await sentNumber(draft) };
    }
    const orderId = draft ?? (await createDraft(invoice));
    const response = await call({
      method: 'POST',
      path: `/SalesOrders/${orderId}/createAndSendInvoice`,
      json: { VoucherDate: invoice.sale.issueDate, OverrideDueDate: invoice.sale.dueDate },
    });
    ok(response, 202, 200);
    // Go keeps the draft's Id for the invoice and its voucher.
    return { externalId: orderId, number: await sentNumber(orderId) };
  };

  const postIssuedByPos = async (invoice: InvoiceToSend): Promise<PostedInvoice> => {
    const { sale } = invoice;
    if (!/^\d{1,18}$/.test(sale.posNumber)) {
      throw new ConnectorError(
        'bad_request',
        `PowerOffice Go invoice numbers are whole numbers; the POS's invoice number "${sale.posNumber}" is not one.`,
      );
    }
    const lines = [];
    let total = ZERO;
    for (const line of invoice.lines) {
      const gross = add(line.net, line.vat);
      total = add(total, gross);
      const ids = await ledgerIds(POWEROFFICE_SALES_ACCOUNTS[line.vatCode] ?? '3000', line.vatCode, sale.issueDate);
      lines.push({ ...ids, CurrencyAmount: kroner(gross), Description: line.description });
    }
    const response = await call({
      method: 'POST',
      path: '/Vouchers/OutgoingInvoiceJournals',
      json: {
        VoucherDate: sale.issueDate,
        DueDate: sale.dueDate,
        InvoiceNo: sale.posNumber,
        CustomerAccountId: Number(invoice.customer.externalId),
        CurrencyCode: 'NOK',
        CurrencyAmount: kroner(total),
        ExternalImportReference: invoice.idempotencyKey,
        Description: `Faktura ${sale.posNumber} fra kassen`,
        ...(sale.yourReference ? { CustomerReference: sale.yourReference } : {}),
        OutgoingInvoiceLines: lines,
      },
    });
    const posted = z.object({ Id: z.string() }).parse(ok(response, 201));
    return { externalId: posted.Id, number: sale.posNumber };
  };

  return {
    lineBasis: 'net',
    modes: ['invoice-in-target', 'pos-issued'],

    async findCustomers(query: CustomerQuery) {
      const all = await getAll(
        '/Customers',
        customerSchema,
        query.field === 'customer_number' ? { customerNos: query.value } : {},
      );
      return all.map(asCustomer).filter((customer) => matchesQuery(customer, query));
    },

    async createCustomer(customer: InvoiceCustomer, customerNumber: string) {
      const response = await call({
        method: 'POST',
        path: '/Customers',
        json: {
          Name: customer.name,
          Number: Number(customerNumber),
          ...(customer.organizationNumber ? { OrganizationNumber: customer.organizationNumber } : {}),
          ...(customer.email ? { EmailAddress: customer.email, InvoiceEmailAddress: customer.email } : {}),
          ...(customer.address
            ? {
                MailAddress: {
                  AddressLine1: customer.address.street,
                  ZipCode: customer.address.postalCode,
                  City: customer.address.city,
                  CountryCode: customer.address.country,
                },
              }
            : {}),
        },
      });
      return asCustomer(customerSchema.parse(ok(response, 201)));
    },

    postInvoice: (invoice) => (invoice.mode === 'pos-issued' ? postIssuedByPos(invoice) : postInGo(invoice)),

    async findExistingInvoice(invoice) {
      // Only ours counts: the same number with another key is a number-series conflict, not ours.
      const found = await getAll('/OutgoingInvoices', outgoingInvoiceSchema, {
        fromDate: invoice.sale.issueDate,
        toDate: invoice.sale.issueDate,
        ...(invoice.mode === 'pos-issued' ? { invoiceNos: invoice.sale.posNumber } : {}),
      });
      const ours = found.find((candidate) => candidate.ExternalImportReference === invoice.idempotencyKey);
      return ours ? asPosted(ours) : null;
    },

    async nextInvoiceNumber() {
      // UNCONFIRMED: no endpoint for Go's invoice number series is known; the highest number used + 1.
      const numbers = (await getAll('/OutgoingInvoices', outgoingInvoiceSchema)).map((item) => item.InvoiceNo ?? 0);
      return numbers.length === 0 ? null : Math.max(...numbers) + 1;
    },
  };
}
