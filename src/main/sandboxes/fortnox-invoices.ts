import { z } from 'zod';
import type { InvoiceSandboxControl, SandboxCustomer, SandboxInvoice, SandboxReply, SandboxRequest } from './server';

/**
 * The customer/article/invoice side of the Fortnox sandbox (docs/invoices.md, Fortnox section):
 * `{Customer}`, `{Article}`, `{Invoice}` envelopes, PascalCase fields, SEK with decimals, lists
 * with MetaInformation, errors as `{ErrorInformation: {error, message, code}}`. Fortnox numbers
 * an invoice itself unless a DocumentNumber is given (the POS's number). Invoice rows are booked
 * on the row's AccountNumber or the article's SalesAccount; Fortnox adds the row's VAT % to a net
 * price (VATIncluded false) itself.
 */

/** Swedish VAT percentages Fortnox offers on a row. */
const VAT_PERCENTS = [25, 12, 6, 0] as const;

/**
 * Codes the spec does not list (UNCONFIRMED): the sandbox needs some number, so these are its
 * own; the connector recognises the cases by their words, never by these codes.
 */
const UNCONFIRMED_CODE = {
  unknownCustomer: 2099101,
  unknownArticle: 2099102,
  documentNumberInUse: 2099103,
  missingAddress: 2099104,
  invalidVat: 2099105,
  invalidOrganisationNumber: 2099106,
  articleNumberInUse: 2099107,
} as const;
/** Fortnox's documented code for a customer number in use (spec §6.2 list, fortnox.se errors page). */
const CUSTOMER_NUMBER_IN_USE = 2000637;

/** Filters Fortnox documents per list, beside paging (`limit`, `page`, …); anything else is 2000588. */
const PAGING = ['limit', 'page', 'offset', 'sortby', 'sortorder', 'lastmodified', 'fromdate', 'todate', 'filter'];
const FILTERS: Readonly<Record<string, readonly string[]>> = {
  '/3/customers': ['customernumber', 'email', 'organisationnumber', 'name', 'city', 'zipcode', 'phone'],
  '/3/articles': ['articlenumber', 'description'],
  '/3/invoices': ['externalinvoicereference1', 'externalinvoicereference2', 'yourordernumber', 'customernumber'],
};

const amount = z.number().min(-999_999_999_999.99).max(999_999_999_999.99);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const customerSchema = z
  .object({
    Name: z.string().min(1),
    CustomerNumber: z
      .string()
      .regex(/^[\w+/–-]+$/)
      .optional(),
    OrganisationNumber: z.string().optional(),
    Email: z.string().email().optional(),
    Address1: z.string().optional(),
    ZipCode: z.string().optional(),
    City: z.string().optional(),
    CountryCode: z.string().length(2).optional(),
    Currency: z.string().optional(),
    Type: z.enum(['COMPANY', 'PRIVATE']).optional(),
  })
  .strict();
const articleSchema = z
  .object({
    ArticleNumber: z.string().min(1),
    Description: z.string().min(1),
    Type: z.enum(['STOCK', 'SERVICE']).optional(),
    VAT: z.number().optional(),
    SalesAccount: z.number().int().optional(),
  })
  .strict();
