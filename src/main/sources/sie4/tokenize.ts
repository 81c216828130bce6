/**
 * Splits one SIE record into fields: separated by spaces or tabs, `"..."` quoted with `\"` for a
 * quote inside, `{...}` object lists kept whole. Returns null for an unterminated quote or brace.
 */
export function tokenizeSieLine(line: string): string[] | null {
  const fields: string[] = [];
  let index = 0;
  while (index < line.length) {
    const char = line[index]!;
    if (char === ' ' || char === '\t') {
      index += 1;
    } else if (char === '"') {
      let value = '';
      index += 1;
      for (;;) {
        if (index >= line.length) return null;
        const next = line[index]!;
        if (next === '\\' && line[index + 1] === '"') {
          value += '"';
          index += 2;
        } else if (next === '"') {
          index += 1;
          break;
        } else {
          value += next;
          index += 1;
        }
      }
      fields.push(value);
    } else if (char === '{') {
      const end = line.indexOf('}', index);
      if (end < 0) return null;
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
