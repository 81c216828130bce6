import { z } from 'zod';

/**
 * The one contract between the UI and the engine. The preload exposes exactly these functions;
 * the browser bridge (kassebro serve) implements the same ones. Results are validated where they
 * cross a process boundary.
 */
export const appInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  schemaVersion: z.number().int(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

export interface KassebroApi {
  appInfo(): Promise<AppInfo>;
}

export const API_CHANNELS = { appInfo: 'kassebro:appInfo' } as const satisfies Record<keyof KassebroApi, string>;
