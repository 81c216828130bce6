import { add, MoneyFormatError, negate, ZERO, type Ore } from '../../../shared/money';
import type { SettlementKey } from '../../../shared/settlement-keys';
import type { ReportKind, SettlementDraft, SettlementLine } from '../../domain/settlement';
import type { FileReadResult, FileSource, ReadProgress } from '../file-source';
import { parseRateBp, salesKeyForRate } from '../sales-key';
import type { SourceError } from '../source-error';
import { OVER_SAFT_LIMIT, isWithinSaftLimit, parseSaftAmount } from './amount';
import { isCalendarDate, isClockTime } from './calendar';
import {
  BASIC_TYPE,
  EVENT_X_REPORT,
  EVENT_Z_REPORT,
  isDummyCode,
  SAFT_PAYMENT_KEYS,
  SAFT_PAYMENT_NAMES,
} from './codes';
import { compareWithTransactions, newTotals, type TransactionTotals } from './cross-check';
import { SAFT_NAMESPACE, SaftXml, type SaftXmlHandler } from './saft-xml';
import { Transaction, type AmountReader } from './transaction';

export { SAFT_NAMESPACE } from './saft-xml';
export const SAFT_SOURCE = 'saft';
/** The XSD's mandatory eventReport parts that a settlement is built from. */
const REQUIRED_REPORT_SECTIONS = ['reportTotalCashSales', 'reportPayments', 'reportCashSalesVat'] as const;
/** Up to this much (0.99 kr) sales − payments is cash rounding; more is a cash difference, with a warning. */
const ROUNDING_LIMIT_ORE = 99;

export interface SaftOptions {
  /** Per-POS overrides: the POS's own paymentType code, or a 12xxx code → settlement key. */
  readonly paymentKeys?: Readonly<Record<string, SettlementKey>>;
  /** Called after each chunk read. */
  readonly onProgress?: ReadProgress;
}

interface ReportPayment {
  code: string;
  amount: Ore;
  account: string;
  line: number;
}

interface ReportVat {
  code: string;
  perc: string;
  net: Ore;
  vat: Ore;
  amountType: string;
  account: string;
  line: number;
}

interface Report {
  kind: ReportKind;
  reportId: string;
  date: string;
  time: string;
  line: number;
  totalCashSales: Ore;
  payments: ReportPayment[];
  vats: ReportVat[];
  extras: { tip: Ore; creditSales: Ore; payIns: Ore; payOuts: Ore };
  warnings: string[];
  /** Receipts that fall into this report's period, summed as the file is read. */
  totals: TransactionTotals;
  /** A Z event without an eventReport: its totals are built from its receipts. */
  fromReceipts: boolean;
}

function newReport(line: number): Report {
  return {
    kind: 'Z',
    reportId: '',
    date: '',
    time: '',
    line,
    totalCashSales: ZERO,
    payments: [],
    vats: [],
    extras: { tip: ZERO, creditSales: ZERO, payIns: ZERO, payOuts: ZERO },
    warnings: [],
    totals: newTotals(),
    fromReceipts: false,
  };
}

interface Register {
  id: string;
  line: number;
  reports: Report[];
  /** Z reports by closing time, so each receipt finds the Z that closed its day. */
  zByTime: { at: string; report: Report }[] | null;
  seenTransaction: boolean;
}

type Fields = Record<string, string>;

/**
 * Reads a Norwegian SAF-T Cash Register file in one pass with a streaming XML parser. Memory holds
 * the code lists, one report per Z/X event and per-report running totals — never the receipts —
 * so a year of a busy shop reads in the same memory as a day.
 */
export function readSaftFile(path: string, options: SaftOptions = {}): FileReadResult {
  return new SaftReader(path, options).read();
}

class SaftReader implements SaftXmlHandler {
  private readonly xml: SaftXml;
  private currency = 'NOK';
  private companyIdent = '';
  private readonly basics = new Map<string, string>();
  private basic: Fields = {};
  private locationIndex = 0;
  private locationName = '';
  private register: Register | null = null;
  private event: Fields = {};
  private report: Report | null = null;
  private inReport = false;
  private readonly reportSections = new Set<string>();
  private reportFields: Fields = {};
  private row: Fields = {};
  private transaction: Transaction | null = null;
  private readonly drafts: SettlementDraft[] = [];
  private readonly fileWarnings: string[] = [];

