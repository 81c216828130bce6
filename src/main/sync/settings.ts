import { z } from 'zod';
import type { TargetRecord } from '../store/targets';
import { DEFAULT_SCHEDULE, scheduleSchema, type Schedule } from './schedule';

/** The sync part of a target's settings (stored in targets.settings.sync). */
export const syncSettingsSchema = z.object({
  schedule: scheduleSchema.default(DEFAULT_SCHEDULE),
  /** Business dates before this are history from before go-live: never posted. */
  exportFrom: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .default(null),
});
export type SyncSettings = { readonly schedule: Schedule; readonly exportFrom: string | null };

export function syncSettingsOf(target: TargetRecord): SyncSettings {
  return syncSettingsSchema.parse(target.settings['sync'] ?? {});
}
