import { describe, expect, it } from 'vitest';
import { norwegianDay } from '../../../test/fixtures/settlements';
import { ALL_SETTLEMENT_KEYS } from '../../shared/settlement-keys';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS } from '../vouchers/build';
import { voucherToJson } from '../vouchers/voucher';
import { resolveMapping } from './kontooppsett';
import { PRESETS } from './presets';

const mappedKeys = (name: keyof typeof PRESETS) =>
  new Set(PRESETS[name].kontooppsett.entries.map((entry) => entry.key));

describe('presets', () => {
  it('map every key except the VAT rate the country does not have', () => {
    for (const name of ['no-standard', 'no-fiken'] as const) {
      expect(
        ALL_SETTLEMENT_KEYS.filter((key) => !mappedKeys(name).has(key)),
        name,
      ).toEqual(['sales_6']);
    }
    expect(ALL_SETTLEMENT_KEYS.filter((key) => !mappedKeys('se-bas').has(key))).toEqual(['sales_15']);
  });

  it('no-standard uses the NS 4102 accounts and standard VAT codes', () => {
    const at = (key: Parameters<typeof resolveMapping>[1]) =>
      resolveMapping(PRESETS['no-standard'].kontooppsett, key, '1');
    expect(
      [at('sales_25'), at('sales_15'), at('sales_12'), at('sales_0')].map((m) => [m?.account, m?.vatCode]),
    ).toEqual([
      ['3000', '3'],
      ['3001', '31'],
      ['3002', '33'],
      ['3100', '5'],
    ]);
    expect(
      (
        [
          'card_integrated',
          'cash',
          'cash_float',
          'invoice',
          'gift_card_used',
          'credit_note_issued',
          'tips_cash',
          'vipps_integrated',
          'difference',
          'rounding',
          'stock',
        ] as const
      ).map((key) => at(key)?.account),
    ).toEqual(['1920', '1900', '1900', '1530', '2900', '2900', '3905', '1515', '1901', '7740', '1460']);
    // Balance-sheet keys carry no VAT code.
    expect(at('card_integrated')?.vatCode).toBeNull();
  });

  it('no-fiken posts terminal, Vipps and invoice to Fiken sub-accounts', () => {
    const result = buildVoucher(norwegianDay(), PRESETS['no-fiken'].kontooppsett, {
      vatStyle: { kind: 'code-on-line', amountBasis: 'gross' },
      language: 'nb',
      chart: null,
      ...DEFAULT_RESIDUAL_LIMITS,
    });
    expect(voucherToJson(result.voucher!, null).lines.map((line) => line.account)).toEqual([
      '1920:10001',
      '1920:10002',
      '1900',
      '3000',
      '3001',
      '3100',
    ]);
    expect(resolveMapping(PRESETS['no-fiken'].kontooppsett, 'invoice', '1')?.account).toBe('1500:10001');
  });

  it('se-bas books sales net with explicit output VAT accounts per rate', () => {
    const rows = (['sales_25', 'sales_12', 'sales_6'] as const).map((key) => {
      const entry = resolveMapping(PRESETS['se-bas'].kontooppsett, key, '1');
      return [entry?.account, entry?.vatCode, entry?.vatAccount];
    });
    expect(rows).toEqual([
      ['3001', null, '2611'],
      ['3002', null, '2621'],
      ['3003', null, '2631'],
    ]);
    expect(resolveMapping(PRESETS['se-bas'].kontooppsett, 'cash', '1')?.account).toBe('1910');
    expect(resolveMapping(PRESETS['se-bas'].kontooppsett, 'rounding', '1')?.account).toBe('3740');
  });
});
