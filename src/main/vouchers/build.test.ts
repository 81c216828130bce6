import { describe, expect, it } from 'vitest';
import { line, norwegianDay, settlement, swedishDay } from '../../../test/fixtures/settlements';
import { describeProblem } from '../../shared/problems';
import { TARGETS, type VatStyle } from '../../shared/targets';
import { chartOf } from '../domain/chart';
import { withEntry, type Kontooppsett } from '../mapping/kontooppsett';
import { PRESETS } from '../mapping/presets';
import { buildVoucher, DEFAULT_RESIDUAL_LIMITS, type BuildOptions } from './build';
import { voucherToJson } from './voucher';

const gross: VatStyle = { kind: 'code-on-line', amountBasis: 'gross' };
const net: VatStyle = { kind: 'code-on-line', amountBasis: 'net' };
const explicit: VatStyle = { kind: 'explicit-vat-lines' };
const noStandard = PRESETS['no-standard'].kontooppsett;
const seBas = PRESETS['se-bas'].kontooppsett;

function options(overrides: Partial<BuildOptions> = {}): BuildOptions {
  return { vatStyle: gross, language: 'nb', chart: null, ...DEFAULT_RESIDUAL_LIMITS, ...overrides };
}

/** Lines as [account, vatCode, debit, credit] for compact, exact assertions. */
function rows(result: ReturnType<typeof buildVoucher>): [string, string | null, string, string][] {
  if (!result.voucher) throw new Error(`no voucher: ${result.problems.map((p) => p.code).join(', ')}`);
  return voucherToJson(result.voucher, null).lines.map((l) => [l.account, l.vatCode, l.debit, l.credit]);
}

function codes(result: ReturnType<typeof buildVoucher>): string[] {
  return result.problems.map((problem) => problem.code);
}

describe('VAT code on the revenue line (Norwegian APIs)', () => {
  it('sends gross revenue with the VAT code; payments first, then sales, in catalogue order', () => {
    const result = buildVoucher(norwegianDay(), noStandard, options());
    expect(rows(result)).toEqual([
      ['1920', null, '8125.00', '0.00'],
      ['1515', null, '625.00', '0.00'],
      ['1900', null, '1350.00', '0.00'],
      ['3000', '3', '0.00', '8750.00'],
      ['3001', '31', '0.00', '1250.00'],
      ['3100', '5', '0.00', '100.00'],
    ]);
    expect(result.problems).toEqual([]);
    expect(result.voucher?.description).toBe('Dagsoppgjør 33/10009 2026-11-20');
    expect(result.voucher?.date).toBe('2026-11-20');
    expect(voucherToJson(result.voucher!, null).balanced).toBe(true);
  });

  it('sends net revenue when the target adds the VAT itself, and counts that VAT in the balance', () => {
    const result = buildVoucher(norwegianDay(), noStandard, options({ vatStyle: net }));
    expect(rows(result)).toEqual([
      ['1920', null, '8125.00', '0.00'],
      ['1515', null, '625.00', '0.00'],
      ['1900', null, '1350.00', '0.00'],
      ['3000', '3', '0.00', '7000.00'],
      ['3001', '31', '0.00', '1086.96'],
      ['3100', '5', '0.00', '100.00'],
    ]);
    expect(result.voucher!.lines.map((l) => l.impliedVat)).toEqual([0, 0, 0, -175000, -16304, 0]);
    expect(voucherToJson(result.voucher!, null).balanced).toBe(true);
  });

  it('writes line texts and the description in the target language', () => {
    const result = buildVoucher(norwegianDay(), noStandard, options({ language: 'en' }));
    expect(result.voucher?.description).toBe('Daily settlement 33/10009 2026-11-20');
    expect(result.voucher?.lines.map((l) => l.text)).toContain('Sales 25 % VAT');
  });
});

