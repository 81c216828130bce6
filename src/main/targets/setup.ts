import type { z } from 'zod';
import { fieldApplies, TARGET_SETUP, usesOAuth, type SetupField } from '../../shared/target-setup';
import { TARGETS, type TargetKind } from '../../shared/targets';
import { apiTarget } from '../connectors/registry';
import { FILE_FORMATS, isFileFormatKind } from '../exports/formats';
import { PRESETS } from '../mapping/presets';
import type { SecretStore } from '../secrets/secret-store';
import type { Db } from '../store/database';
import { activeTargetId, setActiveTarget } from '../store/home';
import { loadKontooppsett, saveKontooppsett } from '../store/mappings';
import { getTarget, saveTarget, type TargetRecord } from '../store/targets';
import type { Schedule } from '../sync/schedule';
import { syncSettingsOf, syncSettingsSchema } from '../sync/settings';

/** What a person typed in setup: field key → text (empty or absent = keep what is stored). */
export interface TargetSetupInput {
  readonly id: string;
  readonly kind?: TargetKind;
  readonly values: Readonly<Record<string, string>>;
  readonly schedule?: Schedule;
  /** Go-live date (`YYYY-MM-DD`); null clears it. */
  readonly exportFrom?: string | null;
}

/** A setup value that cannot be accepted; `field` names the input so the wizard can mark it. */
export class TargetSetupError extends Error {
  constructor(
    readonly field: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'TargetSetupError';
  }
}

const TARGET_ID = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/**
 * An address a person typed or pasted: http(s) only, and not ending in punctuation — a sentence's
 * full stop pasted along (`…/v2.`) is otherwise sent on and answered with a misleading 401.
 */
function checkAddress(field: SetupField, text: string): void {
  const label = `${field.label.en} (${field.key})`;
  const url = URL.canParse(text) ? new URL(text) : null;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new TargetSetupError(field.key, `${label} "${text}" is not an address (http://… or https://…)`);
  }
  if (/[.,;:!?)'"]$/.test(text)) {
    throw new TargetSetupError(field.key, `${label} "${text}" ends with "${text.at(-1)}"; leave it out`);
  }
}

function fieldValue(field: SetupField, text: string): string | number {
  const label = field.label.en;
  if (field.pattern && !new RegExp(`^(?:${field.pattern})$`).test(text)) {
    throw new TargetSetupError(field.key, `${label} (${field.key}) "${field.secret ? '…' : text}" has the wrong form`);
  }
  if (field.options && !field.options.some((option) => option.value === text)) {
    const allowed = field.options.map((option) => option.value).join(', ');
    throw new TargetSetupError(field.key, `${label} (${field.key}) must be one of ${allowed}`);
  }
  if (field.input === 'url') checkAddress(field, text);
  if (field.input === 'number') {
    const number = Number(text);
    if (!Number.isFinite(number)) throw new TargetSetupError(field.key, `${label} (${field.key}) must be a number`);
    return number;
  }
  return text;
}

function checked(schema: z.ZodType, value: unknown, what: string): unknown {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.map(String).join('.') || null;
  throw new TargetSetupError(field, `${what}: ${field ?? ''} ${issue?.message ?? 'invalid'}`.trim());
}

/**
 * Adds or changes a target from setup values, the same way for `kassebro target add` and the setup
 * wizard: fields checked against the target's setup definition, secrets to the encrypted store
 * (never into settings), settings checked by the target's own schema, kontooppsett prefilled from
 * the target's preset the first time.
 */
export async function applyTargetSetup(db: Db, secrets: SecretStore, input: TargetSetupInput): Promise<TargetRecord> {
  if (!TARGET_ID.test(input.id)) {
    throw new TargetSetupError('id', `Target name "${input.id}" must be lower-case letters, digits, - or _`);
  }
  const existing = getTarget(db, input.id);
  const kind = input.kind ?? existing?.kind;
  if (!kind) throw new TargetSetupError('kind', `Choose a system: ${Object.keys(TARGETS).join(', ')}`);
  if (existing && existing.kind !== kind) {
    throw new TargetSetupError('kind', `Target "${input.id}" is ${existing.kind}; remove it before reusing the name`);
  }
  const definition = TARGETS[kind];
  const api = apiTarget(kind);
  if (definition.transport === 'api' && !api) {
    throw new TargetSetupError('kind', `${definition.displayName} has no connector in this version`);
  }
  const setup = TARGET_SETUP[kind];
  const known = new Set(setup.fields.map((field) => field.key));
  const unknown = Object.keys(input.values).filter((key) => !known.has(key));
  if (unknown.length > 0) {
    throw new TargetSetupError(
      unknown[0] ?? null,
      `${definition.displayName} has no setting ${unknown.join(', ')}; it has ${[...known].join(', ') || 'none'}`,
    );
  }

  const secretRef = definition.transport === 'api' ? input.id : null;
  const storedSecret = secretRef ? ((await secrets.get(secretRef)) ?? {}) : {};
  const settings: Record<string, unknown> = { ...existing?.settings };
  const secret: Record<string, string> = { ...storedSecret };
  // Which way of logging in applies is read from what is stored and what was typed now.
  const chosen = {
    ...existing?.settings,
    ...Object.fromEntries(Object.entries(input.values).filter(([, v]) => v.trim())),
  };
  for (const field of setup.fields) {
    if (!fieldApplies(setup, field, chosen)) continue;
    const text = input.values[field.key]?.trim() ?? '';
    const stored = field.secret ? storedSecret[field.key] : existing?.settings[field.key];
    if (text === '') {
      if (stored === undefined && field.defaultValue !== undefined) {
        settings[field.key] = fieldValue(field, field.defaultValue);
      } else if (stored === undefined && field.required) {
        throw new TargetSetupError(field.key, `${field.label.en} (${field.key}) is required`);
      }
      continue;
    }
    const value = fieldValue(field, text);
    if (field.secret) secret[field.key] = String(value);
    else settings[field.key] = value;
  }

  const previousSync = existing ? syncSettingsOf(existing) : syncSettingsSchema.parse({});
  settings['sync'] = checked(
    syncSettingsSchema,
    {
      schedule: input.schedule ?? previousSync.schedule,
      exportFrom: input.exportFrom === undefined ? previousSync.exportFrom : input.exportFrom,
    },
    'Schedule',
  );
  if (api) checked(api.settingsSchema, settings, definition.displayName);
  if (isFileFormatKind(kind)) checked(FILE_FORMATS[kind].settingsSchema, settings, definition.displayName);
  // OAuth targets get their tokens from `connect`; until then only the client is stored.
  if (api && !usesOAuth(setup, settings)) checked(api.secretSchema, secret, `${definition.displayName} credentials`);

  if (secretRef && Object.keys(secret).length > 0) await secrets.set(secretRef, secret);
  const target: TargetRecord = {
    id: input.id,
    kind,
    name: existing?.name ?? `${definition.displayName} (${input.id})`,
    settings,
    secretRef,
  };
  saveTarget(db, target);
  if (loadKontooppsett(db, input.id).entries.length === 0) {
    saveKontooppsett(db, input.id, PRESETS[definition.defaultPreset].kontooppsett);
  }
  if (!activeTargetId(db)) setActiveTarget(db, input.id);
  return target;
}
