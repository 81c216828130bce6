import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { formatAmount, ore, type Ore } from '../../shared/money';

/**
 * Writes the demo POS database: the local settlement database of a made-up but typical Norwegian
 * POS ("KassePro"), read by the demo profile exactly as a real POS database would be read.
 * Same seed → byte-for-byte the same reports, so tests and demos can name exact figures.
 */
export interface DemoOptions {
  readonly seed: number;
  readonly days: number;
  /** Last business day, YYYY-MM-DD; fixed so the data does not change with the calendar. */
  readonly lastDay: string;
}

export const DEMO_DEFAULTS: DemoOptions = { seed: 20261120, days: 90, lastDay: '2026-11-20' };
export const DEMO_REGISTERS = ['10009', '10010'] as const;
export const DEMO_SHOP = { number: 1, name: 'Butikk Sentrum' } as const;

const POS_SCHEMA = `
CREATE TABLE shops (shop_no INTEGER PRIMARY KEY, name TEXT NOT NULL);
CREATE TABLE registers (register_no INTEGER PRIMARY KEY, shop_no INTEGER NOT NULL REFERENCES shops, name TEXT NOT NULL);
-- report_id is the POS's kasseoppgjør-ID: one sequence over X and Z reports of every register.
CREATE TABLE reports (
  report_id INTEGER PRIMARY KEY,
  register_no INTEGER NOT NULL REFERENCES registers,
  report_type TEXT NOT NULL CHECK (report_type IN ('X', 'Z')),
  report_count INTEGER NOT NULL,
  business_day TEXT NOT NULL,
  opened TEXT NOT NULL,
  closed TEXT NOT NULL
);
-- Amounts as the POS stores them: decimal text in kroner; sales rows are gross with their VAT.
CREATE TABLE report_totals (
  report_id INTEGER NOT NULL REFERENCES reports,
  row_no INTEGER NOT NULL,
  code TEXT NOT NULL,
  amount TEXT NOT NULL,
  vat TEXT NOT NULL DEFAULT '0.00',
  PRIMARY KEY (report_id, row_no)
);
-- Sales on account: the POS's customer register and its invoices (numbered from 6001).
CREATE TABLE customers (
  customer_no INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  org_no TEXT,
  email TEXT,
  street TEXT,
  postal_code TEXT,
  city TEXT
);
CREATE TABLE invoices (
  invoice_no INTEGER PRIMARY KEY,
  report_id INTEGER NOT NULL REFERENCES reports,
  customer_no INTEGER NOT NULL REFERENCES customers,
  invoice_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  our_ref TEXT
);
CREATE TABLE invoice_lines (
  invoice_no INTEGER NOT NULL REFERENCES invoices,
  line_no INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('VARE', 'GEBYR', 'TIPS')),
  text TEXT NOT NULL,
  article_group TEXT,
  vat_rate INTEGER NOT NULL,
  amount TEXT NOT NULL,
  vat TEXT NOT NULL,
  PRIMARY KEY (invoice_no, line_no)
);
`;

/** The demo POS's account customers: by organisation number, by customer number only, by e-mail. */
const DEMO_CUSTOMERS = [
  {
    number: 5001,
    name: 'Fjord Bygg AS',
    orgNo: '923609016',
    email: 'faktura@fjordbygg.no',
    street: 'Kaigata 2',
    postalCode: '5003',
    city: 'Bergen',
  },
  {
    number: 5002,
    name: 'Nordlys Kantine AS',
    orgNo: '987654325',
    email: null,
    street: 'Strandveien 40',
    postalCode: '9008',
    city: 'Tromsø',
  },
  {
    number: 5003,
    name: 'Kari Nordmann',
    orgNo: null,
    email: 'kari.nordmann@example.no',
    street: 'Bakkeveien 3',
    postalCode: '0580',
    city: 'Oslo',
  },
  {
    number: 5004,
    name: 'Idrettslaget Ørn',
    orgNo: null,
    email: null,
    street: 'Stadionveien 1',
    postalCode: '3610',
    city: 'Kongsberg',
  },
] as const;
export const DEMO_FIRST_INVOICE = 6001;

/** mulberry32: a tiny seeded generator; the demo only needs repeatable, not secure, numbers. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Rng {
  chance(p: number): boolean;
  /** Whole kroner between min and max, returned as øre. */
  kroner(min: number, max: number): Ore;
  /** Øre between min and max kroner, with øre digits. */
  amount(min: number, max: number): Ore;
  int(min: number, max: number): number;
}

