import { z } from 'zod';
import { INVOICE_MODES, type InvoiceMode } from './invoice-modes';

export { INVOICE_MODES, type InvoiceMode };

/**
 * The setup wizard's part of the API contract (see api.ts): what a target's setup holds as the UI
 * may see it (never a secret's value), the connection test's explained answer, the OAuth connect,
 * schedules and a sync pass started from the UI.
 */

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date like 2026-11-20');
const count = z.number().int().min(0);
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');

/** Same shape as the sync engine's schedule (src/main/sync/schedule.ts), which checks it again. */
export const setupScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('on-close') }),
  z.object({ kind: z.literal('daily'), time }),
  z.object({ kind: z.literal('weekly'), weekday: z.number().int().min(0).max(6), time }),
  z.object({ kind: z.literal('monthly'), day: z.number().int().min(1).max(28), time }),
  z.object({ kind: z.literal('never') }),
]);
export type SetupSchedule = z.infer<typeof setupScheduleSchema>;

/** A target's setup as the wizard shows it: settings values, and only the NAMES of stored secrets. */
export const targetSetupViewSchema = z.object({
  targetId: z.string(),
  kind: z.string(),
  /** Non-secret field values as text, keyed like TARGET_SETUP's fields. */
  values: z.record(z.string(), z.string()),
  /** Secret fields that have a value in the secret store ("stored"); their values never leave the engine. */
  storedSecrets: z.array(z.string()),
  /** True when OAuth tokens are stored (a connect succeeded). */
  connected: z.boolean(),
  schedule: setupScheduleSchema,
  exportFrom: isoDate.nullable(),
  choices: z.object({ voucherSeries: z.string().nullable() }),
  /** What the last successful connection test returned; null before one. */
  lastTest: z
    .object({
      company: z.string(),
      at: z.string(),
      departments: z.array(z.object({ code: z.string(), name: z.string() })),
      voucherSeries: z.array(z.object({ code: z.string(), name: z.string() })),
    })
    .nullable(),
});
export type TargetSetupView = z.infer<typeof targetSetupViewSchema>;

export const saveTargetSetupArgsSchema = z.object({
  /** Checked by the engine, so a bad name is marked on its field like any other. */
  targetId: z.string().min(1).max(100),
  kind: z.string().min(1),
  /** Field values by key; a secret left empty keeps the stored one. */
  values: z.record(z.string(), z.string().max(4000)),
});

/** A field the engine refused, so the wizard can mark it. */
export const fieldErrorSchema = z.object({ key: z.string(), message: z.string() });
export const saveTargetSetupResultSchema = z.object({
  targetId: z.string(),
  ok: z.boolean(),
  errors: z.array(fieldErrorSchema),
  storedSecrets: z.array(z.string()),
});

export const connectionTestSchema = z.discriminatedUnion('ok', [
  z.object({
    ok: z.literal(true),
    company: z.string(),
    accounts: count,
    inactiveAccounts: count,
    vatCodes: count,
    departments: z.array(z.object({ code: z.string(), name: z.string() })),
    voucherSeries: z.array(z.object({ code: z.string(), name: z.string() })),
  }),
  z.object({
    ok: z.literal(false),
    code: z.string(),
    explanation: z.string(),
    hint: z.string(),
    /** The target's own words, verbatim (redacted). */
    targetMessage: z.string(),
  }),
]);
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

export const startConnectResultSchema = z.object({
  /** The address the browser must open (the app opens it in the system browser). */
  url: z.string().url(),
  /** Where the target sends the browser back: a listener on 127.0.0.1 for this attempt only. */
  redirectUri: z.string().url(),
});

export const finishSetupArgsSchema = z.object({
  targetId: z.string().min(1),
  voucherSeries: z.string().trim().min(1).nullable().default(null),
  /** Department code per POS location (from the fetched departments). */
  departments: z.array(z.object({ location: z.string().min(1), department: z.string().min(1) })).default([]),
  schedule: setupScheduleSchema,
  exportFrom: isoDate.nullable(),
});

export const syncNowArgsSchema = z.object({
  /** Default: the active target. */
  targetId: z.string().min(1).optional(),
  /** Put vouchers that wait for a person back in the queue (rebuilt from today's mapping) first. */
  retryFailed: z.boolean().default(false),
  /** Only this voucher is put back (a "try again" on one log row). */
  voucherId: z.number().int().optional(),
});
export const syncNowResultSchema = z.object({
  targetId: z.string(),
  outcome: z.enum(['done', 'locked', 'offline', 'target-unavailable', 'auth']),
  posted: count,
  foundExisting: count,
  failed: count,
  requeued: count,
  queued: count,
  waitingForPerson: count,
  /** Invoices sent and failed in this pass (0 when invoice transfer is off). */
  invoicesPosted: count,
  invoicesFailed: count,
});
export type SyncNowResult = z.infer<typeof syncNowResultSchema>;

const invoiceMode = z.enum(INVOICE_MODES);

/** The wizard's invoice step: what the target can do, the current choice and what each choice means. */
export const invoiceSetupViewSchema = z.object({
  /** Empty when Kassebro cannot send invoices to this target. */
  modes: z.array(invoiceMode),
  config: z.object({
    enabled: z.boolean(),
    mode: invoiceMode,
    zRevenue: z.enum(['clearing', 'include']),
    customerNumberStart: z.number().int(),
  }),
  texts: z.object({
    off: z.string(),
    modes: z.object({ 'invoice-in-target': z.string(), 'pos-issued': z.string() }),
    zRevenueInclude: z.string(),
    unavailable: z.string(),
    modeUnavailable: z.string(),
  }),
  invoiceSales: count,
});
export type InvoiceSetupView = z.infer<typeof invoiceSetupViewSchema>;

export const saveInvoiceSetupArgsSchema = z.object({
  targetId: z.string().min(1),
  enabled: z.boolean(),
  mode: invoiceMode,
  zRevenue: z.enum(['clearing', 'include']).default('clearing'),
  customerNumberStart: z.number().int().min(1).max(999_999_999).default(100_000),
});
export const saveInvoiceSetupResultSchema = z.discriminatedUnion('saved', [
  z.object({
    saved: z.literal(true),
    /** POS-issued invoices: the POS's number series against the target's next number. */
    numberSeries: z.object({ status: z.enum(['ok', 'conflict', 'unknown']), message: z.string() }).nullable(),
  }),
  /** Refused, with the plain reason (a double booking, a mode the target cannot do). */
  z.object({ saved: z.literal(false), reason: z.string() }),
]);
export type SaveInvoiceSetupResult = z.infer<typeof saveInvoiceSetupResultSchema>;
