import { z } from 'zod';
import type { InvoiceSandboxControl, SandboxCustomer, SandboxInvoice, SandboxReply, SandboxRequest } from './server';

/**
 * The contact/product/invoice/sale side of the Fiken sandbox (docs/invoices.md; Fiken API v2
 * fields, several UNCONFIRMED). Fiken numbers invoices itself (POST /invoices); an invoice the POS
 * already issued is registered as a sale of kind "external_invoice" with the POS's saleNumber.
 * Amounts are øre; POST answers 201 with an empty body and a Location header.
 */
const VAT_PERCENT: Readonly<Record<string, number>> = { HIGH: 25, MEDIUM: 15, LOW: 12, EXEMPT: 0, OUTSIDE: 0, NONE: 0 };
const VAT_CODE: Readonly<Record<string, string>> = {
  HIGH: '3',
  MEDIUM: '31',
  LOW: '33',
  EXEMPT: '5',
  OUTSIDE: '6',
  NONE: '0',
};
const vatType = z.enum(Object.keys(VAT_PERCENT) as [string, ...string[]]);

const contactSchema = z
  .object({
    name: z.string().min(1),
    email: z.string().optional(),
    organizationNumber: z.string().optional(),
    // customerNumber is readOnly in Fiken's contact schema (Fiken numbers its customers itself);
    // memberNumber is the writeOnly "number that can be used to connect a contact to your own data".
    memberNumber: z.number().int().positive().optional(),
    customer: z.boolean().optional(),
    address: z
      .object({ streetAddress: z.string(), postCode: z.string(), city: z.string(), country: z.string().optional() })
      .optional(),
  })
  .strict();
const productSchema = z
  .object({
    name: z.string().min(1),
    productNumber: z.string().min(1),
    incomeAccount: z.string(),
    vatType,
    active: z.boolean().optional(),
  })
  .strict();
