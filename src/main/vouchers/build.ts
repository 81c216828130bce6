import { abs, add, negate, netForGross, vatOnNet, ZERO, type Ore } from '../../shared/money';
import { SEVERITY_OF, type Problem, type ProblemCode, type SettlementRef } from '../../shared/problems';
import {
  ALL_SETTLEMENT_KEYS,
  keyInfo,
  type Language,
  type LineKey,
  type SettlementKey,
} from '../../shared/settlement-keys';
import type { VatStyle } from '../../shared/targets';
import { sameVatCode, type Chart } from '../domain/chart';
import { hasPostings, type Settlement } from '../domain/settlement';
import { resolveDepartment, resolveMapping, type Kontooppsett } from '../mapping/kontooppsett';
import { imbalance, type Voucher, type VoucherLine } from './voucher';

export interface BuildOptions {
  readonly vatStyle: VatStyle;
  readonly language: Language;
  /** A residual the POS did not report, up to this size, is rounding (øreavrunding). */
  readonly roundingToleranceOre: number;
  /** A larger residual up to this size is posted as cash difference with a warning; beyond it the voucher is refused. */
  readonly maxResidualOre: number;
  /** The target's chart, when known; accounts and VAT codes are then checked against it. */
  readonly chart: Chart | null;
  /** The target keeps a BAS chart: an unmapped POS account line posts to its own account number. */
  readonly basChart?: boolean;
}

export const DEFAULT_RESIDUAL_LIMITS = { roundingToleranceOre: 99, maxResidualOre: 100_00 } as const;

export interface BuildResult {
  /** Present only when the voucher may be sent: no errors, not skipped, balanced. */
  readonly voucher: Voucher | null;
  readonly problems: readonly Problem[];
}

const DESCRIPTION: Readonly<Record<Language, string>> = { nb: 'Dagsoppgjør', sv: 'Dagsavslut', en: 'Daily settlement' };
const VAT_TEXT: Readonly<Record<Language, string>> = { nb: 'Utgående mva', sv: 'Utgående moms', en: 'Output VAT' };
const RESIDUAL_TEXT: Readonly<Record<Language, string>> = {
  nb: 'beregnet av Kassebro',
  sv: 'beräknad av Kassebro',
  en: 'computed by Kassebro',
};

const KEY_ORDER = new Map<LineKey, number>(ALL_SETTLEMENT_KEYS.map((key, index) => [key, index]));
const orderOf = (key: LineKey): number => KEY_ORDER.get(key) ?? KEY_ORDER.size;

interface Aggregate {
  readonly key: LineKey;
  readonly department: string | null;
  amount: Ore;
  vat: Ore;
  readonly sourceCodes: Set<string>;
}

/** Sums lines per key and department, so a report with two card rows becomes one card posting. */
function aggregate(settlement: Settlement): Aggregate[] {
  const byKey = new Map<string, Aggregate>();
  for (const line of settlement.lines) {
    const department = line.department ?? null;
    const id = `${line.key}|${department ?? ''}`;
    const entry = byKey.get(id) ?? { key: line.key, department, amount: ZERO, vat: ZERO, sourceCodes: new Set() };
    entry.amount = add(entry.amount, line.amount);
    entry.vat = add(entry.vat, line.vat);
    if (line.sourceCode) entry.sourceCodes.add(line.sourceCode);
    byKey.set(id, entry);
  }
  // Debits first, then credits; within a side the catalogue order; then department. Deterministic.
  return [...byKey.values()]
    .filter((entry) => entry.amount !== 0 || entry.vat !== 0)
    .sort((a, b) => {
      const side = Number(keyInfo(a.key).side === 'credit') - Number(keyInfo(b.key).side === 'credit');
      if (side !== 0) return side;
      // POS account lines come after the catalogue's keys, by account.
      const order = orderOf(a.key) - orderOf(b.key) || a.key.localeCompare(b.key);
      return order !== 0 ? order : (a.department ?? '').localeCompare(b.department ?? '');
    });
}