describe('explicit VAT lines (Fortnox, SIE4)', () => {
  it('books net revenue and the VAT on 26xx, matching the Fortnox example voucher', () => {
    const result = buildVoucher(swedishDay(), seBas, options({ vatStyle: explicit, language: 'sv' }));
    expect(rows(result)).toEqual([
      ['1580', null, '8125.00', '0.00'],
      ['1930', null, '625.00', '0.00'],
      ['1910', null, '1250.00', '0.00'],
      ['3001', null, '0.00', '7000.00'],
      ['2611', null, '0.00', '1750.00'],
      ['3002', null, '0.00', '1116.07'],
      ['2621', null, '0.00', '133.93'],
    ]);
    expect(result.voucher?.description).toBe('Dagsavslut 33/10009 2026-11-20');
    expect(result.voucher?.lines[4]?.text).toBe('Utgående moms 25 %');
  });

  it('needs a VAT account for every sales key that has VAT', () => {
    const kontooppsett: Kontooppsett = withEntry(seBas, {
      key: 'sales_12',
      location: '',
      account: '3002',
      vatCode: null,
      vatAccount: null,
    });
    const result = buildVoucher(swedishDay(), kontooppsett, options({ vatStyle: explicit }));
    expect(result.voucher).toBeNull();
    expect(codes(result)).toEqual(['missing_vat_account']);
    expect(result.problems[0]).toMatchObject({ key: 'sales_12', account: '3002', amount: 13393 });
  });
});

describe('refunds, 0 % and sign handling', () => {
  it('flips a refund day: negative sales become debits and a card refund a credit', () => {
    const refundDay = settlement([
      line('sales_25', '-400.00', '-100.00'),
      line('sales_0', '0.00'),
      line('card_integrated', '-500.00'),
    ]);
    expect(rows(buildVoucher(refundDay, noStandard, options()))).toEqual([
      ['1920', null, '0.00', '500.00'],
      ['3000', '3', '500.00', '0.00'],
    ]);
    expect(rows(buildVoucher(refundDay, seBas, options({ vatStyle: explicit })))).toEqual([
      ['1580', null, '0.00', '500.00'],
      ['3001', null, '400.00', '0.00'],
      ['2611', null, '100.00', '0.00'],
    ]);
  });

  it('posts 0 % sales with the exempt code and no VAT line', () => {
    const exemptDay = settlement([line('sales_0', '250.00'), line('cash', '250.00')]);
    expect(rows(buildVoucher(exemptDay, noStandard, options()))).toEqual([
      ['1900', null, '250.00', '0.00'],
      ['3100', '5', '0.00', '250.00'],
    ]);
    expect(rows(buildVoucher(exemptDay, seBas, options({ vatStyle: explicit })))).toEqual([
      ['1910', null, '250.00', '0.00'],
      ['3004', null, '0.00', '250.00'],
    ]);
  });

  it('sums several rows of one key, and drops keys that net to zero', () => {
    const day = settlement([
      line('sales_25', '80.00', '20.00'),
      line('card_integrated', '60.00'),
      line('card_integrated', '40.00'),
      line('cash_float', '2000.00'),
      line('cash_float', '-2000.00'),
    ]);
    expect(rows(buildVoucher(day, noStandard, options()))).toEqual([
      ['1920', null, '100.00', '0.00'],
      ['3000', '3', '0.00', '100.00'],
    ]);
  });

  it('posts gift cards, credit notes and tips on their liability and income accounts', () => {
    const day = settlement([
      line('sales_25', '800.00', '200.00'),
      line('gift_card_issued', '500.00'),
      line('tips_terminal_integrated', '50.00'),
      line('gift_card_used', '300.00'),
      line('credit_note_used', '100.00'),
      line('card_integrated', '1150.00'),
    ]);
    expect(rows(buildVoucher(day, noStandard, options()))).toEqual([
      ['1920', null, '1150.00', '0.00'],
      ['2900', null, '300.00', '0.00'],
      ['2900', null, '100.00', '0.00'],
      ['3000', '3', '0.00', '1000.00'],
      ['2900', null, '0.00', '500.00'],
      ['3905', null, '0.00', '50.00'],
    ]);
  });
});

