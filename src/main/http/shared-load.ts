/** A value loaded once and shared by every caller until it is forgotten. */
export interface SharedLoad<T> {
  /** The value; callers that ask while it loads wait for the same request. */
  get(): Promise<T>;
  /** The next `get` loads again (the target's chart changed, or an account was refused). */
  forget(): void;
}

/**
 * Loads on first use and shares the one request between concurrent callers; a failed load is not
 * kept, so the next caller tries again instead of meeting the old error.
 */
export function sharedLoad<T>(load: () => Promise<T>): SharedLoad<T> {
  let value: Promise<T> | undefined;
  return {
    get() {
      value ??= load().catch((error: unknown) => {
        value = undefined;
        throw error;
      });
      return value;
    },
    forget() {
      value = undefined;
    },
  };
}