export function settlementRef(settlement: Settlement): SettlementRef {
  return {
    id: settlement.id,
    registerId: settlement.registerId,
    reportNumber: settlement.reportNumber,
    businessDate: settlement.businessDate,
    kind: settlement.kind,
  };
}

/**
 * What a code-on-line target is sent for one line (signed net and VAT in): the amount, and the VAT
 * the target adds on top. Fiken (`net-on-debit`) takes debit lines with a VAT code net and computes
 * the VAT itself, so the net is chosen for Fiken's computed gross to equal ours to the øre.
 */
function amountSent(
  basis: 'gross' | 'net' | 'net-on-debit',
  net: Ore,
  vat: Ore,
  line: { hasVatCode: boolean; rateBp: number | undefined },
): { amount: Ore; impliedVat: Ore } {
  const gross = add(net, vat);
  if (basis === 'gross') return { amount: gross, impliedVat: ZERO };
  if (basis === 'net') return { amount: net, impliedVat: vat };
  if (gross <= 0 || !line.hasVatCode) return { amount: gross, impliedVat: ZERO };
  if (line.rateBp === undefined) return { amount: net, impliedVat: vat };
  // The VAT is Fiken's own computation; an øre it cannot reach goes to rounding like any residual.
  const targetNet = netForGross(gross, line.rateBp);
  return { amount: targetNet, impliedVat: vatOnNet(targetNet, line.rateBp) };
}

/** Natural side → signed posting amount (debit positive). */
function signed(key: LineKey, amount: Ore): Ore {
  return keyInfo(key).side === 'debit' ? amount : negate(amount);
}

/**
 * One Z-report → one balanced voucher, or the reasons it cannot be one.
 * Pure: same settlement, mapping and options always give the same lines in the same order.
 */
