import { z } from 'zod';
import type { InvoiceSandboxControl, SandboxCustomer, SandboxInvoice, SandboxReply, SandboxRequest } from './server';

/**
 * The customer/product/invoice side of the Tripletex sandbox (docs/invoices.md; the fields follow
 * Tripletex API v2's Customer, Product, Order and Invoice, several UNCONFIRMED). Invoices are
 * created with POST /invoice carrying a new order; Tripletex numbers them unless invoiceNumber is
 * given ('pos-issued'), and refuses a number already in use.
 */
export interface TripletexVatType {
  readonly id: number;
  readonly number: string;
  readonly percentage: number;
}

interface Customer {
  id: number;
  name: string;
  customerNumber: number;
  organizationNumber: string | null;
  email: string | null;
  postalAddress: { addressLine1: string; postalCode: string; city: string } | null;
}

interface StoredInvoice {
  id: number;
  invoiceNumber: number;
  invoiceDate: string;
  invoiceDueDate: string;
  customerId: number;
  reference: string | null;
  lines: { productId: number; vatTypeId: number; netOre: number; vatOre: number; description: string }[];
}

const ref = z.object({ id: z.number().int() });
const customerSchema = z
  .object({
    name: z.string().min(1),
    organizationNumber: z.string().nullish(),
    customerNumber: z.number().int().positive().optional(),
    email: z.string().nullish(),
    invoiceEmail: z.string().nullish(),
    postalAddress: z.object({ addressLine1: z.string(), postalCode: z.string(), city: z.string() }).nullish(),
    // Fields the vendor's OpenAPI marks readOnly on Customer (url, changes, isCustomer) or does not
    // name are refused: a client that sends them is out of contract.
  })
  .strict();
const productSchema = z.object({ name: z.string().min(1), number: z.string().min(1), vatType: ref });
const orderLineSchema = z.object({
  product: ref,
  description: z.string().optional(),
  count: z.number().positive(),
  unitPriceExcludingVatCurrency: z.number(),
  vatType: ref,
});
const invoiceSchema = z.object({
  invoiceDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  invoiceDueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  customer: ref,
  invoiceNumber: z.number().int().min(0).optional(),
  comment: z.string().optional(),
  orders: z
    .array(
      z.object({
        customer: ref,
        orderDate: z.string(),
        deliveryDate: z.string(),
        reference: z.string().optional(),
        invoiceComment: z.string().optional(),
        orderLines: z.array(orderLineSchema).min(1),
      }),
    )
    .length(1),
});

const toOre = (amount: number): number => Math.round(amount * 100);
const vatOfNet = (net: number, percentage: number): number =>
  Math.sign(net) * Math.round((Math.abs(net) * Math.round(percentage * 100)) / 10_000);

