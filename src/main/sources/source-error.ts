/**
 * Bad input, named precisely: which file (or database), where in it, which field, and why.
 * Nothing is stored from an input that raised one of these.
 */
export class SourceError extends Error {
  constructor(
    readonly source: string,
    readonly location: string,
    readonly field: string | null,
    readonly reason: string,
    options?: { readonly cause?: unknown },
  ) {
    super(`${source}: ${location}${field ? `, field "${field}"` : ''}: ${reason}`, options);
    this.name = 'SourceError';
  }
}