export function buildVoucher(settlement: Settlement, kontooppsett: Kontooppsett, options: BuildOptions): BuildResult {
  const ref = settlementRef(settlement);
  const problems: Problem[] = [];
  const report = (code: ProblemCode, details: Omit<Problem, 'code' | 'severity' | 'settlement'> = {}): void => {
    problems.push({ code, severity: SEVERITY_OF[code], settlement: ref, ...details });
  };

  if (settlement.kind === 'X') {
    report('interim_report');
    return { voucher: null, problems };
  }
  if (!hasPostings(settlement)) {
    report('empty_settlement');
    return { voucher: null, problems };
  }

  const lines: VoucherLine[] = [];
  const departmentFor = (department: string | null): string | null =>
    resolveDepartment(kontooppsett, department ?? settlement.location);

  for (const entry of aggregate(settlement)) {
    const sourceCode = [...entry.sourceCodes].join(', ') || undefined;
    const mapping = resolveMapping(kontooppsett, entry.key, entry.department ?? settlement.location, options.basChart);
    const gross = add(entry.amount, entry.vat);
    if (!mapping) {
      report('unmapped_key', { key: entry.key, amount: gross, ...(sourceCode ? { sourceCode } : {}) });
      continue;
    }
    const info = keyInfo(entry.key);
    const text = info.label[options.language];
    const department = departmentFor(entry.department);
    const isTaxedSale = info.group === 'sales' && (entry.vat !== 0 || (info.vatRateBp ?? 0) > 0);

    if (options.vatStyle.kind === 'explicit-vat-lines') {
      lines.push({
        key: entry.key,
        role: 'entry',
        account: mapping.account,
        vatCode: mapping.vatCode,
        amount: signed(entry.key, entry.amount),
        impliedVat: ZERO,
        department,
        text,
      });
      if (entry.vat !== 0) {
        if (!mapping.vatAccount) {
          report('missing_vat_account', { key: entry.key, account: mapping.account, amount: entry.vat });
          continue;
        }
        lines.push({
          key: entry.key,
          role: 'vat',
          account: mapping.vatAccount,
          vatCode: null,
          amount: signed(entry.key, entry.vat),
          impliedVat: ZERO,
          department,
          text: `${VAT_TEXT[options.language]} ${(info.vatRateBp ?? 0) / 100} %`,
        });
      }
      continue;
    }

    if (isTaxedSale && (mapping.vatCode === null || mapping.vatCode === '0')) {
      report('missing_vat_code', { key: entry.key, account: mapping.account, amount: gross });
      continue;
    }
    const sent = amountSent(
      options.vatStyle.amountBasis,
      signed(entry.key, entry.amount),
      signed(entry.key, entry.vat),
      {
        hasVatCode: mapping.vatCode !== null,
        rateBp: info.vatRateBp,
      },
    );
    lines.push({
      key: entry.key,
      role: 'entry',
      account: mapping.account,
      vatCode: mapping.vatCode,
      ...sent,
      department,
      text,
    });
  }

  if (problems.length > 0) return { voucher: null, problems };

  const residual = negate(imbalance(lines));
  if (residual !== 0) {
    const size = abs(residual);
    if (size > options.maxResidualOre) {
      report('unbalanced', { amount: imbalance(lines) });
      return { voucher: null, problems };
    }
    const key: SettlementKey = size <= options.roundingToleranceOre ? 'rounding' : 'difference';
    const mapping = resolveMapping(kontooppsett, key, settlement.location);
    if (!mapping) {
      report('unmapped_key', { key, amount: residual });
      return { voucher: null, problems };
    }
    report(key === 'rounding' ? 'residual_to_rounding' : 'residual_to_difference', {
      key,
      account: mapping.account,
      amount: residual,
    });
    lines.push({
      key,
      role: 'residual',
      account: mapping.account,
      vatCode: mapping.vatCode,
      amount: residual,
      impliedVat: ZERO,
      department: departmentFor(null),
      text: `${keyInfo(key).label[options.language]} (${RESIDUAL_TEXT[options.language]})`,
    });
  }

  if (options.chart) checkAgainstChart(lines, options.chart, report);
  if (problems.some((problem) => problem.severity === 'error')) return { voucher: null, problems };

  // Defensive: nothing above may produce an unbalanced voucher, and nothing unbalanced leaves here.
  const left = imbalance(lines);
  if (left !== 0) {
    report('unbalanced', { amount: left });
    return { voucher: null, problems };
  }

  return {
    voucher: {
      settlement: ref,
      date: settlement.businessDate,
      description: `${DESCRIPTION[options.language]} ${settlement.reportNumber} ${settlement.businessDate}`,
      lines,
    },
    problems,
  };
}

function checkAgainstChart(
  lines: readonly VoucherLine[],
  chart: Chart,
  report: (code: ProblemCode, details: Omit<Problem, 'code' | 'severity' | 'settlement'>) => void,
): void {
  const seen = new Set<string>();
  for (const line of lines) {
    const id = `${line.account}|${line.vatCode ?? ''}|${line.key}`;
    if (seen.has(id)) continue;
    seen.add(id);
    const amount = line.amount;
    const account = chart.accounts.get(line.account);
    if (!account) {
      report('account_missing', { key: line.key, account: line.account, amount });
      continue;
    }
    if (!account.active) report('account_inactive', { key: line.key, account: line.account, amount });
    if (line.vatCode !== null && line.vatCode !== '0' && chart.vatCodes && !chart.vatCodes.has(line.vatCode)) {
      report('vat_code_unknown', { key: line.key, account: line.account, vatCode: line.vatCode, amount });
      continue;
    }
    if (account.lockedVatCode !== null && !sameVatCode(account.lockedVatCode, line.vatCode)) {
      report('vat_code_locked', {
        key: line.key,
        account: line.account,
        ...(line.vatCode !== null ? { vatCode: line.vatCode } : {}),
        lockedVatCode: account.lockedVatCode,
        amount,
      });
    }
  }
}
