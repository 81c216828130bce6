import { z } from 'zod';
import type { Db } from '../store/database';

/** A POS database the engine polls through a profile. */
const posDbSettings = z.object({
  posDatabase: z.string().min(1),
  profile: z.string().min(1),
  /** Overrides the `sources.posPollSeconds` setting for this source. */
  pollSeconds: z.number().int().min(5).optional(),
});

/** A folder the POS exports SAF-T/SIE4/CSV files into. */
const watchFolderSettings = z.object({
  dir: z.string().min(1),
  format: z.enum(['saft', 'sie4', 'csv', 'auto']).default('auto'),
  scanSeconds: z.number().int().min(1).default(5),
});

export const registrationSchema = z.discriminatedUnion('kind', [
  z.object({ id: z.string().min(1), kind: z.literal('pos-db'), settings: posDbSettings }),
  z.object({ id: z.string().min(1), kind: z.literal('watch-folder'), settings: watchFolderSettings }),
]);

export type SourceRegistration = z.output<typeof registrationSchema>;
export type SourceRegistrationInput = z.input<typeof registrationSchema>;

/** Adds or replaces a registration; settings are validated before they are stored. */
export function saveRegistration(db: Db, input: SourceRegistrationInput, now = new Date()): SourceRegistration {
  const registration = registrationSchema.parse(input);
  db.prepare(
    `INSERT INTO source_registrations (id, kind, settings, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, settings = excluded.settings`,
  ).run(registration.id, registration.kind, JSON.stringify(registration.settings), now.toISOString());
  return registration;
}

export function removeRegistration(db: Db, id: string): boolean {
  return db.prepare('DELETE FROM source_registrations WHERE id = ?').run(id).changes > 0;
}

/** Every stored registration, re-validated: a row edited by hand into nonsense is an error naming it. */
export function listRegistrations(db: Db): SourceRegistration[] {
  const rows = db.prepare('SELECT id, kind, settings FROM source_registrations ORDER BY id').all() as {
    id: string;
    kind: string;
    settings: string;
  }[];
  return rows.map((row) => {
    const parsed = registrationSchema.safeParse({ id: row.id, kind: row.kind, settings: JSON.parse(row.settings) });
    if (!parsed.success) {
      throw new Error(`Stored source "${row.id}" is invalid: ${parsed.error.issues[0]?.message ?? 'bad settings'}`);
    }
    return parsed.data;
  });
}
