import { MoneyFormatError, sum, type Ore } from '../../../shared/money';
import {
  INVOICE_VAT_RATES,
  invoiceSaleSchema,
  invoiceTotals,
  type InvoiceLine,
  type InvoiceSale,
} from '../../invoices/invoice';
import { SourceError } from '../source-error';
import { OVER_SAFT_LIMIT, isWithinSaftLimit, parseSaftAmount } from './amount';
import { isCalendarDate } from './calendar';
import { BASIC_TYPE } from './codes';
import { SAFT_SOURCE } from './read-saft';
import { SaftXml } from './saft-xml';

/** Transaction codes of sales on account (NOTES.md, basicType 11): credit sale, cash and credit, credit and return. */
const CREDIT_SALE_CODES = new Set(['11002', '11015', '11017']);

export interface SaftInvoices {
  readonly invoices: InvoiceSale[];
  /** Where the credit sales of a Z-report's day disagree with its reportCreditSales total. */
  readonly warnings: string[];
}

type Fields = Record<string, string>;

const addDays = (day: string, days: number): string => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
};

/**
 * The credit sales (kredittsalg) of a SAF-T Cash Register file as invoice sales: transactions whose
 * transType resolves to 11002/11015/11017, with their customer from company/customersSuppliers
 * (organisation number from taxRegIdent) and their lines per VAT rate. Each Z-report's
 * reportCreditSales total is compared with the credit sales of its register and day.
 * SAF-T has no due date: it is the sale date plus `dueDays`.
 */