describe('rounding and difference', () => {
  it('posts reported rounding and difference as they are', () => {
    const day = settlement([
      line('sales_25', '79.60', '19.90'),
      line('cash', '50.00'),
      line('rounding', '0.50'),
      line('difference', '-50.00'),
    ]);
    // 99.50 sold, paid 100 in cash (0.50 rounding), drawer counted 50 short.
    expect(rows(buildVoucher(day, noStandard, options()))).toEqual([
      ['1900', null, '50.00', '0.00'],
      ['3000', '3', '0.00', '99.50'],
      ['1901', null, '50.00', '0.00'],
      ['7740', null, '0.00', '0.50'],
    ]);
  });

  it('puts unreported øre on the rounding key with a warning', () => {
    const day = settlement([line('sales_25', '79.60', '19.90'), line('cash', '100.00')]);
    const result = buildVoucher(day, noStandard, options());
    expect(rows(result).at(-1)).toEqual(['7740', null, '0.00', '0.50']);
    expect(result.voucher?.lines.at(-1)?.role).toBe('residual');
    expect(codes(result)).toEqual(['residual_to_rounding']);
  });

  it('puts a larger residual on the difference key with a warning', () => {
    const day = settlement([line('sales_25', '800.00', '200.00'), line('cash', '1020.00')]);
    const result = buildVoucher(day, noStandard, options());
    expect(rows(result).at(-1)).toEqual(['1901', null, '0.00', '20.00']);
    expect(codes(result)).toEqual(['residual_to_difference']);
    expect(describeProblem(result.problems[0]!, 'en')).toContain('20.00 kr');
  });

  it('refuses a voucher whose residual is beyond the limit: never sends an unbalanced one', () => {
    const day = settlement([line('sales_25', '800.00', '200.00'), line('cash', '500.00')]);
    const result = buildVoucher(day, noStandard, options());
    expect(result.voucher).toBeNull();
    expect(codes(result)).toEqual(['unbalanced']);
    expect(result.problems[0]?.amount).toBe(-50000);
    expect(describeProblem(result.problems[0]!, 'nb')).toContain('avviker med −500,00 kr');
  });

  it('respects configured limits', () => {
    const day = settlement([line('sales_25', '79.60', '19.90'), line('cash', '100.00')]);
    const strict = buildVoucher(day, noStandard, options({ roundingToleranceOre: 0, maxResidualOre: 0 }));
    expect(codes(strict)).toEqual(['unbalanced']);
  });

  it('needs the rounding key mapped to absorb unreported rounding', () => {
    const withoutRounding: Kontooppsett = {
      ...noStandard,
      entries: noStandard.entries.filter((e) => e.key !== 'rounding'),
    };
    const day = settlement([line('sales_25', '79.60', '19.90'), line('cash', '100.00')]);
    const result = buildVoucher(day, withoutRounding, options());
    expect(result.voucher).toBeNull();
    expect(result.problems).toMatchObject([{ code: 'unmapped_key', key: 'rounding', amount: -50 }]);
  });
});

