import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { InvoiceSandboxControl, SandboxCustomer, SandboxInvoice, SandboxReply, SandboxRequest } from './server';

/**
 * The customer/product/sales-order/outgoing-invoice side of the PowerOffice Go sandbox
 * (docs/invoices.md; API v2 field names from PowerOffice's published OpenAPI, several behaviours
 * UNCONFIRMED). Go numbers an invoice when a sales order (invoice draft) is sent with
 * createAndSendInvoice; an invoice the POS already issued is posted as an outgoing invoice
 * voucher carrying the POS's InvoiceNo, which must be unique on the client. Amounts are JSON
 * numbers in kroner; the book keeps øre.
 */

/** What the invoice book needs from the ledger side of the sandbox (accounts and VAT codes). */
export interface PowerOfficeLedger {
  account(where: {
    id?: number;
    number?: number;
  }):
    | { Id: number; AccountNo: number; Name: string; IsActive: boolean; VatCodeId: number; IsVatCodeLocked: boolean }
    | undefined;
  vat(id: number): { Id: number; Code: string; Rate: number } | undefined;
  problem(status: number, title: string, detail: string): SandboxReply;
  page(values: readonly unknown[], url: URL): SandboxReply;
  queryValue(url: URL, name: string): string | null;
}

/** The sandbox client's customer sub-ledger number series (a client configures its own). */
const CUSTOMER_SERIES = { from: 10_000, to: 999_999 };

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const addressSchema = z.object({
  AddressLine1: z.string().nullish(),
  AddressLine2: z.string().nullish(),
  ZipCode: z.string(),
  City: z.string(),
  CountryCode: z.string().length(2).nullish(),
});
const customerSchema = z.object({
  Name: z.string().min(1),
  Number: z.number().int().nullish(),
  OrganizationNumber: z.string().nullish(),
  EmailAddress: z.string().nullish(),
  InvoiceEmailAddress: z.string().nullish(),
  MailAddress: addressSchema.nullish(),
});
const productSchema = z.object({
  Code: z.string().min(1),
  Name: z.string().min(1),
  StandardSalesAccount: z.number().int(),
  UnitPrice: z.number().nullish(),
});
const salesOrderSchema = z.object({
  CustomerId: z.number().int(),
  SalesOrderDate: date.nullish(),
  DeliveryDate: date.nullish(),
  CurrencyCode: z.string().length(3).nullish(),
  CustomerReference: z.string().nullish(),
  ExternalImportReference: z.string().nullish(),
  ImportedOrderNo: z.number().int().nullish(),
  SalesOrderLines: z
    .array(
      z.object({
        ProductId: z.number().int(),
        Quantity: z.number().positive(),
        ProductUnitPrice: z.number(),
        Description: z.string().nullish(),
        UseStandardSalesAccount: z.boolean().nullish(),
      }),
    )
    .min(1),
});
const sendSchema = z.object({ VoucherDate: date.nullish(), OverrideDueDate: date.nullish() }).nullish();
const invoiceVoucherSchema = z.object({
  VoucherDate: date,
  DueDate: date,
  InvoiceNo: z.string().min(1),
  CustomerAccountId: z.number().int(),
  CurrencyCode: z.string().length(3),
  CurrencyAmount: z.number(),
  ExternalImportReference: z.string().nullish(),
  ImportedOrderNo: z.number().int().nullish(),
  Description: z.string().nullish(),
  CustomerReference: z.string().nullish(),
  OutgoingInvoiceLines: z
    .array(
      z.object({
        AccountId: z.number().int(),
        VatId: z.number().int(),
        CurrencyAmount: z.number(),
        Description: z.string().nullish(),
      }),
    )
    .min(1),
});

interface Customer {
  Id: number;
  Number: number;
  Name: string;
  OrganizationNumber: string | null;
  EmailAddress: string | null;
  MailAddress: z.infer<typeof addressSchema> | null;
}

interface Line {
  productCode: string | null;
  vatCode: string;
  net: number;
  vat: number;
}

interface SalesOrder {
  Id: string;
  OrderNo: number;
  customerId: number;
  date: string;
  reference: string | null;
  importedOrderNo: number | null;
  lines: (Line & { productId: number })[];
  /** Why Go's last delivery of it failed (sentState.LastErrorMessage). */
  lastError: string | null;
}

