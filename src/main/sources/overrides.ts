import { z } from 'zod';
import { ALL_SETTLEMENT_KEYS, type SettlementKey } from '../../shared/settlement-keys';
import type { Db } from '../store/database';
import { readSetting, writeSetting } from '../store/settings';

const settlementKey = z.enum(ALL_SETTLEMENT_KEYS as [SettlementKey, ...SettlementKey[]]);

/** A shop's own additions to the built-in code tables, kept in settings so a technician can fix an unknown code. */
export const sourceOverridesSchema = z.object({
  /** SAF-T: the POS's own paymentType code, or a 12xxx code → settlement key. */
  saftPaymentKeys: z.record(z.string(), settlementKey).default({}),
  /** SIE4: a POS account → settlement key; `part: 'vat'` for an output-VAT account. */
  sie4AccountKeys: z
    .record(z.string(), z.object({ key: settlementKey, part: z.literal('vat').optional() }))
    .default({}),
});

export type SourceOverrides = z.output<typeof sourceOverridesSchema>;

export const OVERRIDES_SETTING = 'sources.codeOverrides';

export function loadSourceOverrides(db: Db): SourceOverrides {
  const parsed = sourceOverridesSchema.safeParse(readSetting(db, OVERRIDES_SETTING) ?? {});
  if (!parsed.success) {
    throw new Error(`The setting ${OVERRIDES_SETTING} is invalid: ${parsed.error.issues[0]?.message ?? 'bad value'}`);
  }
  return parsed.data;
}

export function setSaftPaymentKey(db: Db, code: string, key: SettlementKey): void {
  const overrides = loadSourceOverrides(db);
  writeSetting(db, OVERRIDES_SETTING, { ...overrides, saftPaymentKeys: { ...overrides.saftPaymentKeys, [code]: key } });
}

export function setSie4AccountKey(db: Db, account: string, key: SettlementKey, vat: boolean): void {
  const overrides = loadSourceOverrides(db);
  writeSetting(db, OVERRIDES_SETTING, {
    ...overrides,
    sie4AccountKeys: { ...overrides.sie4AccountKeys, [account]: vat ? { key, part: 'vat' } : { key } },
  });
}
