import type { Language } from './settlement-keys';

/**
 * How a target wants VAT on a voucher:
 * - `code-on-line`: the revenue line carries a VAT code and the target derives the VAT posting
 *   (Norwegian APIs). `amountBasis` says whether a line with a VAT code is sent gross or net;
 *   `net-on-debit` is Fiken's rule: net on debit lines (Fiken adds the VAT), gross on credit lines.
 *   With `net`, the line's `impliedVat` is what the connector posts as VAT where the target wants it
 *   (Visma eAccounting, 24SevenOffice: an entry on the VAT code's account).
 * - `explicit-vat-lines`: net revenue plus a separate line on an output-VAT account (Fortnox, SIE4).
 */
export type VatStyle =
  | { readonly kind: 'code-on-line'; readonly amountBasis: 'gross' | 'net' | 'net-on-debit' }
  | { readonly kind: 'explicit-vat-lines' };

export type TargetKind =
  | 'fortnox'
  | 'tripletex'
  | 'fiken'
  | 'poweroffice'
  | 'visma-eaccounting'
  | '24sevenoffice'
  | 'sie4'
  | 'gbat10'
  | 'xledger'
  | 'duett';

export interface TargetDefinition {
  readonly kind: TargetKind;
  readonly displayName: string;
  readonly country: 'NO' | 'SE';
  readonly transport: 'api' | 'file';
  readonly vatStyle: VatStyle;
  readonly defaultPreset: 'no-standard' | 'no-fiken' | 'se-bas';
  /** Language of the texts written into the target (voucher descriptions, line texts). */
  readonly language: Language;
}

/** Swedish targets keep a BAS chart, the chart family SIE4 files from a POS already book in. */
export function usesBasChart(definition: TargetDefinition): boolean {
  return definition.defaultPreset === 'se-bas';
}

const gross: VatStyle = { kind: 'code-on-line', amountBasis: 'gross' };
const explicit: VatStyle = { kind: 'explicit-vat-lines' };

/** Target facts the engine and the setup UI share. Protocol code lives with each connector. */
export const TARGETS: Readonly<Record<TargetKind, TargetDefinition>> = {
  fortnox: {
    kind: 'fortnox',
    displayName: 'Fortnox',
    country: 'SE',
    transport: 'api',
    vatStyle: explicit,
    defaultPreset: 'se-bas',
    language: 'sv',
  },
  tripletex: {
    kind: 'tripletex',
    displayName: 'Tripletex',
    country: 'NO',
    transport: 'api',
    vatStyle: gross,
    defaultPreset: 'no-standard',
    language: 'nb',
  },
  fiken: {
    kind: 'fiken',
    displayName: 'Fiken',
    country: 'NO',
    transport: 'api',
    vatStyle: { kind: 'code-on-line', amountBasis: 'net-on-debit' },
    defaultPreset: 'no-fiken',
    language: 'nb',
  },
  poweroffice: {
    kind: 'poweroffice',
    displayName: 'PowerOffice Go',
    country: 'NO',
    transport: 'api',
    vatStyle: gross,
    defaultPreset: 'no-standard',
    language: 'nb',
  },
  'visma-eaccounting': {
    kind: 'visma-eaccounting',
    displayName: 'Visma eAccounting',
    country: 'NO',
    transport: 'api',
    // Net revenue with the VAT code: the connector books the POS's VAT on its own row (to the account
    // eAccounting ties to that VAT code), so Visma never recomputes or rounds it.
    vatStyle: { kind: 'code-on-line', amountBasis: 'net' },
    defaultPreset: 'no-standard',
    language: 'nb',
  },
  '24sevenoffice': {
    kind: '24sevenoffice',
    displayName: '24SevenOffice',
    country: 'NO',
    transport: 'api',
    vatStyle: { kind: 'code-on-line', amountBasis: 'net' },
    defaultPreset: 'no-standard',
    language: 'nb',
  },
  sie4: {
    kind: 'sie4',
    displayName: 'SIE4 file',
    country: 'SE',
    transport: 'file',
    vatStyle: explicit,
    defaultPreset: 'se-bas',
    language: 'sv',
  },
  gbat10: {
    kind: 'gbat10',
    displayName: 'GBAT10 file',
    country: 'NO',
    transport: 'file',
    // GBAT10's gross mode wants the net amount and the amount incl. VAT on each revenue line.
    vatStyle: { kind: 'code-on-line', amountBasis: 'net' },
    defaultPreset: 'no-standard',
    language: 'nb',
  },
  xledger: {
    kind: 'xledger',
    displayName: 'Xledger file',
    country: 'NO',
    transport: 'file',
    // Net revenue with the VAT code: the writer posts the VAT on its own line and translates the code.
    vatStyle: { kind: 'code-on-line', amountBasis: 'net' },
    defaultPreset: 'no-standard',
    language: 'nb',
  },
  duett: {
    kind: 'duett',
    displayName: 'Duett file',
    country: 'NO',
    transport: 'file',
    // Net + VAT per line, so the writer can give Duett either gross amounts or net amounts + VAT lines.
    vatStyle: { kind: 'code-on-line', amountBasis: 'net' },
    defaultPreset: 'no-standard',
    language: 'nb',
  },
};

export const TARGET_KINDS = Object.keys(TARGETS) as TargetKind[];

export function isTargetKind(value: string): value is TargetKind {
  return Object.hasOwn(TARGETS, value);
}
