import { z } from 'zod';
import type { ChartAccount, VatCodeInfo } from '../domain/chart';
import { readJsonFile } from '../sources/json-file';

/** A chart of accounts exported to a file (or shipped with the demo): the same shape a connector fetches. */
export const chartFileSchema = z.object({
  description: z.string().optional(),
  accounts: z.array(
    z.object({
      number: z.string().min(1),
      name: z.string(),
      active: z.boolean().default(true),
      lockedVatCode: z.string().nullable().default(null),
    }),
  ),
  vatCodes: z
    .array(
      z.object({ code: z.string().min(1), description: z.string(), rateBp: z.number().int().nullable().default(null) }),
    )
    .nullable()
    .default(null),
});

export function readChartFile(path: string): { accounts: ChartAccount[]; vatCodes: VatCodeInfo[] | null } {
  return readJsonFile(path, chartFileSchema, 'chart of accounts');
}
