import type { Language } from '../../shared/settlement-keys';

/** What Kassebro was doing with a path the user named, for the first half of the sentence. */
export type FileAction = 'read' | 'write' | 'watch';

/** The operating system's error codes, grouped by what a shop owner can do about them. */
type Reason = 'missing' | 'denied' | 'folder' | 'not_folder' | 'full' | 'read_only' | 'busy' | 'other';

const REASON_OF_CODE: Readonly<Record<string, Reason>> = {
  ENOENT: 'missing',
  EACCES: 'denied',
  EPERM: 'denied',
  EISDIR: 'folder',
  ENOTDIR: 'not_folder',
  ENOSPC: 'full',
  EDQUOT: 'full',
  EROFS: 'read_only',
  EBUSY: 'busy',
};

interface Words {
  readonly actions: Readonly<Record<FileAction, string>>;
  readonly reasons: Readonly<Record<Reason, string>>;
}

const WORDS: Readonly<Record<Language, Words>> = {
  en: {
    actions: { read: 'Cannot read', write: 'Cannot write to', watch: 'Cannot watch the folder' },
    reasons: {
      missing: 'it does not exist',
      denied: 'permission denied',
      folder: 'it is a folder, not a file',
      not_folder: 'it is not a folder (or a part of the path is a file)',
      full: 'the disk is full',
      read_only: 'the disk is read-only',
      busy: 'another program is using it',
      other: 'the system reported {code}',
    },
  },
  nb: {
    actions: { read: 'Kan ikke lese', write: 'Kan ikke skrive til', watch: 'Kan ikke følge med på mappen' },
    reasons: {
      missing: 'den finnes ikke',
      denied: 'ingen tilgang',
      folder: 'det er en mappe, ikke en fil',
      not_folder: 'det er ikke en mappe (eller en del av stien er en fil)',
      full: 'disken er full',
      read_only: 'disken er skrivebeskyttet',
      busy: 'et annet program bruker den',
      other: 'systemet svarte {code}',
    },
  },
  sv: {
    actions: { read: 'Kan inte läsa', write: 'Kan inte skriva till', watch: 'Kan inte bevaka mappen' },
    reasons: {
      missing: 'den finns inte',
      denied: 'åtkomst nekad',
      folder: 'det är en mapp, inte en fil',
      not_folder: 'det är inte en mapp (eller en del av sökvägen är en fil)',
      full: 'disken är full',
      read_only: 'disken är skrivskyddad',
      busy: 'ett annat program använder den',
      other: 'systemet svarade {code}',
    },
  },
};

/**
 * An operating-system failure on a file or folder the user named: which path, what Kassebro was
 * doing, and why in plain words. `message` is English (for logs); `describe` speaks the user's language.
 */
export class FileAccessError extends Error {
  constructor(
    readonly path: string,
    readonly action: FileAction,
    /** The system's code (ENOENT, EACCES, …). */
    readonly code: string,
    options?: { readonly cause?: unknown },
  ) {
    super('', options);
    this.name = 'FileAccessError';
    this.message = this.describe('en');
  }

  describe(language: Language): string {
    const words = WORDS[language];
    const reason = words.reasons[REASON_OF_CODE[this.code] ?? 'other'].replace('{code}', this.code);
    return `${words.actions[this.action]} ${this.path}: ${reason}`;
  }
}

/**
 * The error as a FileAccessError when it is a system error on a file (Node's `code`, and a path
 * given here or carried by the error); undefined for anything else, which callers rethrow as it is.
 */
export function asFileAccessError(
  error: unknown,
  path?: string,
  action: FileAction = 'read',
): FileAccessError | undefined {
  if (error instanceof FileAccessError) return error;
  if (!(error instanceof Error)) return undefined;
  const { code, path: errorPath } = error as NodeJS.ErrnoException;
  const where = path ?? errorPath;
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code) || !where) return undefined;
  return new FileAccessError(where, action, code, { cause: error });
}

/** Runs `work` on a path the user named; a system error leaves as a FileAccessError naming that path. */
export function onUserPath<T>(path: string, action: FileAction, work: () => T): T {
  try {
    return work();
  } catch (error) {
    throw asFileAccessError(error, path, action) ?? error;
  }
}
