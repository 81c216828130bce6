import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { onUserPath } from '../log/io-error';
import { SourceError } from './source-error';

/**
 * Reads a JSON file and validates it, naming the file and the first bad field on failure; a file
 * that cannot be read is a FileAccessError, one that is not JSON is refused without quoting it.
 */
export function readJsonFile<Schema extends z.ZodType>(path: string, schema: Schema, what: string): z.output<Schema> {
  const text = onUserPath(path, 'read', () => readFileSync(path, 'utf8'));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SourceError(path, 'whole file', null, `not a JSON ${what} (not valid JSON)`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SourceError(path, what, issue?.path.join('.') || null, issue?.message ?? `invalid ${what}`);
  }
  return parsed.data;
}