const invoiceSchema = z
  .object({
    CustomerNumber: z.string().min(1),
    DocumentNumber: z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]).optional(),
    InvoiceDate: date,
    DueDate: date,
    Currency: z.string().optional(),
    VATIncluded: z.boolean().optional(),
    ExternalInvoiceReference1: z.string().optional(),
    YourOrderNumber: z.string().optional(),
    OurReference: z.string().optional(),
    YourReference: z.string().optional(),
    Remarks: z.string().optional(),
    InvoiceRows: z
      .array(
        z
          .object({
            ArticleNumber: z.string().optional(),
            Description: z.string().optional(),
            DeliveredQuantity: z.number().positive(),
            Price: amount,
            VAT: z.number(),
            AccountNumber: z.number().int().optional(),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

interface Customer {
  customerNumber: string;
  name: string;
  organisationNumber: string;
  email: string;
  address1: string;
  zipCode: string;
  city: string;
  countryCode: string;
}
interface Article {
  readonly articleNumber: string;
  readonly description: string;
  readonly vat: number;
  readonly salesAccount: number | null;
}
interface Row {
  readonly articleNumber: string;
  readonly description: string;
  readonly account: number;
  readonly vatPercent: number;
  readonly netOre: number;
  readonly vatOre: number;
}
interface Invoice {
  readonly documentNumber: number;
  readonly customerNumber: string;
  readonly invoiceDate: string;
  readonly dueDate: string;
  readonly currency: string;
  readonly externalReference: string;
  readonly yourOrderNumber: string;
  readonly rows: readonly Row[];
}

/** What the invoice book needs from the rest of the Fortnox sandbox. */
export interface FortnoxBookContext {
  /** `{ErrorInformation}` in the sandbox's key style. */
  readonly fail: (status: number, code: number, message: string) => SandboxReply;
  /** Wraps a list as Fortnox does (MetaInformation, paging), or refuses bad paging. */
  readonly page: (key: string, items: readonly unknown[], query: URLSearchParams) => SandboxReply;
  /** The account's momskod in the chart of the year holding the date ('' none), undefined if there is no such account. */
  readonly accountVatCode: (account: number, date: string) => string | undefined;
  readonly createStatus: 200 | 201;
}

const toOre = (value: number) => Math.round(value * 100);
const SWEDISH_ORGANISATION_NUMBER = /^\d{6}-?\d{4}$/;

export function fortnoxInvoiceBook(context: FortnoxBookContext): {
  route: (request: SandboxRequest, path: string) => SandboxReply | null;
  control: InvoiceSandboxControl;
} {
  const { fail, page } = context;
  const invalid = (code: number, message: string) => fail(400, code, message);
  const customers: Customer[] = [];
  const articles = new Map<string, Article>();
  const invoices: Invoice[] = [];
  // Document numbers booked ("Bokför") and marked as sent outside Fortnox ("externalprint").
  const booked = new Set<number>();
  const markedSent = new Set<number>();
  let requireAddress = false;
  let nextCustomerNumber = 1;
  let nextDocumentNumber = 1;

  const customerJson = (customer: Customer) => ({
    '@url': `/3/customers/${customer.customerNumber}`,
    CustomerNumber: customer.customerNumber,
    Name: customer.name,
    OrganisationNumber: customer.organisationNumber,
    Email: customer.email,
    Address1: customer.address1,
    ZipCode: customer.zipCode,
    City: customer.city,
    CountryCode: customer.countryCode,
    Active: true,
  });
  const articleJson = (article: Article) => ({
    '@url': `/3/articles/${article.articleNumber}`,
    ArticleNumber: article.articleNumber,
    Description: article.description,
    Type: 'SERVICE',
    VAT: article.vat,
    SalesAccount: article.salesAccount ?? 0,
  });
  const invoiceJson = (invoice: Invoice) => {
    const net = invoice.rows.reduce((total, row) => total + row.netOre, 0);
    const vat = invoice.rows.reduce((total, row) => total + row.vatOre, 0);
    return {
      '@url': `/3/invoices/${invoice.documentNumber}`,
      // The list sends DocumentNumber as a string (UNCONFIRMED which the live API uses; the connector takes both).
      DocumentNumber: String(invoice.documentNumber),
      CustomerNumber: invoice.customerNumber,
      CustomerName: customers.find((customer) => customer.customerNumber === invoice.customerNumber)?.name ?? '',
      InvoiceDate: invoice.invoiceDate,
      DueDate: invoice.dueDate,
      Currency: invoice.currency,
      ExternalInvoiceReference1: invoice.externalReference,
      YourOrderNumber: invoice.yourOrderNumber,
      Net: net / 100,
      TotalVAT: vat / 100,
      Total: (net + vat) / 100,
      VATIncluded: false,
      Booked: booked.has(invoice.documentNumber),
      Cancelled: false,
      Sent: markedSent.has(invoice.documentNumber),
      InvoiceRows: invoice.rows.map((row) => ({
        ArticleNumber: row.articleNumber,
        Description: row.description,
        AccountNumber: row.account,
        DeliveredQuantity: 1,
        PriceExcludingVAT: row.netOre / 100,
        VAT: row.vatPercent,
      })),
    };
  };
  const created = (key: string, body: unknown): SandboxReply => ({
    status: context.createStatus,
    body: { [key]: body },
  });
  const wrongFields = (error: z.ZodError): SandboxReply =>
    error.issues.some((issue) => issue.code === 'unrecognized_keys')
      ? invalid(2001399, 'Felaktigt fältnamn')
      : invalid(2001392, `Ingen eller felaktig typ av data. (${error.issues[0]?.path.join('.') ?? ''})`);
  /** Fortnox's list filters match where the value begins (measured by a third party), not exactly. */
  const begins = (value: string, wanted: string | null) =>
    wanted === null || value.toLowerCase().startsWith(wanted.toLowerCase());

  const createCustomer = (body: unknown): SandboxReply => {
    const parsed = z.object({ Customer: customerSchema }).strict().safeParse(body);
    if (!parsed.success) return wrongFields(parsed.error);
    const data = parsed.data.Customer;
    if (data.OrganisationNumber && !SWEDISH_ORGANISATION_NUMBER.test(data.OrganisationNumber)) {
      return invalid(
        UNCONFIRMED_CODE.invalidOrganisationNumber,
        `Ogiltigt organisationsnummer (${data.OrganisationNumber})`,
      );
    }
    const number = data.CustomerNumber ?? String(nextCustomerNumber++);
    if (customers.some((customer) => customer.customerNumber === number)) {
      return invalid(
        CUSTOMER_NUMBER_IN_USE,
        `Kundnummer ${number} används redan. Kundnumret har redan använts men blivit raderat.`,
      );
    }
    const customer: Customer = {
      customerNumber: number,
      name: data.Name,
      organisationNumber: data.OrganisationNumber ?? '',
      email: data.Email ?? '',
      address1: data.Address1 ?? '',
      zipCode: data.ZipCode ?? '',
      city: data.City ?? '',
      countryCode: data.CountryCode ?? 'SE',
    };
    customers.push(customer);
    return created('Customer', customerJson(customer));
  };

  const createArticle = (body: unknown): SandboxReply => {
    const parsed = z.object({ Article: articleSchema }).strict().safeParse(body);
    if (!parsed.success) return wrongFields(parsed.error);
    const data = parsed.data.Article;
    if (articles.has(data.ArticleNumber)) {
      return invalid(UNCONFIRMED_CODE.articleNumberInUse, `Artikelnummer ${data.ArticleNumber} används redan.`);
    }
    if (data.VAT !== undefined && !(VAT_PERCENTS as readonly number[]).includes(data.VAT)) {
      return invalid(UNCONFIRMED_CODE.invalidVat, `Ogiltig momssats (${data.VAT})`);
    }
    const article: Article = {
      articleNumber: data.ArticleNumber,
      description: data.Description,
      vat: data.VAT ?? 25,
      salesAccount: data.SalesAccount ?? null,
    };
    articles.set(article.articleNumber, article);
    return created('Article', articleJson(article));
  };

  const createInvoice = (body: unknown): SandboxReply => {
    const parsed = z.object({ Invoice: invoiceSchema }).strict().safeParse(body);
    if (!parsed.success) return wrongFields(parsed.error);
    const data = parsed.data.Invoice;
    const customer = customers.find((candidate) => candidate.customerNumber === data.CustomerNumber);
    if (!customer) return invalid(UNCONFIRMED_CODE.unknownCustomer, `Kunden ${data.CustomerNumber} hittades inte.`);
    if (requireAddress && (!customer.address1 || !customer.zipCode || !customer.city)) {
      return invalid(
        UNCONFIRMED_CODE.missingAddress,
        `Kund ${customer.customerNumber} (${customer.name}) saknar fakturaadress: fyll i adress, postnummer och ort.`,
      );
    }
    const rows: Row[] = [];
    for (const row of data.InvoiceRows) {
      const article = row.ArticleNumber === undefined ? undefined : articles.get(row.ArticleNumber);
      if (row.ArticleNumber !== undefined && !article) {
        return invalid(UNCONFIRMED_CODE.unknownArticle, `Artikeln ${row.ArticleNumber} hittades inte.`);
      }
      if (!(VAT_PERCENTS as readonly number[]).includes(row.VAT)) {
        return invalid(UNCONFIRMED_CODE.invalidVat, `Ogiltig momssats (${row.VAT})`);
      }
      const account = row.AccountNumber ?? article?.salesAccount ?? 3001;
      if (context.accountVatCode(account, data.InvoiceDate) === undefined) {
        return invalid(2001304, 'Kunde inte hitta konto');
      }
      const total = toOre(row.Price * row.DeliveredQuantity);
      // Fortnox computes the row's VAT itself: on the net price, or out of a gross one.
      const vat = data.VATIncluded
        ? Math.round((total * row.VAT) / (100 + row.VAT))
        : Math.sign(total) * Math.round((Math.abs(total) * row.VAT) / 100);
      rows.push({
        articleNumber: row.ArticleNumber ?? '',
        description: row.Description ?? article?.description ?? '',
        account,
        vatPercent: row.VAT,
        netOre: data.VATIncluded ? total - vat : total,
        vatOre: vat,
      });
    }
    const inUse = (number: number) => invoices.some((invoice) => invoice.documentNumber === number);
    let number: number;
    if (data.DocumentNumber === undefined) {
      while (inUse(nextDocumentNumber)) nextDocumentNumber += 1;
      number = nextDocumentNumber++;
    } else {
      number = Number(data.DocumentNumber);
      if (inUse(number)) {
        return invalid(UNCONFIRMED_CODE.documentNumberInUse, `Fakturanummer ${number} används redan.`);
      }
    }
    const invoice: Invoice = {
      documentNumber: number,
      customerNumber: customer.customerNumber,
      invoiceDate: data.InvoiceDate,
      dueDate: data.DueDate,
      currency: data.Currency ?? 'SEK',
      externalReference: data.ExternalInvoiceReference1 ?? '',
      yourOrderNumber: data.YourOrderNumber ?? '',
      rows,
    };
    invoices.push(invoice);
    return created('Invoice', invoiceJson(invoice));
  };

  /** PUT /3/invoices/{n}/bookkeep books the invoice; /externalprint marks it as sent without Fortnox sending it. */
  const invoiceAction = (request: SandboxRequest, number: string, action: string): SandboxReply => {
    const invoice = invoices.find((candidate) => String(candidate.documentNumber) === number);
    if (request.method !== 'PUT' || !invoice) return fail(404, 2000729, 'A valid identifier was not provided.');
    if (action === 'bookkeep') {
      if (booked.has(invoice.documentNumber)) return invalid(2000412, 'Fakturan är redan bokförd.');
      booked.add(invoice.documentNumber);
    } else {
      markedSent.add(invoice.documentNumber);
    }
    return { status: 200, body: { Invoice: invoiceJson(invoice) } };
  };

  const route = (request: SandboxRequest, path: string): SandboxReply | null => {
    const action = /^\/3\/invoices\/([^/]+)\/(bookkeep|externalprint)$/.exec(path);
    if (action) return invoiceAction(request, decodeURIComponent(action[1] ?? ''), action[2] ?? '');
    const resource = /^\/3\/(customers|articles|invoices)(?:\/([^/]+))?$/.exec(path);
    if (!resource) return null;
    const [, kind, id] = resource;
    const query = request.url.searchParams;
    const allowed = new Set([...PAGING, ...(FILTERS[`/3/${kind}`] ?? [])]);
    if ([...query.keys()].some((name) => !allowed.has(name))) return invalid(2000588, 'Ogiltig parameter i anropet.');
    if (request.method === 'POST' && id === undefined) {
      if (!request.headers['content-type']?.includes('application/json')) {
        return invalid(1000031, 'Invalid content type');
      }
      if (kind === 'customers') return createCustomer(request.body);
      if (kind === 'articles') return createArticle(request.body);
      return createInvoice(request.body);
    }
    if (request.method !== 'GET') return fail(404, 2000729, 'A valid identifier was not provided.');
    const key = decodeURIComponent(id ?? '');
    if (kind === 'customers') {
      if (id !== undefined) {
        const customer = customers.find((candidate) => candidate.customerNumber === key);
        return customer
          ? { status: 200, body: { Customer: customerJson(customer) } }
          : fail(404, UNCONFIRMED_CODE.unknownCustomer, `Kunden ${key} hittades inte.`);
      }
      const listed = customers.filter(
        (customer) =>
          begins(customer.customerNumber, query.get('customernumber')) &&
          begins(customer.email, query.get('email')) &&
          begins(customer.organisationNumber, query.get('organisationnumber')),
      );
      return page('Customers', listed.map(customerJson), query);
    }
    if (kind === 'articles') {
      if (id !== undefined) {
        const article = articles.get(key);
        return article
          ? { status: 200, body: { Article: articleJson(article) } }
          : fail(404, UNCONFIRMED_CODE.unknownArticle, `Artikeln ${key} hittades inte.`);
      }
      const listed = [...articles.values()].filter((article) =>
        begins(article.articleNumber, query.get('articlenumber')),
      );
      return page('Articles', listed.map(articleJson), query);
    }
    if (id !== undefined) {
      const invoice = invoices.find((candidate) => String(candidate.documentNumber) === key);
      return invoice
        ? { status: 200, body: { Invoice: invoiceJson(invoice) } }
        : fail(404, 2000729, 'A valid identifier was not provided.');
    }
    const from = query.get('fromdate') ?? '0000-00-00';
    const to = query.get('todate') ?? '9999-99-99';
    const listed = invoices
      .filter(
        (invoice) =>
          from <= invoice.invoiceDate &&
          invoice.invoiceDate <= to &&
          begins(invoice.externalReference, query.get('externalinvoicereference1')) &&
          begins(invoice.yourOrderNumber, query.get('yourordernumber')) &&
          begins(invoice.customerNumber, query.get('customernumber')),
      )
      .sort((a, b) =>
        query.get('sortby') === 'documentnumber' && query.get('sortorder') === 'descending'
          ? b.documentNumber - a.documentNumber
          : a.documentNumber - b.documentNumber,
      );
    // A list item carries no rows (as Fortnox's InvoiceListItem).
    return page(
      'Invoices',
      listed.map((invoice) => {
        const { InvoiceRows: _rows, ...item } = invoiceJson(invoice);
        return item;
      }),
      query,
    );
  };

  const sandboxCustomer = (customer: Customer): SandboxCustomer => ({
    id: customer.customerNumber,
    customerNumber: customer.customerNumber,
    name: customer.name,
    organizationNumber: customer.organisationNumber || null,
    email: customer.email || null,
    hasAddress: Boolean(customer.address1 && customer.zipCode && customer.city),
  });
  const giveAddress = (customer: Customer) => {
    customer.address1 = 'Storgatan 1';
    customer.zipCode = '111 22';
    customer.city = 'Stockholm';
  };
  const control: InvoiceSandboxControl = {
    invoices: (): SandboxInvoice[] =>
      invoices.map((invoice) => ({
        id: String(invoice.documentNumber),
        number: String(invoice.documentNumber),
        idempotencyKey: invoice.externalReference || null,
        customerNumber: invoice.customerNumber,
        date: invoice.invoiceDate,
        dueDate: invoice.dueDate,
        booked: booked.has(invoice.documentNumber),
        markedSent: markedSent.has(invoice.documentNumber),
        // The momskod of the account the row is booked on: what Fortnox's ledger reports it under.
        lines: invoice.rows.map((row) => ({
          productNumber: row.articleNumber || null,
          vatCode: context.accountVatCode(row.account, invoice.invoiceDate) ?? '',
          netOre: row.netOre,
          vatOre: row.vatOre,
        })),
      })),
    customers: () => customers.map(sandboxCustomer),
    addCustomer: (customer) => {
      const added: Customer = {
        customerNumber: customer.customerNumber ?? String(nextCustomerNumber++),
        name: customer.name,
        organisationNumber: customer.organizationNumber ?? '',
        email: customer.email ?? '',
        address1: '',
        zipCode: '',
        city: '',
        countryCode: 'SE',
      };
      if (customer.hasAddress) giveAddress(added);
      customers.push(added);
      return sandboxCustomer(added);
    },
    requireCustomerAddress: (on) => {
      requireAddress = on;
    },
    setCustomerAddress: (customerNumber) => {
      const customer = customers.find((candidate) => candidate.customerNumber === customerNumber);
      if (!customer) throw new Error(`Sandbox has no customer ${customerNumber}`);
      giveAddress(customer);
    },
    setNextInvoiceNumber: (next) => {
      nextDocumentNumber = next;
    },
  };
  return { route, control };
}
