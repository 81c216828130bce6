import type { z } from 'zod';
import { TARGET_SETUP, type SetupField } from '../../shared/target-setup';
import { isTargetKind, TARGETS, type TargetKind } from '../../shared/targets';
import { apiTarget } from '../connectors/registry';
import { FILE_FORMATS, isFileFormatKind } from '../exports/formats';
import { PRESETS } from '../mapping/presets';
import type { SecretStore } from '../secrets/secret-store';
import type { Db } from '../store/database';
import { loadKontooppsett, saveKontooppsett } from '../store/mappings';
import { getTarget, saveTarget, type TargetRecord } from '../store/targets';

/** One input the setup refused, named by its TARGET_SETUP key (or "kind"/"name"). */
export interface FieldError {
  readonly key: string;
  readonly message: string;
}

export type SetupOutcome =
  | { readonly ok: true; readonly target: TargetRecord; readonly storedSecrets: readonly string[] }
  | { readonly ok: false; readonly errors: readonly FieldError[] };

export interface SetupInput {
  readonly targetId: string;
  readonly kind: string;
  /** Values by TARGET_SETUP field key, as typed; an empty secret keeps the stored one. */
  readonly values: Readonly<Record<string, string | undefined>>;
}

const NAME = /^[a-z0-9][a-z0-9_-]{0,39}$/;

function typed(field: SetupField, text: string): unknown {
  return field.input === 'number' ? Number(text) : text;
}

function zodErrors(error: z.ZodError, keys: ReadonlySet<string>): FieldError[] {
  return error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    return { key: keys.has(key) ? key : 'kind', message: key ? `${key}: ${issue.message}` : issue.message };
  });
}

/**
 * Validates a target's setup values against TARGET_SETUP and the target's own schemas (the API
 * target's settings/secret schemas, the file format's settings schema), then stores the secrets in
 * the secret store and the rest in the target's settings. Used by the CLI and the setup wizard.
 * A new target gets its kind's preset as kontooppsett.
 */
export async function applyTargetSetup(
  db: Db,
  secrets: SecretStore,
  input: SetupInput,
  now = new Date(),
): Promise<SetupOutcome> {
  if (!NAME.test(input.targetId)) {
    return { ok: false, errors: [{ key: 'name', message: 'lower-case letters, digits, - or _ (at most 40)' }] };
  }
  if (!isTargetKind(input.kind)) return { ok: false, errors: [{ key: 'kind', message: `unknown kind ${input.kind}` }] };
  const kind: TargetKind = input.kind;
  const existing = getTarget(db, input.targetId);
  if (existing && existing.kind !== kind) {
    return {
      ok: false,
      errors: [{ key: 'name', message: `"${input.targetId}" is already a ${existing.kind} target` }],
    };
  }
  const definition = TARGETS[kind];
  const api = apiTarget(kind);
  if (definition.transport === 'api' && !api) {
    return {
      ok: false,
      errors: [{ key: 'kind', message: `${definition.displayName} has no connector in this version` }],
    };
  }
  const setup = TARGET_SETUP[kind];
  const secretRef = definition.transport === 'api' ? input.targetId : null;
  const stored = secretRef ? ((await secrets.get(secretRef)) ?? {}) : {};

  const errors: FieldError[] = [];
  const settings: Record<string, unknown> = { ...existing?.settings };
  const secret: Record<string, string> = { ...stored };
  for (const field of setup.fields) {
    const value = input.values[field.key]?.trim() ?? '';
    if (value === '') {
      if (field.secret ? stored[field.key] !== undefined : !field.required) {
        if (!field.secret) delete settings[field.key];
        continue;
      }
      errors.push({ key: field.key, message: `${field.key}: required` });
      continue;
    }
    if (field.pattern && !new RegExp(`^(?:${field.pattern})$`).test(value)) {
      errors.push({
        key: field.key,
        message: `${field.key}: "${field.secret ? '…' : value}" does not have the expected form`,
      });
      continue;
    }
    if (field.options && !field.options.some((option) => option.value === value)) {
      errors.push({
        key: field.key,
        message: `${field.key}: choose one of ${field.options.map((o) => o.value).join(', ')}`,
      });
      continue;
    }
    if (field.secret) secret[field.key] = value;
    else settings[field.key] = typed(field, value);
  }
  if (errors.length > 0) return { ok: false, errors };

  const keys = new Set(setup.fields.map((field) => field.key));
  const settingsSchema = api?.settingsSchema ?? (isFileFormatKind(kind) ? FILE_FORMATS[kind].settingsSchema : null);
  const parsedSettings = settingsSchema?.safeParse(settings);
  if (parsedSettings && !parsedSettings.success) return { ok: false, errors: zodErrors(parsedSettings.error, keys) };
  // OAuth targets get their tokens from the connect that follows; field-auth targets must be complete now.
  if (api && setup.auth.kind === 'fields') {
    const parsedSecret = api.secretSchema.safeParse(secret);
    if (!parsedSecret.success) return { ok: false, errors: zodErrors(parsedSecret.error, keys) };
  }

  if (secretRef && Object.keys(secret).length > 0) await secrets.set(secretRef, secret);
  const target: TargetRecord = {
    id: input.targetId,
    kind,
    name: existing?.name ?? `${definition.displayName} (${input.targetId})`,
    settings,
    secretRef,
  };
  saveTarget(db, target, now);
  if (loadKontooppsett(db, target.id).entries.length === 0) {
    saveKontooppsett(db, target.id, PRESETS[definition.defaultPreset].kontooppsett);
  }
  return {
    ok: true,
    target,
    storedSecrets: setup.fields.filter((field) => field.secret && secret[field.key] !== undefined).map((f) => f.key),
  };
}
