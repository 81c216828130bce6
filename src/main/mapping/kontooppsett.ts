import { z } from 'zod';
import { lineKeySchema } from '../../shared/line-key-schema';
import { accountOfLineKey, ALL_SETTLEMENT_KEYS, type LineKey } from '../../shared/settlement-keys';

/**
 * One row of the kontooppsett: where a settlement key is posted in the target.
 * `location` empty means "every location"; a row for a specific location overrides it.
 */
export const mappingEntrySchema = z.object({
  key: lineKeySchema,
  location: z.string().default(''),
  account: z.string().trim().min(1, 'account must not be empty'),
  /** The target's VAT code on the line (Norwegian style); null for "no VAT treatment". */
  vatCode: z.string().trim().min(1).nullable().default(null),
  /** Where the output VAT of a sales key goes when the target wants explicit VAT lines (BAS 26xx). */
  vatAccount: z.string().trim().min(1).nullable().default(null),
});
export type MappingEntry = z.output<typeof mappingEntrySchema>;

/** POS location → the target's department code, so lines carry the shop's department. */
export const departmentEntrySchema = z.object({
  location: z.string().min(1),
  department: z.string().min(1),
});
export type DepartmentEntry = z.output<typeof departmentEntrySchema>;

export const kontooppsettSchema = z.object({
  entries: z.array(mappingEntrySchema),
  departments: z.array(departmentEntrySchema).default([]),
});
export type Kontooppsett = z.output<typeof kontooppsettSchema>;

/**
 * The row that applies to `key` at `location`: the location's own row wins over the general one.
 * On a BAS target a POS account line without a row posts to the same account number, since the
 * POS already booked it in the target's own chart family.
 */
export function resolveMapping(
  kontooppsett: Kontooppsett,
  key: LineKey,
  location: string,
  basChart = false,
): MappingEntry | undefined {
  let general: MappingEntry | undefined;
  for (const entry of kontooppsett.entries) {
    if (entry.key !== key) continue;
    if (entry.location === location) return entry;
    if (entry.location === '') general = entry;
  }
  const account = accountOfLineKey(key);
  if (general || !basChart || account === null) return general;
  return { key, location: '', account, vatCode: null, vatAccount: null };
}

/** The keys a mapping list shows: the catalogue, then the POS account lines that are mapped or were read. */
export function listedKeys(kontooppsett: Kontooppsett, readAccountKeys: readonly LineKey[]): LineKey[] {
  const accountKeys = new Set(
    [...kontooppsett.entries.map((entry) => entry.key), ...readAccountKeys].filter(
      (key) => accountOfLineKey(key) !== null,
    ),
  );
  return [...ALL_SETTLEMENT_KEYS, ...[...accountKeys].sort()];
}

export function resolveDepartment(kontooppsett: Kontooppsett, location: string): string | null {
  return kontooppsett.departments.find((entry) => entry.location === location)?.department ?? null;
}

/** Replaces (or adds) the row for key+location, keeping every other row. */
export function withEntry(kontooppsett: Kontooppsett, entry: MappingEntry): Kontooppsett {
  const others = kontooppsett.entries.filter((row) => !(row.key === entry.key && row.location === entry.location));
  return { ...kontooppsett, entries: [...others, entry] };
}