function rng(seed: number): Rng {
  const next = seededRandom(seed);
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    chance: (p) => next() < p,
    kroner: (min, max) => ore(int(min, max) * 100),
    amount: (min, max) => ore(int(min * 100, max * 100)),
    int,
  };
}

/** VAT contained in a gross amount at `rateBp`, rounded half away from zero to the øre. */
function vatOfGross(gross: Ore, rateBp: number): Ore {
  const numerator = gross * rateBp;
  const denominator = 10_000 + rateBp;
  return ore(Math.sign(numerator) * Math.round(Math.abs(numerator) / denominator));
}

/** VAT on a net amount, as an invoice computes it. */
function vatOfNet(net: Ore, rateBp: number): Ore {
  const numerator = net * rateBp;
  return ore(Math.sign(numerator) * Math.round(Math.abs(numerator) / 10_000));
}

interface Row {
  code: string;
  amount: Ore;
  vat?: Ore;
}

interface InvoiceLineRow {
  kind: 'VARE' | 'GEBYR';
  text: string;
  articleGroup: string | null;
  rateBp: number;
  net: Ore;
  vat: Ore;
}

/**
 * The invoice behind a day's FAKTURA amount: part of the day's 25 % and 15 % sales, priced net
 * with VAT on top as invoices are, plus an invoice fee every third day. Null when the day's sales
 * cannot hold it (a refund day), so its FAKTURA stays unexplained, as happens in real shops.
 */
function invoiceFor(drawn: Ore, sales25: Ore, sales15: Ore, dayIndex: number): InvoiceLineRow[] | null {
  const lines: InvoiceLineRow[] = [];
  const line = (kind: InvoiceLineRow['kind'], text: string, group: string | null, rateBp: number, gross: number) => {
    const net = ore(Math.round((gross * 10_000) / (10_000 + rateBp)));
    lines.push({ kind, text, articleGroup: group, rateBp, net, vat: vatOfNet(net, rateBp) });
  };
  const fee = dayIndex % 3 === 0 ? 4875 : 0;
  const food = sales15 > 0 ? Math.min(Math.round(drawn * 0.25), Math.floor(sales15 / 2)) : 0;
  const goods = drawn - food - fee;
  if (goods <= 0 || goods + fee > sales25) return null;
  line('VARE', 'Varer', '04003', 2500, goods);
  if (food > 0) line('VARE', 'Mat og drikke', '04006', 1500, food);
  if (fee > 0) line('GEBYR', 'Fakturagebyr', null, 2500, fee);
  return lines;
}