describe('validation problems', () => {
  it('skips X-reports and empty Z-reports without an error', () => {
    const x = buildVoucher(norwegianDay({ kind: 'X' }), noStandard, options());
    expect(x.voucher).toBeNull();
    expect(x.problems).toMatchObject([{ code: 'interim_report', severity: 'skip' }]);
    const empty = buildVoucher(settlement([line('cash', '0.00')]), noStandard, options());
    expect(empty.problems).toMatchObject([{ code: 'empty_settlement', severity: 'skip' }]);
    expect(describeProblem(empty.problems[0]!, 'nb')).toBe(
      'Rapport Z 33/10009 2026-11-20 har verken salg eller betalinger; ingenting å bokføre, hoppes over.',
    );
  });

  it('names the unmapped key, its amount and the POS code ("Feltet må fylles ut")', () => {
    const withoutGiftCards: Kontooppsett = {
      ...noStandard,
      entries: noStandard.entries.filter((e) => e.key !== 'gift_card_used'),
    };
    const day = settlement([
      line('sales_25', '800.00', '200.00'),
      line('gift_card_used', '300.00', '0', { sourceCode: 'GAVEKORT_INN' }),
      line('card_integrated', '700.00'),
    ]);
    const result = buildVoucher(day, withoutGiftCards, options());
    expect(result.voucher).toBeNull();
    expect(result.problems).toMatchObject([
      { code: 'unmapped_key', severity: 'error', key: 'gift_card_used', amount: 30000, sourceCode: 'GAVEKORT_INN' },
    ]);
    expect(describeProblem(result.problems[0]!, 'en')).toBe(
      'Report Z 33/10009 2026-11-20: "Gift card used" has 300.00 kr but no account in the account mapping. Choose an account for "Gift card used".',
    );
  });

  it('refuses taxed sales without a VAT code in the code-on-line style', () => {
    const kontooppsett = withEntry(noStandard, {
      key: 'sales_25',
      location: '',
      account: '3000',
      vatCode: null,
      vatAccount: null,
    });
    const result = buildVoucher(norwegianDay(), kontooppsett, options());
    expect(result.problems).toMatchObject([
      { code: 'missing_vat_code', key: 'sales_25', account: '3000', amount: 875000 },
    ]);
  });

  const chart = chartOf(
    [
      { number: '1900', name: 'Kontanter', active: true, lockedVatCode: '0' },
      { number: '1920', name: 'Bank', active: true, lockedVatCode: null },
      { number: '1515', name: 'Vipps', active: false, lockedVatCode: null },
      { number: '3000', name: 'Salg høy', active: true, lockedVatCode: '3' },
      { number: '3001', name: 'Salg mat', active: true, lockedVatCode: '3' },
      { number: '3100', name: 'Salg fritatt', active: true, lockedVatCode: null },
    ],
    [
      { code: '0', description: 'Ingen', rateBp: 0 },
      { code: '3', description: 'Høy', rateBp: 2500 },
      { code: '31', description: 'Middels', rateBp: 1500 },
    ],
  );

  it('checks accounts and VAT codes against the target chart', () => {
    const result = buildVoucher(norwegianDay(), noStandard, options({ chart }));
    expect(result.voucher).toBeNull();
    expect(result.problems.map((p) => [p.code, p.account, p.vatCode ?? null, p.lockedVatCode ?? null])).toEqual([
      ['account_inactive', '1515', null, null],
      ['vat_code_locked', '3001', '31', '3'],
      ['vat_code_unknown', '3100', '5', null],
    ]);
    expect(describeProblem(result.problems[1]!, 'nb')).toBe(
      'Rapport Z 33/10009 2026-11-20: konto 3001 er låst til mva-kode 3, men «Salg 15 % mva (mat)» bruker 31. Endre mva-koden eller kontoen.',
    );
  });

  it('reports an account the target does not have', () => {
    const kontooppsett = withEntry(noStandard, {
      key: 'cash',
      location: '',
      account: '1999',
      vatCode: null,
      vatAccount: null,
    });
    const day = settlement([line('sales_25', '80.00', '20.00'), line('cash', '100.00')]);
    const result = buildVoucher(day, kontooppsett, options({ chart }));
    expect(result.problems).toMatchObject([{ code: 'account_missing', key: 'cash', account: '1999' }]);
  });

  it('accepts a voucher that fits the chart', () => {
    const day = settlement([line('sales_25', '80.00', '20.00'), line('cash', '100.00')]);
    const result = buildVoucher(day, noStandard, options({ chart }));
    expect(result.problems).toEqual([]);
    expect(result.voucher).not.toBeNull();
  });
});

describe('locations and departments', () => {
  it("uses a location's own mapping over the general one, and tags lines with the department", () => {
    const kontooppsett: Kontooppsett = {
      entries: [
        ...noStandard.entries,
        { key: 'cash', location: '2', account: '1902', vatCode: null, vatAccount: null },
      ],
      departments: [{ location: '2', department: '20' }],
    };
    const shop2 = settlement([line('sales_25', '80.00', '20.00'), line('cash', '100.00')], { location: '2' });
    const result = buildVoucher(shop2, kontooppsett, options());
    expect(voucherToJson(result.voucher!, null).lines.map((l) => [l.account, l.department])).toEqual([
      ['1902', '20'],
      ['3000', '20'],
    ]);
    const shop1 = settlement([line('sales_25', '80.00', '20.00'), line('cash', '100.00')], { location: '1' });
    expect(
      voucherToJson(buildVoucher(shop1, kontooppsett, options()).voucher!, null).lines.map((l) => [
        l.account,
        l.department,
      ]),
    ).toEqual([
      ['1900', null],
      ['3000', null],
    ]);
  });
});

it('is deterministic: the same input gives identical vouchers', () => {
  const first = buildVoucher(norwegianDay(), noStandard, options());
  const shuffled = norwegianDay({ lines: [...norwegianDay().lines].reverse() });
  expect(buildVoucher(shuffled, noStandard, options())).toEqual(first);
});

it('every target definition names a preset that builds the Norwegian or Swedish day', () => {
  for (const target of Object.values(TARGETS)) {
    const day = target.country === 'SE' ? swedishDay() : norwegianDay();
    const result = buildVoucher(
      day,
      PRESETS[target.defaultPreset].kontooppsett,
      options({ vatStyle: target.vatStyle }),
    );
    expect(result.problems, target.kind).toEqual([]);
    expect(voucherToJson(result.voucher!, null).balanced, target.kind).toBe(true);
  }
});
