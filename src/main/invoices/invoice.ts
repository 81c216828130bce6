import { z } from 'zod';
import { add, ore, ZERO, type Ore } from '../../shared/money';

/**
 * An invoice sale (faktura / kreditsalg) as the POS made it: a customer, lines with article group
 * and VAT rate, net and VAT in øre, the POS's own invoice/order number. Sources produce these;
 * connectors send them; the Z-report voucher moves them to the invoice clearing key.
 */

/**
 * What differs per country of the shop, as data: the VAT rates a line may carry (basis points),
 * the currency, and the shape of an organisation number. A sale without a country is Norwegian.
 */
export const INVOICE_COUNTRIES = {
  NO: {
    currency: 'NOK',
    vatRatesBp: [0, 1200, 1500, 2500],
    organizationNumber: /^\d{9}$/,
    organizationNumberRule: 'an organisation number has nine digits',
  },
  SE: {
    currency: 'SEK',
    vatRatesBp: [0, 600, 1200, 2500],
    organizationNumber: /^\d{6}-\d{4}$/,
    organizationNumberRule: 'a Swedish organisation number is NNNNNN-NNNN (ten digits)',
  },
} as const;
export type InvoiceCountry = keyof typeof INVOICE_COUNTRIES;
const COUNTRY_NAMES: Readonly<Record<InvoiceCountry, string>> = { NO: 'Norwegian', SE: 'Swedish' };

/** Norwegian VAT rates: what the (Norwegian) sources accept. */
export const INVOICE_VAT_RATES = INVOICE_COUNTRIES.NO.vatRatesBp;
/** Every rate of any country; the sale's country narrows it. */
export type InvoiceVatRateBp = (typeof INVOICE_COUNTRIES)[InvoiceCountry]['vatRatesBp'][number];
const ALL_VAT_RATES = [...new Set(Object.values(INVOICE_COUNTRIES).flatMap((country) => country.vatRatesBp))];

/** goods = article lines; tip and fee get their own products at the target (and tips are no revenue). */
export const INVOICE_LINE_KINDS = ['goods', 'tip', 'fee'] as const;
export type InvoiceLineKind = (typeof INVOICE_LINE_KINDS)[number];

const oreSchema = z.number().int().refine(Number.isSafeInteger, 'not a whole number of øre').transform(ore);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
const text = z.string().trim();

export const customerSchema = z.object({
  name: text.min(1, 'the customer needs a name'),
  /** Organisation number (spaces removed when read); its shape is checked against the sale's country. */
  organizationNumber: z.string().nullable(),
  /** The POS's own customer number. */
  customerNumber: text.min(1).nullable(),
  email: z.string().email('not an e-mail address').nullable(),
  address: z
    .object({
      street: text,
      postalCode: text,
      city: text,
      country: z.string().length(2).default('NO'),
    })
    .nullable(),
});
export type InvoiceCustomer = z.output<typeof customerSchema>;

export const invoiceLineSchema = z
  .object({
    kind: z.enum(INVOICE_LINE_KINDS),
    description: text.min(1, 'a line needs a text'),
    articleGroup: text.nullable(),
    vatRateBp: z.union(ALL_VAT_RATES.map((rate) => z.literal(rate)) as [z.ZodLiteral<InvoiceVatRateBp>]),
    net: oreSchema,
    vat: oreSchema,
  })
  .refine((line) => line.kind !== 'tip' || line.vatRateBp === 0, {
    message: 'a tip carries no VAT',
    path: ['vatRateBp'],
  })
  .refine((line) => line.vatRateBp !== 0 || line.vat === 0, { message: 'a 0 % line has no VAT', path: ['vat'] });
export type InvoiceLine = z.output<typeof invoiceLineSchema>;