  constructor(
    private readonly path: string,
    private readonly options: SaftOptions,
  ) {
    this.xml = new SaftXml(path, this);
  }

  /** Reports read so far: those of the registers already closed, and of the open one. */
  get reportsFound(): number {
    return this.drafts.length + (this.register?.reports.length ?? 0);
  }

  read(): FileReadResult {
    this.xml.read((bytesRead) => this.options.onProgress?.(bytesRead, this.reportsFound));
    if (this.locationIndex === 0) this.fileWarnings.push('the file holds no location, so no reports');
    return { format: 'saft', drafts: this.drafts, warnings: this.fileWarnings };
  }

  private where(): string {
    return this.xml.where();
  }

  private error(field: string | null, reason: string, line?: number): SourceError {
    return this.xml.error(field, reason, line);
  }

  /** Parsing and summing with this file's errors, bound once for the receipt reader's hot path. */
  private readonly amounts: AmountReader = {
    amount: (field, value) => this.amount(field, value),
    sum: (total, amount, field) => this.sum(total, amount, field),
  };

  private amount(field: string, value: string): Ore {
    let amount: Ore;
    try {
      amount = parseSaftAmount(value);
    } catch (error) {
      throw this.error(field, error instanceof MoneyFormatError ? error.message : String(error));
    }
    if (!isWithinSaftLimit(amount)) throw this.error(field, `"${value}" is ${OVER_SAFT_LIMIT}`);
    return amount;
  }

  /** total + amount, refused with the field's name when it passes the limit. */
  private sum(total: Ore, amount: Ore, field: string, line?: number): Ore {
    const result = total + amount;
    if (!isWithinSaftLimit(result)) throw this.error(field, `the ${field} amounts add up to ${OVER_SAFT_LIMIT}`, line);
    return result as Ore;
  }

  private parent(depth = 1): string | undefined {
    const { stack } = this.xml;
    return stack[stack.length - depth];
  }

  open(name: string): void {
    const parent = this.parent();
    if (this.inReport && parent === 'eventReport') this.reportSections.add(name);
    switch (name) {
      case 'basic':
        this.basic = {};
        break;
      case 'location':
        this.locationIndex += 1;
        this.locationName = '';
        break;
      case 'cashregister':
        this.register = { id: '', line: this.xml.line, reports: [], zByTime: null, seenTransaction: false };
        break;
      case 'event':
        if (parent === 'cashregister' && this.register?.seenTransaction) {
          throw this.error(null, 'XSD order: an <event> after a <cashtransaction> in the same cashregister');
        }
        this.event = {};
        break;
      case 'eventReport':
        this.inReport = true;
        this.reportSections.clear();
        this.reportFields = {};
        this.report = newReport(this.xml.line);
        break;
      case 'reportPayment':
      case 'reportCashSaleVat':
        this.row = { line: String(this.xml.line) };
        break;
      case 'cashtransaction':
        if (this.register) this.register.seenTransaction = true;
        this.transaction = new Transaction(this.xml.line, this.amounts);
        break;
      default:
        this.transaction?.open(name, parent);
    }
  }

  close(name: string, value: string): void {
    const parent = this.parent();
    const grandparent = this.parent(2);

    if (this.transaction) {
      if (name === 'cashtransaction') this.closeTransaction();
      else this.transaction.close(name, parent, grandparent, value);
      return;
    }
    if (this.inReport) {
      this.closeInReport(name, parent, value);
      return;
    }
    if (name === 'basic') {
      if (this.basic['basicType'] && this.basic['basicID']) {
        this.basics.set(
          basicKey(this.basic['basicType'], this.basic['basicID']),
          this.basic['predefinedBasicID'] ?? '',
        );
      }
      return;
    }
    if (name === 'event' && parent === 'cashregister') {
      this.closeEvent();
      return;
    }
    if (name === 'cashregister') {
      this.closeRegister();
      return;
    }
    switch (parent) {
      case 'header':
        if (name === 'curCode' && value) this.currency = value;
        return;
      case 'company':
        if (name === 'companyIdent') this.companyIdent = value;
        return;
      case 'basic':
        this.basic[name] = value;
        return;
      case 'location':
        if (name === 'name') this.locationName = value;
        return;
      case 'cashregister':
        if (name === 'registerID' && this.register) this.register.id = value;
        return;
      case 'event':
        this.event[name] = value;
        return;
    }
  }