const invoiceSchema = z
  .object({
    issueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    customerId: z.number().int(),
    bankAccountCode: z.string(),
    cash: z.boolean(),
    currency: z.string().optional(),
    orderReference: z.string().optional(),
    ourReference: z.string().optional(),
    yourReference: z.string().optional(),
    invoiceText: z.string().optional(),
    lines: z
      .array(
        z
          .object({
            productId: z.number().int(),
            quantity: z.number().positive(),
            unitPrice: z.number().int(),
            vatType,
            description: z.string().optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();
const saleSchema = z
  .object({
    saleNumber: z.string().min(1),
    date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    dueDate: z.string().optional(),
    kind: z.enum(['cash_sale', 'invoice', 'external_invoice']),
    paid: z.boolean(),
    currency: z.string(),
    customerId: z.number().int().optional(),
    lines: z
      .array(
        z
          .object({
            description: z.string(),
            netPrice: z.number().int(),
            vat: z.number().int(),
            account: z.string(),
            vatType,
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

interface Contact {
  contactId: number;
  name: string;
  email: string | null;
  organizationNumber: string | null;
  customerNumber: number;
  /** Write-only: filterable, never returned. */
  memberNumber: number | null;
  address: { streetAddress: string; postCode: string; city: string; country: string } | null;
}

interface Document {
  id: number;
  kind: 'invoice' | 'sale';
  number: string;
  date: string;
  dueDate: string;
  customerId: number | null;
  reference: string | null;
  lines: { productNumber: string | null; vatType: string; net: number; vat: number }[];
}

const vatOf = (net: number, type: string): number =>
  Math.sign(net) * Math.round((Math.abs(net) * (VAT_PERCENT[type] ?? 0)) / 100);

export function fikenInvoiceBook(
  company: string,
  problem: (status: number, text: string) => SandboxReply,
): { route: (request: SandboxRequest, path: string) => SandboxReply | null; control: InvoiceSandboxControl } {
  const contacts: Contact[] = [];
  const products: { productId: number; productNumber: string; name: string; vatType: string }[] = [];
  const documents: Document[] = [];
  let requireAddress = false;
  let lastInvoiceNumber = 10_000;
  const created = (path: string): SandboxReply => ({ status: 201, headers: { location: `/api/v2${path}` } });
  const invalid = (error: z.ZodError) =>
    problem(400, `Ugyldig forespørsel: ${error.issues[0]?.path.join('.') ?? ''} ${error.issues[0]?.message ?? ''}`);
  const contactJson = (contact: Contact) => ({
    contactId: contact.contactId,
    name: contact.name,
    email: contact.email ?? undefined,
    organizationNumber: contact.organizationNumber ?? undefined,
    customerNumber: contact.customerNumber,
    customerAccountCode: `1500:${contact.customerNumber}`,
    customer: true,
    address: contact.address ?? undefined,
  });
  const documentJson = (document: Document) =>
    document.kind === 'invoice'
      ? {
          invoiceId: document.id,
          invoiceNumber: Number(document.number),
          issueDate: document.date,
          dueDate: document.dueDate,
          orderReference: document.reference ?? undefined,
          customer: { contactId: document.customerId },
          net: document.lines.reduce((sum, line) => sum + line.net, 0),
          vat: document.lines.reduce((sum, line) => sum + line.vat, 0),
        }
      : {
          saleId: document.id,
          saleNumber: document.number,
          date: document.date,
          kind: 'external_invoice',
          customer: { contactId: document.customerId },
        };

  const checkCustomer = (id: number | undefined): Contact | SandboxReply => {
    const contact = contacts.find((candidate) => candidate.contactId === id);
    if (!contact) return problem(400, `Kontakten ${id ?? ''} finnes ikke.`);
    if (requireAddress && !contact.address) return problem(400, `Kunden ${contact.name} mangler adresse.`);
    return contact;
  };

  const route = (request: SandboxRequest, path: string): SandboxReply | null => {
    if (!path.startsWith(`${company}/`)) return null;
    const resource = path.slice(company.length);
    const query = request.url.searchParams;
    const { method, body } = request;
    if (method === 'GET' && resource === '/contacts') {
      const filters: [string | null, (contact: Contact) => string | null][] = [
        [query.get('organizationNumber'), (contact) => contact.organizationNumber],
        [query.get('customerNumber'), (contact) => String(contact.customerNumber)],
        [query.get('memberNumber'), (contact) => (contact.memberNumber === null ? null : String(contact.memberNumber))],
        [query.get('email'), (contact) => contact.email],
      ];
      return {
        status: 200,
        body: contacts
          .filter((contact) => filters.every(([wanted, field]) => wanted === null || field(contact) === wanted))
          .map(contactJson),
      };
    }
    if (method === 'POST' && resource === '/contacts') {
      const parsed = contactSchema.safeParse(body);
      if (!parsed.success) return invalid(parsed.error);
      const contact: Contact = {
        contactId: 3_000 + contacts.length * 11,
        name: parsed.data.name,
        email: parsed.data.email ?? null,
        organizationNumber: parsed.data.organizationNumber ?? null,
        customerNumber: 10_001 + contacts.length,
        memberNumber: parsed.data.memberNumber ?? null,
        address: parsed.data.address ? { country: 'NO', ...parsed.data.address } : null,
      };
      contacts.push(contact);
      return created(`${company}/contacts/${contact.contactId}`);
    }
    const contactPath = /^\/contacts\/(\d+)$/.exec(resource);
    if (method === 'GET' && contactPath) {
      const contact = contacts.find((candidate) => candidate.contactId === Number(contactPath[1]));
      return contact ? { status: 200, body: contactJson(contact) } : problem(404, 'Kontakten finnes ikke.');
    }
    if (method === 'GET' && resource === '/products') {
      const number = query.get('productNumber');
      return { status: 200, body: products.filter((product) => number === null || product.productNumber === number) };
    }
    if (method === 'POST' && resource === '/products') {
      const parsed = productSchema.safeParse(body);
      if (!parsed.success) return invalid(parsed.error);
      const product = {
        productId: 5_000 + products.length * 3,
        productNumber: parsed.data.productNumber,
        name: parsed.data.name,
        vatType: parsed.data.vatType,
      };
      products.push(product);
      return created(`${company}/products/${product.productId}`);
    }
    if (method === 'POST' && resource === '/invoices') {
      const parsed = invoiceSchema.safeParse(body);
      if (!parsed.success) return invalid(parsed.error);
      const customer = checkCustomer(parsed.data.customerId);
      if ('status' in customer) return customer;
      const lines: Document['lines'] = [];
      for (const line of parsed.data.lines) {
        const product = products.find((candidate) => candidate.productId === line.productId);
        if (!product) return problem(400, `Produktet ${line.productId} finnes ikke.`);
        const net = line.unitPrice * line.quantity;
        lines.push({ productNumber: product.productNumber, vatType: line.vatType, net, vat: vatOf(net, line.vatType) });
      }
      lastInvoiceNumber += 1;
      const document: Document = {
        id: 90_000 + documents.length,
        kind: 'invoice',
        number: String(lastInvoiceNumber),
        date: parsed.data.issueDate,
        dueDate: parsed.data.dueDate,
        customerId: customer.contactId,
        reference: parsed.data.orderReference ?? null,
        lines,
      };
      documents.push(document);
      return created(`${company}/invoices/${document.id}`);
    }
    if (method === 'GET' && resource === '/invoices/counter')
      return { status: 200, body: { value: lastInvoiceNumber } };
    if (method === 'GET' && resource === '/invoices') {
      const issueDate = query.get('issueDate');
      return {
        status: 200,
        body: documents
          .filter((doc) => doc.kind === 'invoice' && (issueDate === null || doc.date === issueDate))
          .map(documentJson),
      };
    }
    const invoicePath = /^\/invoices\/(\d+)$/.exec(resource);
    if (method === 'GET' && invoicePath) {
      const document = documents.find((doc) => doc.kind === 'invoice' && doc.id === Number(invoicePath[1]));
      return document ? { status: 200, body: documentJson(document) } : problem(404, 'Fakturaen finnes ikke.');
    }
    if (method === 'POST' && resource === '/sales') {
      const parsed = saleSchema.safeParse(body);
      if (!parsed.success) return invalid(parsed.error);
      const customer = checkCustomer(parsed.data.customerId);
      if ('status' in customer) return customer;
      if (documents.some((doc) => doc.kind === 'sale' && doc.number === parsed.data.saleNumber)) {
        return problem(400, `Salgsnummeret ${parsed.data.saleNumber} finnes allerede.`);
      }
      for (const line of parsed.data.lines) {
        if (line.vat !== vatOf(line.netPrice, line.vatType)) {
          return problem(400, `Mva-beløpet ${line.vat} stemmer ikke med mva-type ${line.vatType} på ${line.netPrice}.`);
        }
      }
      const document: Document = {
        id: 95_000 + documents.length,
        kind: 'sale',
        number: parsed.data.saleNumber,
        date: parsed.data.date,
        dueDate: parsed.data.dueDate ?? parsed.data.date,
        customerId: customer.contactId,
        reference: null,
        lines: parsed.data.lines.map((line) => ({
          productNumber: null,
          vatType: line.vatType,
          net: line.netPrice,
          vat: line.vat,
        })),
      };
      documents.push(document);
      return created(`${company}/sales/${document.id}`);
    }
    if (method === 'GET' && resource === '/sales') {
      const number = query.get('saleNumber');
      return {
        status: 200,
        body: documents
          .filter((doc) => doc.kind === 'sale' && (number === null || doc.number === number))
          .map(documentJson),
      };
    }
    return null;
  };

  /** The number the shop's own system (Kassebro) knows a contact by: its member number where it gave one. */
  const shopNumber = (contact: Contact): string => String(contact.memberNumber ?? contact.customerNumber);
  const sandboxCustomer = (contact: Contact): SandboxCustomer => ({
    id: String(contact.contactId),
    customerNumber: shopNumber(contact),
    name: contact.name,
    organizationNumber: contact.organizationNumber,
    email: contact.email,
    hasAddress: contact.address !== null,
  });
  const control: InvoiceSandboxControl = {
    invoices: (): SandboxInvoice[] =>
      documents.map((doc) => ({
        id: String(doc.id),
        number: doc.number,
        idempotencyKey: doc.reference,
        customerNumber: ((contact) => (contact ? shopNumber(contact) : ''))(
          contacts.find((candidate) => candidate.contactId === doc.customerId),
        ),
        date: doc.date,
        dueDate: doc.dueDate,
        lines: doc.lines.map((line) => ({
          productNumber: line.productNumber,
          vatCode: VAT_CODE[line.vatType] ?? '?',
          netOre: line.net,
          vatOre: line.vat,
        })),
      })),
    customers: () => contacts.map(sandboxCustomer),
    addCustomer: (customer) => {
      const contact: Contact = {
        contactId: 3_000 + contacts.length * 11,
        name: customer.name,
        email: customer.email,
        organizationNumber: customer.organizationNumber,
        customerNumber: Number(customer.customerNumber ?? 10_001 + contacts.length),
        memberNumber: null,
        address: customer.hasAddress
          ? { streetAddress: 'Storgata 1', postCode: '0155', city: 'Oslo', country: 'NO' }
          : null,
      };
      contacts.push(contact);
      return sandboxCustomer(contact);
    },
    requireCustomerAddress: (on) => {
      requireAddress = on;
    },
    setCustomerAddress: (customerNumber) => {
      const contact = contacts.find((candidate) => shopNumber(candidate) === customerNumber);
      if (!contact) throw new Error(`Sandbox has no customer ${customerNumber}`);
      contact.address = { streetAddress: 'Storgata 1', postCode: '0155', city: 'Oslo', country: 'NO' };
    },
    setNextInvoiceNumber: (next) => {
      lastInvoiceNumber = next - 1;
    },
  };
  return { route, control };
}
