import { dirname, join } from 'node:path';
import { add, ZERO, type Ore } from '../../shared/money';
import type { Problem } from '../../shared/problems';
import { keyInfo, type LineKey } from '../../shared/settlement-keys';
import { readChartFile } from '../mapping/chart-file';
import { PRESETS } from '../mapping/presets';
import { resourcesDir } from '../paths';
import { INVOICES_OFF, loadInvoiceConfig, saveInvoiceConfig } from '../invoices/config';
import { importInvoiceSales } from '../invoices/store';
import { loadPosProfile, readPosDatabase } from '../sources/pos-db/read-pos-db';
import { readPosInvoices } from '../sources/pos-db/read-pos-invoices';
import { saveChart } from '../store/charts';
import type { Db } from '../store/database';
import { homeKind, setActiveTarget, setHomeKind } from '../store/home';
import { appendLog } from '../store/integration-log';
import { loadKontooppsett, saveKontooppsett } from '../store/mappings';
import { countSettlementsBySource, importSettlements, listSettlements } from '../store/settlements';
import { getTarget, saveTarget } from '../store/targets';
import { listVouchers } from '../store/vouchers';
import { prepareVouchers } from '../vouchers/prepare';
import { isBalanced } from '../vouchers/voucher';
import { DEMO_DEFAULTS, generateDemoPosDatabase } from './generate-pos-db';
import { DemoRefusedError } from './demo-refused-error';

export { DemoRefusedError };

export const DEMO_TARGET_ID = 'demo';
export const DEMO_SOURCE = 'demo-pos';

export interface SalesByRate {
  readonly rateBp: number;
  readonly net: Ore;
  readonly vat: Ore;
  readonly gross: Ore;
}

export interface DemoSummary {
  readonly posDatabase: string;
  readonly settlements: { readonly z: number; readonly x: number; readonly newlyImported: number };
  /** Invoice sales (faktura) the demo POS holds, and how many were new this run. */
  readonly invoiceSales: { readonly total: number; readonly newlyImported: number };
  readonly vouchers: {
    readonly ready: number;
    readonly blocked: number;
    readonly skipped: number;
    readonly frozen: number;
  };
  readonly allBalanced: boolean;
  readonly salesByRate: readonly SalesByRate[];
  readonly problems: readonly Problem[];
}

/**
 * Loads the demo shop into a home: generates the demo POS database, reads it through its profile,
 * sets up the demo target with the Norwegian preset and its chart, and builds every voucher.
 * Running it again changes nothing: reports are identified, not counted.
 */
export function runDemo(db: Db, databaseFile: string, now = new Date()): DemoSummary {
  const kind = homeKind(db);
  const foreign = [...countSettlementsBySource(db).keys()].filter((source) => source !== DEMO_SOURCE);
  if (kind === 'shop') throw new DemoRefusedError('this home belongs to a shop');
  if (foreign.length > 0) throw new DemoRefusedError(`this home already holds settlements from ${foreign.join(', ')}`);
  setHomeKind(db, 'demo');

  const resources = resourcesDir();
  const posDatabase = join(dirname(databaseFile), 'demo-pos.sqlite');
  generateDemoPosDatabase(posDatabase, DEMO_DEFAULTS);
  const profile = loadPosProfile(join(resources, 'demo', 'demo-pos.profile.json'));
  const drafts = readPosDatabase(posDatabase, profile);
  const imported = importSettlements(db, drafts, now);
  const invoiceSales = readPosInvoices(posDatabase, profile);
  const invoicesImported = importInvoiceSales(db, invoiceSales, now);
  appendLog(
    db,
    {
      module: 'import',
      status: 'info',
      message: `Demo POS: ${imported.inserted} new reports, ${imported.alreadyPresent} already present`,
    },
    now,
  );

  if (!getTarget(db, DEMO_TARGET_ID)) {
    saveTarget(
      db,
      { id: DEMO_TARGET_ID, kind: 'tripletex', name: 'Demo (Tripletex sandbox)', settings: {}, secretRef: null },
      now,
    );
  }
  if (loadKontooppsett(db, DEMO_TARGET_ID).entries.length === 0) {
    saveKontooppsett(db, DEMO_TARGET_ID, PRESETS['no-standard'].kontooppsett);
  }
  const chart = readChartFile(join(resources, 'demo', 'chart-no-standard.json'));
  saveChart(db, DEMO_TARGET_ID, chart.accounts, chart.vatCodes, now);
  setActiveTarget(db, DEMO_TARGET_ID);
  // The demo shop invoices through Tripletex: its invoice sales leave the Z revenue for 1530.
  if (!loadInvoiceConfig(db, DEMO_TARGET_ID).enabled) {
    saveInvoiceConfig(db, DEMO_TARGET_ID, { ...INVOICES_OFF, enabled: true, mode: 'invoice-in-target' }, 'en');
  }

  const prepared = prepareVouchers(db, DEMO_TARGET_ID, now);
  const stored = listVouchers(db, { targetId: DEMO_TARGET_ID });
  const settlements = listSettlements(db);
  const zReports = settlements.filter((settlement) => settlement.kind === 'Z');

  return {
    posDatabase,
    settlements: { z: zReports.length, x: settlements.length - zReports.length, newlyImported: imported.inserted },
    invoiceSales: { total: invoiceSales.length, newlyImported: invoicesImported.inserted },
    vouchers: { ready: prepared.ready, blocked: prepared.blocked, skipped: prepared.skipped, frozen: prepared.frozen },
    allBalanced: stored.every((entry) => entry.voucher === null || isBalanced(entry.voucher)),
    salesByRate: salesByRate(zReports.flatMap((settlement) => settlement.lines)),
    problems: prepared.problems,
  };
}

export function salesByRate(lines: readonly { key: LineKey; amount: Ore; vat: Ore }[]): SalesByRate[] {
  const totals = new Map<number, { net: Ore; vat: Ore }>();
  for (const line of lines) {
    const info = keyInfo(line.key);
    if (info.group !== 'sales') continue;
    const rate = info.vatRateBp ?? 0;
    const total = totals.get(rate) ?? { net: ZERO, vat: ZERO };
    totals.set(rate, { net: add(total.net, line.amount), vat: add(total.vat, line.vat) });
  }
  return [...totals.entries()]
    .sort(([a], [b]) => b - a)
    .map(([rateBp, total]) => ({ rateBp, net: total.net, vat: total.vat, gross: add(total.net, total.vat) }));
}