  private closeInReport(name: string, parent: string | undefined, value: string): void {
    const report = this.report!;
    if (name === 'eventReport') {
      this.inReport = false;
      this.finishReportFields(report);
      return;
    }
    if (name === 'reportPayment') {
      const code = this.row['paymentType'] ?? '';
      const amount = this.amount('paymentAmnt', this.row['paymentAmnt'] ?? '0');
      if (!(isDummyCode(code) && amount === 0))
        report.payments.push({ code, amount, account: this.row['accID'] ?? '', line: Number(this.row['line']) });
      return;
    }
    if (name === 'reportCashSaleVat') {
      const vat: ReportVat = {
        code: this.row['vatCode'] ?? '',
        perc: this.row['vatPerc'] ?? '',
        net: this.amount('cashSaleAmnt', this.row['cashSaleAmnt'] ?? '0'),
        vat: this.amount('vatAmnt', this.row['vatAmnt'] ?? '0'),
        amountType: this.row['vatAmntTp'] ?? '',
        account: this.row['accID'] ?? '',
        line: Number(this.row['line']),
      };
      if (vat.net !== 0 || vat.vat !== 0) report.vats.push(vat);
      return;
    }
    switch (parent) {
      case 'eventReport':
        this.reportFields[name] = value;
        return;
      case 'reportPayment':
      case 'reportCashSaleVat':
        this.row[name] = value;
        return;
      case 'reportTotalCashSales':
        if (name === 'totalCashSaleAmnt') report.totalCashSales = this.amount(name, value);
        return;
      case 'reportTip':
        if (name === 'tipAmnt') report.extras.tip = this.amount(name, value);
        return;
      case 'reportCreditSales':
        if (name === 'creditSalesAmnt') report.extras.creditSales = this.amount(name, value);
        return;
      case 'reportPayIn':
        if (name === 'payInAmnt') report.extras.payIns = this.sum(report.extras.payIns, this.amount(name, value), name);
        return;
      case 'reportPayOut':
        if (name === 'payOutAmnt')
          report.extras.payOuts = this.sum(report.extras.payOuts, this.amount(name, value), name);
        return;
    }
  }

  private finishReportFields(report: Report): void {
    const fields = this.reportFields;
    for (const required of ['reportID', 'reportType', 'reportDate']) {
      if (!fields[required])
        throw this.error(required, `the eventReport opened on line ${report.line} has no ${required}`);
    }
    for (const required of REQUIRED_REPORT_SECTIONS) {
      if (!this.reportSections.has(required)) {
        throw this.error(required, `XSD: the eventReport opened on line ${report.line} has no <${required}>`);
      }
    }
    const type = /^([XZ])[\s-]?report$/i.exec(fields['reportType']!);
    if (!type) throw this.error('reportType', `"${fields['reportType']}" is neither "Z report" nor "X report"`);
    report.kind = type[1]!.toUpperCase() as ReportKind;
    report.reportId = fields['reportID']!;
    report.date = fields['reportDate']!;
    report.time = fields['reportTime'] ?? '23:59:59';
    this.checkDateTime(report.date, 'reportDate', report.time, 'reportTime');
    if (fields['registerID'] && this.register?.id && fields['registerID'] !== this.register.id) {
      report.warnings.push(
        `the report names register ${fields['registerID']} but sits under register ${this.register.id}`,
      );
    }
  }

  private closeEvent(): void {
    const report = this.report;
    this.report = null;
    const eventType = this.event['eventType'] ?? '';
    const predefined = this.basics.get(basicKey(BASIC_TYPE.event, eventType));
    const typeKind = predefined === EVENT_Z_REPORT ? 'Z' : predefined === EVENT_X_REPORT ? 'X' : null;
    if (!report) {
      if (typeKind === 'Z') this.register?.reports.push(this.zFromReceipts());
      else if (typeKind === 'X') {
        this.fileWarnings.push(
          `${this.where()}: event ${this.event['eventID'] ?? '?'} is an X report (${eventType}) without an eventReport; nothing to import from it`,
        );
      }
      return;
    }
    if (typeKind && typeKind !== report.kind) {
      report.warnings.push(
        `event type ${eventType} resolves to a ${typeKind} report but the eventReport says ${report.kind}; read as ${report.kind}`,
      );
    }
    if (!report.date && this.event['eventDate']) report.date = this.event['eventDate'];
    this.register?.reports.push(report);
  }

