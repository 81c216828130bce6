/** Why a SIE record could not be split; the readers add the file and line. */
export class SieFieldError extends Error {}

/**
 * Splits a SIE record into fields: blanks separate, `"…"` quotes with `\"` inside, `{…}` is one
 * field (an object list). Returns the fields with quotes removed; object lists keep their braces.
 */
export function sieFields(line: string): string[] {
  const fields: string[] = [];
  let index = 0;
  while (index < line.length) {
    const char = line[index];
    if (char === ' ' || char === '\t') {
      index += 1;
    } else if (char === '"') {
      let value = '';
      index += 1;
      while (index < line.length && line[index] !== '"') {
        if (line[index] === '\\' && line[index + 1] === '"') index += 1;
        value += line[index];
        index += 1;
      }
      if (index >= line.length) throw new SieFieldError('a quoted field is not closed');
      fields.push(value);
      index += 1;
    } else if (char === '{') {
      const end = closingBrace(line, index);
      fields.push(line.slice(index, end + 1));
      index = end + 1;
    } else {
      let end = index;
      while (end < line.length && line[end] !== ' ' && line[end] !== '\t') end += 1;
      fields.push(line.slice(index, end));
      index = end;
    }
  }
  return fields;
}

function closingBrace(line: string, start: number): number {
  let quoted = false;
  for (let index = start + 1; index < line.length; index += 1) {
    const char = line[index];
    if (char === '\\' && quoted) index += 1;
    else if (char === '"') quoted = !quoted;
    else if (char === '}' && !quoted) return index;
  }
  throw new SieFieldError('an object list {…} is not closed');
}

/** As sieFields, but null for an unterminated quote or object list (the import reader's style). */
export function tokenizeSieLine(line: string): string[] | null {
  try {
    return sieFields(line);
  } catch (error) {
    if (error instanceof SieFieldError) return null;
    throw error;
  }
}