interface OutgoingInvoice {
  Id: string;
  InvoiceNo: number;
  VoucherNo: number;
  customerId: number;
  VoucherDate: string;
  DueDate: string;
  reference: string | null;
  importedOrderNo: number | null;
  /** Sent from a sales order (Go numbered it) or posted as a voucher with the POS's number. */
  origin: 'sales-order' | 'voucher';
  SentDateTimeOffset: string;
  lines: Line[];
}

const toOre = (amount: number): number => Math.round(amount * 100);
const kroner = (ore: number): number => ore / 100;
/** VAT Go adds to a net line price: net × rate, half away from zero. */
const vatOfNet = (net: number, rate: number): number => Math.sign(net) * Math.round(Math.abs(net) * rate);
/** The VAT part Go splits out of a gross voucher line amount. */
const vatOfGross = (gross: number, rate: number): number =>
  Math.sign(gross) * Math.round((Math.abs(gross) * rate) / (1 + rate));
const sum = (values: readonly number[]): number => values.reduce((total, value) => total + value, 0);

/** ASP.NET model validation: the first failing field, as Go's gateway answers it. */
function validation(error: z.ZodError): SandboxReply {
  const field = error.issues[0]?.path.join('.') || 'body';
  return {
    status: 400,
    body: {
      type: 'https://tools.ietf.org/html/rfc7231#section-6.5.1',
      title: 'One or more validation errors occurred.',
      status: 400,
      errors: { [field]: [error.issues[0]?.message ?? 'The value is not valid.'] },
    },
  };
}

