import type { SettlementKey } from '../../shared/settlement-keys';
import type { Kontooppsett, MappingEntry } from './kontooppsett';

export type PresetName = 'no-standard' | 'no-fiken' | 'se-bas';

export interface Preset {
  readonly name: PresetName;
  readonly description: string;
  readonly kontooppsett: Kontooppsett;
}

type Row = readonly [account: string, vatCode?: string | null, vatAccount?: string | null];

function entries(rows: Partial<Record<SettlementKey, Row>>): MappingEntry[] {
  return Object.entries(rows).map(([key, [account, vatCode = null, vatAccount = null]]) => ({
    key: key as SettlementKey,
    location: '',
    account,
    vatCode,
    vatAccount,
  }));
}

/**
 * Norwegian standard kontooppsett (NS 4102 chart, standard SAF-T VAT codes 3/31/33/5),
 * the defaults Norwegian POS back offices ship with.
 */
const noStandardRows: Partial<Record<SettlementKey, Row>> = {
  sales_25: ['3000', '3'],
  sales_15: ['3001', '31'],
  sales_12: ['3002', '33'],
  sales_0: ['3100', '5'],
  card_integrated: ['1920'],
  card_manual: ['1920'],
  cash: ['1900'],
  cash_float: ['1900'],
  cash_withdrawal: ['1900'],
  cash_deposit: ['1900'],
  invoice: ['1530'],
  gift_card_used: ['2900'],
  gift_card_issued: ['2900'],
  credit_note_used: ['2900'],
  credit_note_issued: ['2900'],
  customer_card_used: ['2900'],
  customer_card_topup: ['2900'],
  tips_cash: ['3905'],
  tips_terminal_manual: ['3905'],
  tips_terminal_integrated: ['3905'],
  tips_vipps: ['3905'],
  tips_settlement: ['3905'],
  vipps_integrated: ['1515'],
  vipps_manual: ['1515'],
  difference: ['1901'],
  rounding: ['7740'],
  stock: ['1460'],
  cost_of_goods: ['4390'],
};

/**
 * Fiken: same chart, but bank accounts and receivables are sub-accounts ("1920:10001"); Fiken
 * models a Vipps or card clearing account as a bank account of its own.
 */
const noFikenRows: Partial<Record<SettlementKey, Row>> = {
  ...noStandardRows,
  card_integrated: ['1920:10001'],
  card_manual: ['1920:10001'],
  vipps_integrated: ['1920:10002'],
  vipps_manual: ['1920:10002'],
  invoice: ['1500:10001'],
};

/**
 * Swedish BAS chart for Fortnox and SIE: net sales per rate on 30xx with the output VAT posted
 * explicitly to 2611/2621/2631; Swedish rates are 25/12/6 %, so 15 % is absent on purpose.
 */
const seBasRows: Partial<Record<SettlementKey, Row>> = {
  sales_25: ['3001', null, '2611'],
  sales_12: ['3002', null, '2621'],
  sales_6: ['3003', null, '2631'],
  sales_0: ['3004'],
  card_integrated: ['1580'],
  card_manual: ['1580'],
  cash: ['1910'],
  cash_float: ['1910'],
  cash_withdrawal: ['1910'],
  cash_deposit: ['1910'],
  invoice: ['1510'],
  gift_card_used: ['2420'],
  gift_card_issued: ['2420'],
  credit_note_used: ['2420'],
  credit_note_issued: ['2420'],
  customer_card_used: ['2420'],
  customer_card_topup: ['2420'],
  tips_cash: ['2890'],
  tips_terminal_manual: ['2890'],
  tips_terminal_integrated: ['2890'],
  tips_vipps: ['2890'],
  tips_settlement: ['2890'],
  vipps_integrated: ['1930'],
  vipps_manual: ['1930'],
  difference: ['3740'],
  rounding: ['3740'],
  stock: ['1460'],
  cost_of_goods: ['4990'],
};

export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  'no-standard': {
    name: 'no-standard',
    description:
      'Norwegian standard (NS 4102, VAT codes 3/31/33/5) — Tripletex, PowerOffice Go, Visma, 24SevenOffice, Duett; ' +
      'Xledger too, but Xledger has its own tax rule codes: its export translates 3/31/33/5/6 (table in exports/xledger)',
    kontooppsett: { entries: entries(noStandardRows), departments: [] },
  },
  'no-fiken': {
    name: 'no-fiken',
    description: 'Norwegian standard with Fiken bank and receivable sub-accounts (1920:10001, 1500:10001)',
    kontooppsett: { entries: entries(noFikenRows), departments: [] },
  },
  'se-bas': {
    name: 'se-bas',
    description: 'Swedish BAS with explicit output VAT 2611/2621/2631 — Fortnox, SIE4',
    kontooppsett: { entries: entries(seBasRows), departments: [] },
  },
};

export function isPresetName(value: string): value is PresetName {
  return Object.hasOwn(PRESETS, value);
}
