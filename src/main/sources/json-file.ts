import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { SourceError } from './source-error';

/** Reads a JSON file and validates it, naming the file and the first bad field on failure. */
export function readJsonFile<Schema extends z.ZodType>(path: string, schema: Schema, what: string): z.output<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new SourceError(path, 'whole file', null, `not a readable JSON ${what} (${(error as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SourceError(path, what, issue?.path.join('.') || null, issue?.message ?? `invalid ${what}`);
  }
  return parsed.data;
}