  /** NOTES.md "B": a Z event with no eventReport is rebuilt from the receipts of its period. */
  private zFromReceipts(): Report {
    const report = newReport(this.xml.line);
    report.reportId = this.event['eventID'] ?? '';
    report.date = this.event['eventDate'] ?? '';
    report.time = this.event['eventTime'] ?? '23:59:59';
    report.fromReceipts = true;
    if (!report.reportId) throw this.error('eventID', 'a Z report event without eventID or eventReport');
    this.checkDateTime(report.date, 'eventDate', report.time, 'eventTime');
    return report;
  }

  /** A real calendar day and, when written, a real clock time: they become the settlement's date and closedAt. */
  private checkDateTime(date: string, dateField: string, time: string, timeField: string): void {
    if (!isCalendarDate(date)) throw this.error(dateField, `"${date}" is not a calendar date YYYY-MM-DD`);
    if (time && !isClockTime(time)) throw this.error(timeField, `"${time}" is not a time hh:mm:ss`);
  }

  private closeTransaction(): void {
    const transaction = this.transaction!;
    this.transaction = null;
    const register = this.register;
    const missing = !transaction.id
      ? 'transID'
      : !transaction.date
        ? 'transDate'
        : !transaction.hasAmount
          ? 'transAmntIn'
          : null;
    if (missing) {
      throw this.error(missing, `XSD: the cashtransaction opened on line ${transaction.line} has no <${missing}>`);
    }
    this.checkDateTime(transaction.date, 'transDate', transaction.time, 'transTime');
    if (!register || transaction.excluded) return;
    register.zByTime ??= register.reports
      .filter((report) => report.kind === 'Z')
      .map((report) => ({ at: `${report.date}T${report.time}`, report }))
      .sort((a, b) => a.at.localeCompare(b.at));
    const at = `${transaction.date}T${transaction.time}`;
    const target = firstAtOrAfter(register.zByTime, at);
    if (target) transaction.addTo(target.report.totals);
  }

  private closeRegister(): void {
    const register = this.register!;
    this.register = null;
    if (!register.id) {
      throw this.error('registerID', `XSD: the cashregister opened on line ${register.line} has no <registerID>`);
    }
    const location = this.locationName || this.companyIdent || String(this.locationIndex);
    for (const report of register.reports) this.drafts.push(this.toDraft(report, location, register.id));
  }

  private resolvePayment(report: Report, payment: ReportPayment): SettlementKey {
    const predefined = this.basics.get(basicKey(BASIC_TYPE.payment, payment.code));
    const overrides = this.options.paymentKeys ?? {};
    const override = ownValue(overrides, payment.code) ?? (predefined ? ownValue(overrides, predefined) : undefined);
    if (override) return override;
    if (predefined === undefined) {
      throw this.error(
        'paymentType',
        `payment code "${payment.code}" in ${report.kind} report ${report.reportId} is not defined in company/basics (basicType 12)`,
        payment.line,
      );
    }
    const key = ownValue(SAFT_PAYMENT_KEYS, predefined);
    if (!key) {
      throw this.error(
        'paymentType',
        `payment code "${payment.code}" (${predefined} ${ownValue(SAFT_PAYMENT_NAMES, predefined) ?? 'unknown SAF-T code'}) has no settlement key; map it with "kassebro sources map-payment ${payment.code} KEY"`,
        payment.line,
      );
    }
    return key;
  }