export function tripletexInvoiceBook(
  vatTypes: readonly TripletexVatType[],
  envelope: (
    status: number,
    code: number,
    message: string,
    validation?: { field: string; message: string }[],
  ) => unknown,
): {
  route: (request: SandboxRequest, path: string) => SandboxReply | null;
  control: InvoiceSandboxControl;
} {
  const customers: Customer[] = [];
  const products: { id: number; number: string; name: string; vatTypeId: number }[] = [];
  const invoices: StoredInvoice[] = [];
  let requireAddress = false;
  let nextInvoiceNumber = 10_001;
  const failed = (field: string, message: string): SandboxReply => ({
    status: 422,
    body: envelope(422, 18000, 'Validering feilet.', [{ field, message }]),
  });
  const list = (values: unknown[]): SandboxReply => ({
    status: 200,
    body: { fullResultSize: values.length, from: 0, count: values.length, versionDigest: null, values },
  });
  const customerJson = (customer: Customer) => ({
    id: customer.id,
    version: 0,
    name: customer.name,
    customerNumber: customer.customerNumber,
    organizationNumber: customer.organizationNumber ?? '',
    email: customer.email ?? '',
    postalAddress: customer.postalAddress,
  });
  const invoiceJson = (invoice: StoredInvoice) => {
    const net = invoice.lines.reduce((sum, line) => sum + line.netOre, 0);
    const vat = invoice.lines.reduce((sum, line) => sum + line.vatOre, 0);
    return {
      id: invoice.id,
      version: 0,
      invoiceNumber: invoice.invoiceNumber,
      invoiceDate: invoice.invoiceDate,
      invoiceDueDate: invoice.invoiceDueDate,
      customer: { id: invoice.customerId },
      amountExcludingVat: net / 100,
      amount: (net + vat) / 100,
      orders: [{ id: invoice.id + 1, reference: invoice.reference }],
    };
  };

  const createCustomer = (body: unknown): SandboxReply => {
    const parsed = customerSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return issue?.code === 'unrecognized_keys'
        ? failed(issue.keys.join(', '), 'Feltet finnes ikke eller kan ikke settes.')
        : failed(String(issue?.path.join('.')), 'Kan ikke være null.');
    }
    const wanted = parsed.data.customerNumber;
    if (wanted !== undefined && customers.some((customer) => customer.customerNumber === wanted)) {
      return failed('customerNumber', `Nummeret er allerede i bruk: ${wanted}.`);
    }
    const customer: Customer = {
      id: 70_000 + customers.length * 7,
      name: parsed.data.name,
      customerNumber: wanted ?? 10_000 + customers.length + 1,
      organizationNumber: parsed.data.organizationNumber || null,
      email: parsed.data.email || null,
      postalAddress: parsed.data.postalAddress ?? null,
    };
    customers.push(customer);
    return { status: 201, body: { value: customerJson(customer) } };
  };

  const createInvoice = (body: unknown): SandboxReply => {
    const parsed = invoiceSchema.safeParse(body);
    if (!parsed.success) {
      return failed(String(parsed.error.issues[0]?.path.join('.')), parsed.error.issues[0]?.message ?? 'Ugyldig.');
    }
    const input = parsed.data;
    const customer = customers.find((candidate) => candidate.id === input.customer.id);
    if (!customer) return failed('customer.id', 'Kunde mangler.');
    if (requireAddress && !customer.postalAddress) {
      return failed('customer.postalAddress', `Kunden ${customer.name} mangler postadresse.`);
    }
    const lines: StoredInvoice['lines'] = [];
    for (const [index, line] of input.orders[0]!.orderLines.entries()) {
      if (!products.some((product) => product.id === line.product.id)) {
        return failed(`orders.orderLines[${index}].product.id`, 'Produktet finnes ikke.');
      }
      const vatType = vatTypes.find((vat) => vat.id === line.vatType.id);
      if (!vatType) return failed(`orders.orderLines[${index}].vatType.id`, 'Ugyldig mva-kode.');
      const netOre = toOre(line.unitPriceExcludingVatCurrency) * line.count;
      lines.push({
        productId: line.product.id,
        vatTypeId: vatType.id,
        netOre,
        vatOre: vatOfNet(netOre, vatType.percentage),
        description: line.description ?? '',
      });
    }
    const number = input.invoiceNumber ? input.invoiceNumber : nextInvoiceNumber;
    if (invoices.some((invoice) => invoice.invoiceNumber === number)) {
      return failed(
        'invoiceNumber',
        `Nummeret er allerede i bruk: ${number}. Dette nummeret er i bruk på en annen ordre, tilbud eller prosjekt.`,
      );
    }
    nextInvoiceNumber = Math.max(nextInvoiceNumber, number + 1);
    const stored: StoredInvoice = {
      id: 800_000 + invoices.length * 3,
      invoiceNumber: number,
      invoiceDate: input.invoiceDate,
      invoiceDueDate: input.invoiceDueDate,
      customerId: customer.id,
      reference: input.orders[0]!.reference ?? null,
      lines,
    };
    invoices.push(stored);
    return { status: 201, body: { value: invoiceJson(stored) } };
  };

  const route = (request: SandboxRequest, path: string): SandboxReply | null => {
    const { method, url } = request;
    const query = url.searchParams;
    if (method === 'GET' && path === '/v2/customer') {
      const filters: [string | null, (customer: Customer) => string | null][] = [
        [query.get('organizationNumber'), (customer) => customer.organizationNumber],
        [query.get('customerAccountNumber'), (customer) => String(customer.customerNumber)],
        [query.get('email'), (customer) => customer.email],
      ];
      return list(
        customers
          .filter((customer) => filters.every(([wanted, field]) => wanted === null || field(customer) === wanted))
          .map(customerJson),
      );
    }
    if (method === 'POST' && path === '/v2/customer') return createCustomer(request.body);
    if (method === 'GET' && path === '/v2/product') {
      const number = query.get('number');
      return list(
        products
          .filter((product) => number === null || product.number === number)
          .map((product) => ({
            id: product.id,
            number: product.number,
            name: product.name,
            vatType: { id: product.vatTypeId },
          })),
      );
    }
    if (method === 'POST' && path === '/v2/product') {
      const parsed = productSchema.safeParse(request.body);
      if (!parsed.success) return failed(String(parsed.error.issues[0]?.path.join('.')), 'Kan ikke være null.');
      if (products.some((product) => product.number === parsed.data.number)) {
        return failed('number', `Produktnummeret ${parsed.data.number} er i bruk.`);
      }
      if (!vatTypes.some((vat) => vat.id === parsed.data.vatType.id)) return failed('vatType.id', 'Ugyldig mva-kode.');
      const product = {
        id: 60_000 + products.length * 5,
        number: parsed.data.number,
        name: parsed.data.name,
        vatTypeId: parsed.data.vatType.id,
      };
      products.push(product);
      return { status: 201, body: { value: { ...product, vatType: { id: product.vatTypeId } } } };
    }
    if (method === 'POST' && path === '/v2/invoice') return createInvoice(request.body);
    if (method === 'GET' && path === '/v2/invoice') {
      const from = query.get('invoiceDateFrom');
      const to = query.get('invoiceDateTo');
      if (!from || !to) return failed('invoiceDateFrom', 'Kan ikke være null.');
      const number = query.get('invoiceNumber');
      const found = invoices
        .filter((invoice) => invoice.invoiceDate >= from && invoice.invoiceDate < to)
        .filter((invoice) => number === null || String(invoice.invoiceNumber) === number)
        .sort((a, b) => (query.get('sorting') === '-invoiceNumber' ? b.invoiceNumber - a.invoiceNumber : a.id - b.id));
      return list(found.slice(0, Number(query.get('count') ?? 1000)).map(invoiceJson));
    }
    return null;
  };

  const vatNumberOf = (id: number): string => vatTypes.find((vat) => vat.id === id)?.number ?? '?';
  const sandboxCustomer = (customer: Customer): SandboxCustomer => ({
    id: String(customer.id),
    customerNumber: String(customer.customerNumber),
    name: customer.name,
    organizationNumber: customer.organizationNumber,
    email: customer.email,
    hasAddress: customer.postalAddress !== null,
  });
  const control: InvoiceSandboxControl = {
    invoices: (): SandboxInvoice[] =>
      invoices.map((invoice) => ({
        id: String(invoice.id),
        number: String(invoice.invoiceNumber),
        idempotencyKey: invoice.reference,
        customerNumber: String(customers.find((customer) => customer.id === invoice.customerId)?.customerNumber ?? ''),
        date: invoice.invoiceDate,
        dueDate: invoice.invoiceDueDate,
        lines: invoice.lines.map((line) => ({
          productNumber: products.find((product) => product.id === line.productId)?.number ?? null,
          vatCode: vatNumberOf(line.vatTypeId),
          netOre: line.netOre,
          vatOre: line.vatOre,
        })),
      })),
    customers: () => customers.map(sandboxCustomer),
    addCustomer: (customer) => {
      const stored: Customer = {
        id: 70_000 + customers.length * 7,
        name: customer.name,
        customerNumber: Number(customer.customerNumber ?? 10_000 + customers.length + 1),
        organizationNumber: customer.organizationNumber,
        email: customer.email,
        postalAddress: customer.hasAddress ? { addressLine1: 'Storgata 1', postalCode: '0155', city: 'Oslo' } : null,
      };
      customers.push(stored);
      return sandboxCustomer(stored);
    },
    requireCustomerAddress: (on) => {
      requireAddress = on;
    },
    setCustomerAddress: (customerNumber) => {
      const customer = customers.find((candidate) => String(candidate.customerNumber) === customerNumber);
      if (!customer) throw new Error(`Sandbox has no customer ${customerNumber}`);
      customer.postalAddress = { addressLine1: 'Storgata 1', postalCode: '0155', city: 'Oslo' };
    },
    setNextInvoiceNumber: (next) => {
      nextInvoiceNumber = next;
    },
  };
  return { route, control };
}