export const invoiceSaleSchema = z
  .object({
    source: text.min(1),
    /** The shop's country (NO when absent): its VAT rates, currency and organisation numbers. */
    country: z.enum(Object.keys(INVOICE_COUNTRIES) as [InvoiceCountry]).optional(),
    location: text.min(1),
    registerId: text.min(1),
    /** The business day of the Z-report the sale belongs to. */
    businessDate: date,
    /** The POS's invoice (or order) number. */
    posNumber: text.min(1),
    issueDate: date,
    dueDate: date,
    ourReference: text.nullable(),
    yourReference: text.nullable(),
    customer: customerSchema,
    lines: z.array(invoiceLineSchema).min(1, 'an invoice needs at least one line'),
    sourceRef: z.string().optional(),
  })
  .refine((sale) => sale.dueDate >= sale.issueDate, { message: 'due date before issue date', path: ['dueDate'] })
  .superRefine((sale, context) => {
    const country = INVOICE_COUNTRIES[sale.country ?? 'NO'];
    const number = sale.customer.organizationNumber;
    if (number !== null && !country.organizationNumber.test(number)) {
      context.addIssue({
        code: 'custom',
        path: ['customer', 'organizationNumber'],
        message: country.organizationNumberRule,
      });
    }
    sale.lines.forEach((line, index) => {
      if (!(country.vatRatesBp as readonly number[]).includes(line.vatRateBp)) {
        context.addIssue({
          code: 'custom',
          path: ['lines', index, 'vatRateBp'],
          message: `${line.vatRateBp / 100} % is not a ${COUNTRY_NAMES[sale.country ?? 'NO']} VAT rate (${country.vatRatesBp.map((rate) => rate / 100).join(', ')} %)`,
        });
      }
    });
  });
export type InvoiceSale = z.output<typeof invoiceSaleSchema>;

export function invoiceCountry(sale: Pick<InvoiceSale, 'country'>): InvoiceCountry {
  return sale.country ?? 'NO';
}

export interface InvoiceTotals {
  readonly net: Ore;
  readonly vat: Ore;
  readonly gross: Ore;
  /** Revenue (goods and fees) per VAT rate; tips are not revenue. */
  readonly revenueByRate: ReadonlyMap<InvoiceVatRateBp, { readonly net: Ore; readonly vat: Ore }>;
  readonly tips: Ore;
}

export function invoiceTotals(sale: Pick<InvoiceSale, 'lines'>): InvoiceTotals {
  let net = ZERO;
  let vat = ZERO;
  let tips = ZERO;
  const revenueByRate = new Map<InvoiceVatRateBp, { net: Ore; vat: Ore }>();
  for (const line of sale.lines) {
    net = add(net, line.net);
    vat = add(vat, line.vat);
    if (line.kind === 'tip') {
      tips = add(tips, line.net);
      continue;
    }
    const rate = revenueByRate.get(line.vatRateBp) ?? { net: ZERO, vat: ZERO };
    revenueByRate.set(line.vatRateBp, { net: add(rate.net, line.net), vat: add(rate.vat, line.vat) });
  }
  return { net, vat, gross: add(net, vat), revenueByRate, tips };
}

/** The same invoice read twice (from the database or a CSV) is the same invoice. */
export function invoiceIdentity(sale: Pick<InvoiceSale, 'source' | 'location' | 'posNumber'>): string {
  return [sale.source, sale.location, sale.posNumber].join('|');
}

/**
 * Who the customer is, independent of any target: organisation number first, then the POS's
 * customer number, then e-mail, then name. Used to remember the customer at each target.
 */
export function customerKey(customer: InvoiceCustomer): string {
  if (customer.organizationNumber) return `org:${customer.organizationNumber}`;
  if (customer.customerNumber) return `pos:${customer.customerNumber}`;
  if (customer.email) return `mail:${customer.email.toLowerCase()}`;
  return `name:${customer.name.toLowerCase()}`;
}

/** VAT a target computes from a net amount (half away from zero), as invoice systems do. */
export function vatOfNet(net: Ore, rateBp: number): Ore {
  const numerator = net * rateBp;
  return ore(Math.sign(numerator) * Math.round(Math.abs(numerator) / 10_000));
}