export function readSaftInvoices(path: string, options: { readonly dueDays?: number } = {}): SaftInvoices {
  const basics = new Map<string, string>();
  const customers = new Map<string, Fields>();
  let fields: Fields = {};
  let line: Fields = {};
  let lines: (Fields & { at: string })[] = [];
  let locationName = '';
  let registerId = '';
  const raw: { fields: Fields; lines: (Fields & { at: string })[]; location: string; register: string; at: string }[] =
    [];
  const reported: { register: string; date: string; amount: Ore }[] = [];
  let report: Fields = {};
  const xml = new SaftXml(path, { open, close });
  const { stack } = xml;
  const fail = (field: string | null, reason: string, at = `line ${xml.line}`): never => {
    throw new SourceError(path, at, field, reason);
  };
  const amount = (field: string, value: string, at: string): Ore => {
    let parsed: Ore;
    try {
      parsed = parseSaftAmount(value);
    } catch (error) {
      return fail(field, error instanceof MoneyFormatError ? error.message : String(error), at);
    }
    return isWithinSaftLimit(parsed) ? parsed : fail(field, `"${value}" is ${OVER_SAFT_LIMIT}`, at);
  };
  function open(name: string): void {
    if (name === 'basic' || name === 'customerSupplier' || name === 'cashtransaction') fields = {};
    if (name === 'cashtransaction') lines = [];
    if (name === 'ctLine') line = {};
    if (name === 'eventReport') report = {};
  }
  function close(name: string, value: string): void {
    const parent = stack.at(-1);
    if (parent === 'basic') fields[name] = value;
    else if (name === 'basic') {
      if (Number(fields['basicType']) === Number(BASIC_TYPE.transaction)) {
        basics.set(fields['basicID'] ?? '', fields['predefinedBasicID'] ?? '');
      }
    } else if (parent === 'customerSupplier') fields[name] = value;
    else if ((parent === 'streetAddress' || parent === 'postalAddress') && stack.at(-2) === 'customerSupplier') {
      fields[`address.${name}`] ??= value;
    } else if (name === 'customerSupplier') customers.set(fields['custSupID'] ?? '', fields);
    else if (name === 'name' && parent === 'location') locationName = value;
    else if (name === 'registerID' && parent === 'cashregister') registerId = value;
    else if (name === 'ctLine') lines.push({ ...line, at: `line ${xml.line}` });
    else if (parent === 'cashtransaction') fields[name] = value;
    else if (parent === 'ctLine' || (parent === 'vat' && stack.at(-2) === 'ctLine')) line[name] = value;
    else if (name === 'cashtransaction') {
      if (CREDIT_SALE_CODES.has(basics.get(fields['transType'] ?? '') ?? fields['transType'] ?? '')) {
        raw.push({ fields, lines, location: locationName, register: registerId, at: `line ${xml.line}` });
      }
    } else if (stack.includes('eventReport')) report[name] = value;
    else if (name === 'eventReport' && report['creditSalesAmnt']) {
      reported.push({
        register: report['registerID'] ?? registerId,
        date: report['reportDate'] ?? '',
        amount: amount('creditSalesAmnt', report['creditSalesAmnt'], `line ${xml.line}`),
      });
    }
  }
  xml.read();

  const invoices = raw.map(({ fields: tx, lines: txLines, location, register, at }) => {
    const customerId = tx['custSupID'] ?? '';
    const customer = customers.get(customerId);
    if (!customer)
      fail(
        'custSupID',
        `credit sale ${tx['transID'] ?? '?'} names customer "${customerId}", who is not in customersSuppliers`,
        at,
      );
    const date = tx['transDate'] ?? '';
    if (!isCalendarDate(date)) fail('transDate', `"${date}" is not a calendar date YYYY-MM-DD`, at);
    const saleLines: InvoiceLine[] = txLines.map((item) => {
      const rate = Math.round(Number(item['vatPerc'] ?? '0') * 100);
      if (!(INVOICE_VAT_RATES as readonly number[]).includes(rate))
        fail('vatPerc', `VAT rate ${item['vatPerc'] ?? ''} % is not 0, 12, 15 or 25`, item.at);
      return {
        kind: 'goods',
        description: item['cashTransLineDescr'] || item['artID'] || 'Varer',
        articleGroup: item['artGroupID'] || null,
        vatRateBp: rate as InvoiceLine['vatRateBp'],
        net: amount('vatBasAmnt', item['vatBasAmnt'] || item['lineAmntEx'] || '0', item.at),
        vat: amount('vatAmnt', item['vatAmnt'] || '0', item.at),
      };
    });
    const orgDigits = /^(\d{9})/.exec((customer?.['taxRegIdent'] ?? '').replace(/\s/g, ''))?.[1] ?? null;
    const parsed = invoiceSaleSchema.safeParse({
      source: SAFT_SOURCE,
      location,
      registerId: register,
      businessDate: date,
      posNumber: tx['invoiceID'] || tx['transID'],
      issueDate: date,
      dueDate: addDays(date, options.dueDays ?? 14),
      ourReference: tx['empID'] || null,
      yourReference: null,
      customer: {
        name: customer?.['custSupName'] ?? '',
        organizationNumber: orgDigits,
        customerNumber: customerId || null,
        email: customer?.['eMail'] || null,
        address:
          customer?.['address.city'] && customer['address.postalCode']
            ? {
                street: [customer['address.streetname'], customer['address.number']].filter(Boolean).join(' '),
                postalCode: customer['address.postalCode'],
                city: customer['address.city'],
                country: customer['address.country'] || 'NO',
              }
            : null,
      },
      lines: saleLines,
      sourceRef: `${path}:${at}`,
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      fail(issue?.path.join('.') || null, `credit sale ${tx['transID'] ?? '?'}: ${issue?.message ?? 'invalid'}`, at);
    }
    return parsed.data as InvoiceSale;
  });

  const warnings = reported.flatMap(({ register, date, amount: total }) => {
    const read = sum(
      invoices
        .filter((invoice) => invoice.registerId === register && invoice.businessDate === date)
        .map((invoice) => invoiceTotals(invoice).gross),
    );
    return read === total
      ? []
      : [
          `register ${register} ${date}: the Z-report lists credit sales of ${(total / 100).toFixed(2)}, the credit-sale transactions add up to ${(read / 100).toFixed(2)}`,
        ];
  });
  return { invoices, warnings };
}