function addDays(isoDay: string, days: number): string {
  const date = new Date(`${isoDay}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** One register's full day: sales per rate, every payment kind now and then, and a balanced close. */
function zReportRows(r: Rng, register: number, dayIndex: number): { rows: Row[]; invoice: InvoiceLineRow[] | null } {
  const rows: Row[] = [];
  const salesRates: [string, number, Ore][] = [
    ['SALG_25', 2500, r.amount(2500, 22000)],
    ['SALG_15', 1500, r.amount(400, 7000)],
    ['SALG_12', 1200, r.chance(0.6) ? r.amount(50, 1500) : ore(0)],
    ['SALG_0', 0, r.chance(0.5) ? r.amount(20, 400) : ore(0)],
  ];
  // A refund-heavy day: a big return makes the 25 % sales negative.
  if (register === 10010 && dayIndex % 41 === 17) salesRates[0]![2] = ore(-r.amount(300, 900));
  let due = 0;
  for (const [code, rateBp, gross] of salesRates) {
    if (gross === 0) continue;
    rows.push({ code, amount: gross, vat: vatOfGross(gross, rateBp) });
    due += gross;
  }

  const optional = (code: string, p: number, min: number, max: number, whole = true): Ore => {
    if (!r.chance(p)) return ore(0);
    const value = whole ? r.kroner(min, max) : r.amount(min, max);
    rows.push({ code, amount: value });
    return value;
  };
  due += optional('GAVEKORT_UT', 0.15, 200, 1000);
  due += optional('TILGODE_UT', 0.1, 49, 600, false);
  due += optional('KUNDEKORT_OPP', 0.05, 500, 2000);
  const tipsIntegrated = optional('TIPS_INT', 0.4, 20, 300);
  const tipsManual = optional('TIPS_MAN', 0.05, 10, 100);
  const tipsVipps = optional('TIPS_VIPPS', 0.05, 10, 100);
  const tipsCash = optional('TIPS_KONT', 0.1, 10, 200);
  due += tipsIntegrated + tipsManual + tipsVipps + tipsCash;

  let paid = 0;
  paid += optional('GAVEKORT_INN', 0.2, 100, 800);
  paid += optional('TILGODE_INN', 0.1, 49, 400, false);
  paid += optional('KUNDEKORT_INN', 0.05, 100, 900, false);
  // Drawn as before (same random sequence); the amount booked is what the invoice adds up to.
  const drawnInvoice = r.chance(0.12) ? r.amount(300, 3000) : ore(0);
  const invoice = drawnInvoice > 0 ? invoiceFor(drawnInvoice, salesRates[0]![2], salesRates[1]![2], dayIndex) : null;
  const invoiced = invoice ? ore(invoice.reduce((total, item) => total + item.net + item.vat, 0)) : drawnInvoice;
  if (invoiced > 0) rows.push({ code: 'FAKTURA', amount: invoiced });
  paid += invoiced;
  const vippsShare = Math.round(Math.max(0, due - paid) * (0.05 + r.int(0, 10) / 100));
  const vippsIntegrated = ore(vippsShare - (vippsShare % 100) + tipsVipps);
  if (vippsIntegrated > 0) rows.push({ code: 'VIPPS_INT', amount: vippsIntegrated });
  paid += vippsIntegrated;
  paid += optional('VIPPS_MAN', 0.04, 50, 400);
  paid += optional('BANK_MAN', 0.06, 100, 1200, false) + tipsManual;
  if (tipsManual > 0) {
    const manual = rows.find((row) => row.code === 'BANK_MAN');
    if (manual) manual.amount = ore(manual.amount + tipsManual);
    else rows.push({ code: 'BANK_MAN', amount: tipsManual });
  }
  const cashExact = Math.max(0, Math.round((due - paid) * (0.08 + r.int(0, 12) / 100)));
  const card = ore(due - paid - cashExact);
  if (card !== 0) rows.push({ code: 'BANK_INT', amount: card });

  // Cash: received to whole kroner, then the drawer is counted; now and then it is off.
  const cashRounded = Math.round(cashExact / 100) * 100;
  const rounding = ore(cashRounded - cashExact);
  const withdrawal = r.chance(0.1) ? r.kroner(500, 2000) : ore(0);
  const tipsPaidOut = tipsCash > 0 && r.chance(0.7) ? tipsCash : ore(0);
  const difference = dayIndex % 23 === register % 7 ? ore(r.int(-10, 5) * 1000) : ore(0);
  rows.push({ code: 'VEKSEL', amount: ore(2000_00) }, { code: 'VEKSEL', amount: ore(-2000_00) });
  rows.push({ code: 'KONTANT', amount: ore(cashRounded - withdrawal - tipsPaidOut + difference) });
  if (withdrawal) rows.push({ code: 'UTTAK', amount: withdrawal });
  if (tipsPaidOut) rows.push({ code: 'TIPS_UTB', amount: tipsPaidOut });
  if (difference) rows.push({ code: 'DIFF', amount: difference });
  // Register 10010's older firmware leaves the rounding row out; Kassebro derives it.
  if (rounding !== 0 && !(register === 10010 && dayIndex % 5 === 0)) rows.push({ code: 'AVRUNDING', amount: rounding });

  const costOfGoods = ore(Math.round(Math.max(0, due) * 0.52));
  if (costOfGoods > 0) rows.push({ code: 'VAREKOST', amount: costOfGoods }, { code: 'VARELAGER', amount: costOfGoods });
  return { rows, invoice };
}

export interface DemoStats {
  readonly zReports: number;
  readonly xReports: number;
  readonly emptyZReports: number;
  readonly invoices: number;
}

export function generateDemoPosDatabase(path: string, options: DemoOptions = DEMO_DEFAULTS): DemoStats {
  rmSync(path, { force: true });
  const db = new Database(path);
  const r = rng(options.seed);
  const stats = { zReports: 0, xReports: 0, emptyZReports: 0, invoices: 0 };
  try {
    db.exec(POS_SCHEMA);
    db.prepare('INSERT INTO shops VALUES (?, ?)').run(DEMO_SHOP.number, DEMO_SHOP.name);
    const insertRegister = db.prepare('INSERT INTO registers VALUES (?, ?, ?)');
    DEMO_REGISTERS.forEach((register, index) =>
      insertRegister.run(Number(register), DEMO_SHOP.number, `Kasse ${index + 1}`),
    );
    const insertReport = db.prepare(
      'INSERT INTO reports (register_no, report_type, report_count, business_day, opened, closed) VALUES (?, ?, ?, ?, ?, ?)',
    );
    const insertRow = db.prepare('INSERT INTO report_totals VALUES (?, ?, ?, ?, ?)');
    const writeReport = (
      register: number,
      type: 'X' | 'Z',
      count: number,
      day: string,
      closed: string,
      rows: Row[],
    ): number => {
      const id = Number(insertReport.run(register, type, count, day, `${day}T09:00:00`, closed).lastInsertRowid);
      rows.forEach((row, index) =>
        insertRow.run(id, index + 1, row.code, formatAmount(row.amount), formatAmount(row.vat ?? ore(0))),
      );
      return id;
    };
    const insertCustomer = db.prepare('INSERT INTO customers VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const customer of DEMO_CUSTOMERS) {
      insertCustomer.run(
        customer.number,
        customer.name,
        customer.orgNo,
        customer.email,
        customer.street,
        customer.postalCode,
        customer.city,
      );
    }
    const insertInvoice = db.prepare('INSERT INTO invoices VALUES (?, ?, ?, ?, ?, ?)');
    const insertInvoiceLine = db.prepare('INSERT INTO invoice_lines VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
    const writeInvoice = (reportId: number, register: number, day: string, lines: InvoiceLineRow[]): void => {
      const number = DEMO_FIRST_INVOICE + stats.invoices;
      const customer = DEMO_CUSTOMERS[stats.invoices % DEMO_CUSTOMERS.length]!;
      insertInvoice.run(number, reportId, customer.number, day, addDays(day, 14), `Kasse ${register}`);
      lines.forEach((item, index) =>
        insertInvoiceLine.run(
          number,
          index + 1,
          item.kind,
          item.text,
          item.articleGroup,
          item.rateBp / 100,
          formatAmount(ore(item.net + item.vat)),
          formatAmount(item.vat),
        ),
      );
      stats.invoices += 1;
    };

    const zCount = new Map<number, number>();
    const xCount = new Map<number, number>();
    const firstDay = addDays(options.lastDay, -(options.days - 1));
    db.transaction(() => {
      for (let dayIndex = 0; dayIndex < options.days; dayIndex += 1) {
        const day = addDays(firstDay, dayIndex);
        const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
        for (const registerText of DEMO_REGISTERS) {
          const register = Number(registerText);
          // The second register is closed on Sundays: no report at all, so no gap either.
          if (register === 10010 && weekday === 0) continue;
          if (r.chance(0.3)) {
            const count = (xCount.get(register) ?? 0) + 1;
            xCount.set(register, count);
            const interimSales = r.amount(500, 4000);
            writeReport(register, 'X', count, day, `${day}T14:${String(r.int(0, 59)).padStart(2, '0')}:00`, [
              { code: 'SALG_25', amount: interimSales, vat: vatOfGross(interimSales, 2500) },
              { code: 'BANK_INT', amount: interimSales },
            ]);
            stats.xReports += 1;
          }
          const count = (zCount.get(register) ?? 0) + 1;
          zCount.set(register, count);
          // Now and then the second register is opened and closed without a sale: an empty Z.
          const empty = register === 10010 && dayIndex % 19 === 7;
          // Late closes after midnight still belong to the business day they started.
          const closed =
            dayIndex % 13 === 4
              ? `${addDays(day, 1)}T00:20:00`
              : `${day}T21:${String(r.int(0, 59)).padStart(2, '0')}:00`;
          const report = empty ? { rows: [], invoice: null } : zReportRows(r, register, dayIndex);
          const reportId = writeReport(register, 'Z', count, day, closed, report.rows);
          if (report.invoice) writeInvoice(reportId, register, day, report.invoice);
          stats.zReports += 1;
          if (empty) stats.emptyZReports += 1;
        }
      }
    })();
  } finally {
    db.close();
  }
  return stats;
}