export function powerOfficeInvoiceBook(ledger: PowerOfficeLedger): {
  route: (request: SandboxRequest, path: string) => SandboxReply | null;
  /** Requests that create a customer or an invoice: what 'post' faults (drop-after-store…) apply to. */
  isInvoicePost: (method: string, path: string) => boolean;
  control: InvoiceSandboxControl;
  /** Go delivers in the background: an invoice appears after this many sentState requests (0 = at once). */
  deliverAfterPolls: (polls: number) => void;
} {
  const customers: Customer[] = [];
  const products: { Id: number; Code: string; Name: string; StandardSalesAccount: number }[] = [];
  const drafts: SalesOrder[] = [];
  const invoices: OutgoingInvoice[] = [];
  let requireAddress = false;
  let deliveryPolls = 0;
  const deliveries = new Map<string, { remaining: number; dates: { voucherDate: string; dueDate: string } }>();
  let lastInvoiceNumber = 10_000;
  let lastOrderNumber = 0;
  let lastVoucherNumber = 50_000;
  const { problem } = ledger;
  const invalid = (detail: string) => problem(400, 'Validation error(s)', detail);
  const notFound = (detail: string) => problem(404, 'Object(s) not found', detail);

  const customerDto = (customer: Customer) => ({
    Id: customer.Id,
    Number: customer.Number,
    Name: customer.Name,
    OrganizationNumber: customer.OrganizationNumber,
    EmailAddress: customer.EmailAddress,
    MailAddress: customer.MailAddress,
    IsPerson: false,
    IsArchived: false,
  });
  const customerNumberOf = (id: number) => customers.find((customer) => customer.Id === id)?.Number ?? null;
  const invoiceDto = (invoice: OutgoingInvoice) => {
    const net = sum(invoice.lines.map((line) => line.net));
    const total = net + sum(invoice.lines.map((line) => line.vat));
    return {
      Id: invoice.Id,
      InvoiceNo: invoice.InvoiceNo,
      VoucherNo: invoice.VoucherNo,
      VoucherDate: invoice.VoucherDate,
      DueDate: invoice.DueDate,
      CustomerId: invoice.customerId,
      CustomerNo: customerNumberOf(invoice.customerId),
      ExternalImportReference: invoice.reference,
      ImportedOrderNo: invoice.importedOrderNo,
      CurrencyCode: 'NOK',
      NetAmount: kroner(net),
      TotalAmount: kroner(total),
      Balance: kroner(total),
      IsCreatedByCurrentIntegration: true,
      IsReversed: false,
      SentDateTimeOffset: invoice.origin === 'sales-order' ? invoice.SentDateTimeOffset : null,
    };
  };
  const salesOrderDto = (order: SalesOrder) => ({
    Id: order.Id,
    OrderNo: order.OrderNo,
    CustomerId: order.customerId,
    CustomerNo: customerNumberOf(order.customerId),
    SalesOrderDate: order.date,
    ExternalImportReference: order.reference,
    ImportedOrderNo: order.importedOrderNo,
    SalesOrderStatus: 'Draft',
    NetAmount: kroner(sum(order.lines.map((line) => line.net))),
  });

  /** A number filter like "1-5, 7, 9-" (customerNos, invoiceNos). */
  const numbers = (url: URL, name: string): ((value: number | null) => boolean) => {
    const text = ledger.queryValue(url, name);
    if (text === null || text.trim() === '') return () => true;
    const ranges = text.split(',').map((part) => {
      const [from = '', to] = part.trim().split('-');
      return { from: Number(from), to: to === undefined ? Number(from) : to === '' ? Infinity : Number(to) };
    });
    return (value) => value !== null && ranges.some((range) => value >= range.from && value <= range.to);
  };

  const postCustomer = (body: unknown): SandboxReply => {
    const parsed = customerSchema.safeParse(body);
    if (!parsed.success) return validation(parsed.error);
    const wanted = parsed.data.Number ?? Math.max(CUSTOMER_SERIES.from - 1, ...customers.map((c) => c.Number)) + 1;
    if (wanted < CUSTOMER_SERIES.from || wanted > CUSTOMER_SERIES.to) {
      return invalid(
        `Customer number ${wanted} is not within the customer sub-ledger number series (${CUSTOMER_SERIES.from}-${CUSTOMER_SERIES.to}).`,
      );
    }
    if (customers.some((customer) => customer.Number === wanted)) {
      return invalid(`Customer number ${wanted} is already in use.`);
    }
    const customer: Customer = {
      Id: 8_000_000 + customers.length * 13,
      Number: wanted,
      Name: parsed.data.Name,
      OrganizationNumber: parsed.data.OrganizationNumber ?? null,
      EmailAddress: parsed.data.EmailAddress ?? null,
      MailAddress: parsed.data.MailAddress ?? null,
    };
    customers.push(customer);
    return { status: 201, body: customerDto(customer) };
  };

  const postProduct = (body: unknown): SandboxReply => {
    const parsed = productSchema.safeParse(body);
    if (!parsed.success) return validation(parsed.error);
    if (products.some((product) => product.Code === parsed.data.Code)) {
      return invalid(`A product with code '${parsed.data.Code}' already exists.`);
    }
    const account = ledger.account({ number: parsed.data.StandardSalesAccount });
    if (!account) return notFound(`General ledger account ${parsed.data.StandardSalesAccount} not found.`);
    const product = {
      Id: 600_000 + products.length * 7,
      Code: parsed.data.Code,
      Name: parsed.data.Name,
      StandardSalesAccount: account.AccountNo,
    };
    products.push(product);
    return { status: 201, body: { ...product, UnitPrice: parsed.data.UnitPrice ?? 0, IsArchived: false } };
  };

  const postSalesOrder = (body: unknown): SandboxReply => {
    const parsed = salesOrderSchema.safeParse(body);
    if (!parsed.success) return validation(parsed.error);
    const order = parsed.data;
    if (!customers.some((customer) => customer.Id === order.CustomerId)) {
      return notFound(`Customer with id = ${order.CustomerId} not found.`);
    }
    const reference = order.ExternalImportReference ?? null;
    const taken = [...drafts, ...invoices].some((existing) => existing.reference === reference);
    if (reference !== null && taken) {
      return invalid(`A sales order with ExternalImportReference '${reference}' already exists on this client.`);
    }
    const lines: SalesOrder['lines'] = [];
    for (const line of order.SalesOrderLines) {
      const product = products.find((candidate) => candidate.Id === line.ProductId);
      if (!product) return notFound(`Product with id = ${line.ProductId} not found.`);
      // The product's sales account decides the VAT code; the unit price is excluding VAT.
      const account = ledger.account({ number: product.StandardSalesAccount });
      const vat = account ? ledger.vat(account.VatCodeId) : undefined;
      if (!vat) return invalid(`Product ${product.Code} has no sales account with a VAT code.`);
      const net = Math.round(toOre(line.ProductUnitPrice) * line.Quantity);
      lines.push({
        productId: product.Id,
        productCode: product.Code,
        vatCode: vat.Code,
        net,
        vat: vatOfNet(net, vat.Rate),
      });
    }
    lastOrderNumber += 1;
    const draft: SalesOrder = {
      Id: randomUUID(),
      OrderNo: lastOrderNumber,
      customerId: order.CustomerId,
      date: order.SalesOrderDate ?? new Date().toISOString().slice(0, 10),
      reference,
      importedOrderNo: order.ImportedOrderNo ?? null,
      lines,
      lastError: null,
    };
    drafts.push(draft);
    return { status: 201, body: { ...salesOrderDto(draft), SalesOrderLines: lines } };
  };

  /** Why Go cannot deliver the draft's invoice, or null. A letter or EHF needs the customer's address. */
  const undeliverable = (draft: SalesOrder): string | null => {
    const customer = customers.find((candidate) => candidate.Id === draft.customerId);
    if (!customer) return `Customer with id = ${draft.customerId} not found.`;
    if (requireAddress && !customer.MailAddress?.AddressLine1) {
      return `The invoice cannot be sent: customer ${customer.Number} ${customer.Name} is missing a mail address (address line, zip code and city are required to deliver the invoice).`;
    }
    return null;
  };

  /** Go turns the draft into an invoice with the next number (the draft's Id stays the invoice's). */
  const deliver = (draft: SalesOrder, dates: { voucherDate: string; dueDate: string }): void => {
    drafts.splice(drafts.indexOf(draft), 1);
    lastInvoiceNumber += 1;
    lastVoucherNumber += 1;
    invoices.push({
      Id: draft.Id,
      InvoiceNo: lastInvoiceNumber,
      VoucherNo: lastVoucherNumber,
      customerId: draft.customerId,
      VoucherDate: dates.voucherDate,
      DueDate: dates.dueDate,
      reference: draft.reference,
      importedOrderNo: draft.importedOrderNo,
      origin: 'sales-order',
      SentDateTimeOffset: new Date().toISOString(),
      lines: draft.lines.map(({ productCode, vatCode, net, vat }) => ({ productCode, vatCode, net, vat })),
    });
  };

  /**
   * createAndSendInvoice: 202, the delivery queued. By default Go is quick (the sandbox delivers
   * at once and refuses an undeliverable draft with 400); with `deliverAfterPolls(n)` the invoice
   * appears after n sentState requests, and a failed delivery shows as LastErrorMessage.
   */
  const send = (orderId: string, body: unknown): SandboxReply => {
    const parsed = sendSchema.safeParse(body);
    if (!parsed.success) return validation(parsed.error);
    const draft = drafts.find((candidate) => candidate.Id === orderId);
    if (!draft) {
      return invoices.some((invoice) => invoice.Id === orderId)
        ? invalid(`Sales order with id = ${orderId} is already sent.`)
        : notFound(`Sales order with id = ${orderId} not found.`);
    }
    if (deliveries.has(orderId)) return invalid(`Sales order with id = ${orderId} is already being sent.`);
    const voucherDate = parsed.data?.VoucherDate ?? new Date().toISOString().slice(0, 10);
    const dates = { voucherDate, dueDate: parsed.data?.OverrideDueDate ?? voucherDate };
    draft.lastError = null;
    if (deliveryPolls > 0) {
      deliveries.set(orderId, { remaining: deliveryPolls, dates });
    } else {
      const reason = undeliverable(draft);
      if (reason) return invalid(reason);
      deliver(draft, dates);
    }
    return {
      status: 202,
      body: { SalesOrderId: draft.Id },
      headers: { location: `/v2/SalesOrders/sentState?id=${draft.Id}` },
    };
  };

  /** GET /SalesOrders/sentState: one poll further for a queued delivery. */
  const sentState = (id: string | null): SandboxReply => {
    const queued = id === null ? undefined : deliveries.get(id);
    const draft = drafts.find((candidate) => candidate.Id === id);
    if (queued && draft) {
      queued.remaining -= 1;
      if (queued.remaining <= 0) {
        deliveries.delete(draft.Id);
        draft.lastError = undeliverable(draft);
        if (draft.lastError === null) deliver(draft, queued.dates);
      }
    }
    const invoice = invoices.find((candidate) => candidate.Id === id);
    if (!invoice && !draft) return notFound(`Sales order with id = ${id ?? ''} not found.`);
    return {
      status: 200,
      body: [
        {
          Id: id,
          InvoiceNo: invoice?.InvoiceNo ?? null,
          DueDate: invoice?.DueDate ?? null,
          IsInvoiceBeingProcessed: id !== null && deliveries.has(id),
          LastErrorMessage: invoice ? null : (draft?.lastError ?? null),
          SentDateTimeOffset: invoice?.SentDateTimeOffset ?? null,
        },
      ],
    };
  };

  const postInvoiceVoucher = (body: unknown): SandboxReply => {
    const parsed = invoiceVoucherSchema.safeParse(body);
    if (!parsed.success) return validation(parsed.error);
    const voucher = parsed.data;
    if (!/^\d{1,18}$/.test(voucher.InvoiceNo)) return invalid(`InvoiceNo '${voucher.InvoiceNo}' is not a number.`);
    const invoiceNo = Number(voucher.InvoiceNo);
    if (!customers.some((customer) => customer.Id === voucher.CustomerAccountId)) {
      return notFound(`Customer sub-ledger account with id = ${voucher.CustomerAccountId} not found.`);
    }
    if (invoices.some((invoice) => invoice.InvoiceNo === invoiceNo)) {
      return invalid(`An outgoing invoice with invoice number ${invoiceNo} already exists on this client.`);
    }
    const reference = voucher.ExternalImportReference ?? null;
    if (reference !== null && invoices.some((invoice) => invoice.reference === reference)) {
      return invalid(`A voucher with ExternalImportReference '${reference}' already exists on this client.`);
    }
    const lines: Line[] = [];
    for (const line of voucher.OutgoingInvoiceLines) {
      const account = ledger.account({ id: line.AccountId });
      if (!account) return notFound(`General ledger account with id = ${line.AccountId} not found.`);
      const vat = ledger.vat(line.VatId);
      if (!vat) return notFound(`Vat code with id = ${line.VatId} not found.`);
      if (account.IsVatCodeLocked && account.VatCodeId !== vat.Id) {
        return invalid(
          `General ledger account ${account.AccountNo} ${account.Name} is locked to vat code ${ledger.vat(account.VatCodeId)?.Code ?? '0'}; vat code ${vat.Code} is not allowed.`,
        );
      }
      const gross = toOre(line.CurrencyAmount);
      if (gross === 0) return invalid('The amount of an invoice line must be either positive or negative, not 0.');
      const lineVat = vatOfGross(gross, vat.Rate);
      lines.push({ productCode: null, vatCode: vat.Code, net: gross - lineVat, vat: lineVat });
    }
    const total = sum(lines.map((line) => line.net + line.vat));
    if (total !== toOre(voucher.CurrencyAmount)) {
      return invalid(
        `CurrencyAmount ${voucher.CurrencyAmount.toFixed(2)} does not equal the sum of the invoice lines (${kroner(total).toFixed(2)}).`,
      );
    }
    lastVoucherNumber += 1;
    const invoice: OutgoingInvoice = {
      Id: randomUUID(),
      InvoiceNo: invoiceNo,
      VoucherNo: lastVoucherNumber,
      customerId: voucher.CustomerAccountId,
      VoucherDate: voucher.VoucherDate,
      DueDate: voucher.DueDate,
      reference,
      importedOrderNo: voucher.ImportedOrderNo ?? null,
      origin: 'voucher',
      SentDateTimeOffset: new Date().toISOString(),
      lines,
    };
    invoices.push(invoice);
    return {
      status: 201,
      body: { ...invoiceDto(invoice), InvoiceNo: String(invoiceNo), CustomerAccountId: invoice.customerId },
    };
  };

  const route = (request: SandboxRequest, path: string): SandboxReply | null => {
    const { method, url, body } = request;
    const query = (name: string) => ledger.queryValue(url, name);
    if (method === 'GET' && path === '/v2/customers') {
      const wantedNumber = numbers(url, 'customerNos');
      return ledger.page(customers.filter((customer) => wantedNumber(customer.Number)).map(customerDto), url);
    }
    if (method === 'POST' && path === '/v2/customers') return postCustomer(body);
    const customerPath = /^\/v2\/customers\/(\d+)$/.exec(path);
    if (method === 'GET' && customerPath) {
      const customer = customers.find((candidate) => candidate.Id === Number(customerPath[1]));
      return customer
        ? { status: 200, body: customerDto(customer) }
        : notFound(`Customer with id = ${customerPath[1]} not found.`);
    }
    if (method === 'GET' && path === '/v2/products') {
      const codes = query('codes')
        ?.split(',')
        .map((code) => code.trim().toLowerCase());
      return ledger.page(
        products.filter((product) => !codes || codes.includes(product.Code.toLowerCase())),
        url,
      );
    }
    if (method === 'POST' && path === '/v2/products') return postProduct(body);
    if (method === 'POST' && path === '/v2/salesorders/complete') return postSalesOrder(body);
    if (method === 'GET' && path === '/v2/salesorders') {
      const wantedNumber = numbers(url, 'customerNos');
      return ledger.page(
        drafts.filter((draft) => wantedNumber(customerNumberOf(draft.customerId))).map(salesOrderDto),
        url,
      );
    }
    const sendPath = /^\/v2\/salesorders\/([0-9a-f-]{36})\/createandsendinvoice$/.exec(path);
    if (method === 'POST' && sendPath?.[1]) return send(sendPath[1], body);
    if (method === 'GET' && path === '/v2/salesorders/sentstate') return sentState(query('id'));
    if (method === 'GET' && path === '/v2/outgoinginvoices') {
      const from = query('fromDate') ?? '0000-01-01';
      const to = query('toDate') ?? '9999-12-31';
      const wantedNumber = numbers(url, 'invoiceNos');
      const wantedCustomer = numbers(url, 'customerNos');
      return ledger.page(
        invoices
          .filter(
            (invoice) =>
              invoice.VoucherDate >= from &&
              invoice.VoucherDate <= to &&
              wantedNumber(invoice.InvoiceNo) &&
              wantedCustomer(customerNumberOf(invoice.customerId)),
          )
          .map(invoiceDto),
        url,
      );
    }
    const invoicePath = /^\/v2\/outgoinginvoices\/([0-9a-f-]{36})$/.exec(path);
    if (method === 'GET' && invoicePath) {
      const invoice = invoices.find((candidate) => candidate.Id === invoicePath[1]);
      return invoice
        ? { status: 200, body: invoiceDto(invoice) }
        : notFound(`Outgoing invoice with id = ${invoicePath[1]} not found.`);
    }
    if (method === 'POST' && path === '/v2/vouchers/outgoinginvoicejournals') return postInvoiceVoucher(body);
    return null;
  };

  const sandboxCustomer = (customer: Customer): SandboxCustomer => ({
    id: String(customer.Id),
    customerNumber: String(customer.Number),
    name: customer.Name,
    organizationNumber: customer.OrganizationNumber,
    email: customer.EmailAddress,
    hasAddress: Boolean(customer.MailAddress?.AddressLine1),
  });
  const someAddress = { AddressLine1: 'Storgata 1', ZipCode: '0155', City: 'Oslo', CountryCode: 'NO' };
  const control: InvoiceSandboxControl = {
    invoices: (): SandboxInvoice[] =>
      invoices.map((invoice) => ({
        id: invoice.Id,
        number: String(invoice.InvoiceNo),
        idempotencyKey: invoice.reference,
        customerNumber: String(customerNumberOf(invoice.customerId) ?? ''),
        date: invoice.VoucherDate,
        dueDate: invoice.DueDate,
        lines: invoice.lines.map((line) => ({
          productNumber: line.productCode,
          vatCode: line.vatCode,
          netOre: line.net,
          vatOre: line.vat,
        })),
      })),
    customers: () => customers.map(sandboxCustomer),
    addCustomer: (customer) => {
      const added: Customer = {
        Id: 8_000_000 + customers.length * 13,
        Number: Number(customer.customerNumber ?? CUSTOMER_SERIES.from + customers.length),
        Name: customer.name,
        OrganizationNumber: customer.organizationNumber,
        EmailAddress: customer.email,
        MailAddress: customer.hasAddress ? someAddress : null,
      };
      customers.push(added);
      return sandboxCustomer(added);
    },
    requireCustomerAddress: (on) => {
      requireAddress = on;
    },
    setCustomerAddress: (customerNumber) => {
      const customer = customers.find((candidate) => String(candidate.Number) === customerNumber);
      if (!customer) throw new Error(`Sandbox has no customer ${customerNumber}`);
      customer.MailAddress = someAddress;
    },
    setNextInvoiceNumber: (next) => {
      lastInvoiceNumber = next - 1;
    },
  };

  const isInvoicePost = (method: string, path: string): boolean =>
    method === 'POST' &&
    (path === '/v2/customers' ||
      path === '/v2/vouchers/outgoinginvoicejournals' ||
      /^\/v2\/salesorders\/[0-9a-f-]{36}\/createandsendinvoice$/.test(path));

  const deliverAfterPolls = (polls: number) => {
    deliveryPolls = polls;
  };
  return { route, isInvoicePost, control, deliverAfterPolls };
}