  private toDraft(report: Report, location: string, registerId: string): SettlementDraft {
    if (report.fromReceipts) this.fillFromReceipts(report);
    const warnings = [...report.warnings];
    const lines: SettlementLine[] = [];
    // Per key and in total, so whatever is later summed from these lines stays within the limit.
    const byKey = new Map<string, Ore>();
    const addToKey = (key: string, field: string, amount: Ore): void => {
      const id = `${key} ${field}`;
      byKey.set(id, this.sum(byKey.get(id) ?? ZERO, amount, field, report.line));
    };
    let sales = ZERO;
    for (const row of report.vats) {
      const rateBp = parseRateBp(row.perc);
      const key = rateBp === undefined ? undefined : salesKeyForRate(rateBp);
      if (!key) {
        throw this.error('vatPerc', `VAT rate "${row.perc}" (VAT code ${row.code || '?'}) has no sales key`, row.line);
      }
      if (row.amountType === 'D' && row.vat > 0) {
        warnings.push(`VAT row ${row.code || row.perc} is marked D (debit) but written positive; read as written`);
      }
      lines.push({
        key,
        amount: row.net,
        vat: row.vat,
        sourceCode: row.code || row.perc,
        ...(row.account ? { sourceAccount: row.account } : {}),
      });
      addToKey(key, 'cashSaleAmnt', row.net);
      addToKey(key, 'vatAmnt', row.vat);
      sales = this.sum(sales, add(row.net, row.vat), 'cashSaleAmnt', report.line);
    }
    if (sales !== report.totalCashSales) {
      warnings.push(
        `sales per VAT rate add up to ${fmt(sales)} but totalCashSaleAmnt is ${fmt(report.totalCashSales)}`,
      );
    }
    let payments = ZERO;
    for (const payment of report.payments) {
      payments = this.sum(payments, payment.amount, 'paymentAmnt', payment.line);
      if (payment.amount === 0) continue;
      const key = this.resolvePayment(report, payment);
      lines.push({
        key,
        ...(payment.account ? { sourceAccount: payment.account } : {}),
        amount: payment.amount,
        vat: ZERO,
        sourceCode: payment.code,
      });
      addToKey(key, 'paymentAmnt', payment.amount);
    }
    const residual = this.sum(payments, negate(sales), 'paymentAmnt', report.line);
    if (residual !== 0) {
      const isRounding = Math.abs(residual) <= ROUNDING_LIMIT_ORE;
      lines.push({
        key: isRounding ? 'rounding' : 'difference',
        amount: residual,
        vat: ZERO,
        sourceCode: 'sales-payments',
      });
      if (!isRounding)
        warnings.push(
          `payments ${fmt(payments)} differ from sales ${fmt(sales)} by ${fmt(residual)}; posted as cash difference`,
        );
    }
    const { tip, creditSales, payIns, payOuts } = report.extras;
    for (const [label, amount] of [
      ['tips', tip],
      ['credit sales', creditSales],
      ['pay-ins', payIns],
      ['pay-outs', payOuts],
    ] as const) {
      if (amount !== 0) warnings.push(`the report lists ${label} of ${fmt(amount)}, which are not posted separately`);
    }
    if (report.kind === 'Z' && !report.fromReceipts) warnings.push(...compareWithTransactions(report));
    return {
      source: SAFT_SOURCE,
      location,
      registerId,
      kind: report.kind,
      reportNumber: report.reportId,
      businessDate: report.date,
      closedAt: `${report.date}T${report.time}`,
      currency: this.currency,
      lines,
      sourceRef: `${this.path}:${report.line}`,
      warnings,
    };
  }

  private fillFromReceipts(report: Report): void {
    const { totals } = report;
    for (const [perc, { net, vat }] of totals.byRate) {
      if (net !== 0 || vat !== 0) {
        report.vats.push({ code: '', perc, net, vat, amountType: 'C', account: '', line: report.line });
        report.totalCashSales = this.sum(report.totalCashSales, add(net, vat), 'vatBasAmnt', report.line);
      }
    }
    for (const [code, amount] of totals.byPayment)
      report.payments.push({ code, amount, account: '', line: report.line });
    report.warnings.push(
      `the Z event has no eventReport; its totals are built from the ${totals.receipts} receipts of its period (number = eventID)`,
    );
  }
}

/** A table lookup that a code like "constructor" cannot turn into an inherited property. */
function ownValue<T>(table: Readonly<Record<string, T>>, code: string): T | undefined {
  return Object.hasOwn(table, code) ? table[code] : undefined;
}

function basicKey(type: string, id: string): string {
  // basicType is written "04" or "4" by different exporters.
  return `${Number(type)}|${id}`;
}

function fmt(amount: Ore): string {
  return (amount / 100).toFixed(2);
}

function firstAtOrAfter<T extends { at: string }>(sorted: readonly T[], at: string): T | undefined {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle]!.at < at) low = middle + 1;
    else high = middle;
  }
  return sorted[low];
}

export const saftSource: FileSource = {
  format: 'saft',
  sniff: (head) => head.toString('latin1').includes(SAFT_NAMESPACE),
  read: (path, overrides, onProgress) =>
    readSaftFile(path, { paymentKeys: overrides?.saftPaymentKeys ?? {}, onProgress }),
};
