import Database from 'better-sqlite3';
import type { Language } from '../../shared/settlement-keys';

/** What is wrong with the database file itself, as opposed to what is in it. */
export type DatabaseFileProblem = 'foreign' | 'corrupt' | 'read_only' | 'disk_full' | 'locked';

const TEXTS: Readonly<Record<Language, Readonly<Record<DatabaseFileProblem, (file: string) => string>>>> = {
  en: {
    foreign: (file) =>
      `${file} is not a Kassebro database (it belongs to another program); it was left untouched. Give --db a new file or a Kassebro database.`,
    corrupt: (file) =>
      `The database ${file} is damaged or not a database at all; nothing was changed. Restore it from a backup, or start a new home.`,
    read_only: (file) =>
      `The database ${file} cannot be written (read-only file, folder or disk, or no permission); nothing was saved. Give your user write access to it and its folder.`,
    disk_full: (file) =>
      `The disk holding the database ${file} is full; nothing was saved. Free some space and run the command again.`,
    locked: (file) =>
      `The database ${file} stayed locked by another Kassebro (or another program) for too long; nothing was saved. Run the command again in a moment.`,
  },
  nb: {
    foreign: (file) =>
      `${file} er ikke en Kassebro-database (den tilhører et annet program); den er ikke endret. Gi --db en ny fil eller en Kassebro-database.`,
    corrupt: (file) =>
      `Databasen ${file} er skadet eller ikke en database; ingenting er endret. Hent den fra en sikkerhetskopi, eller start et nytt hjem.`,
    read_only: (file) =>
      `Databasen ${file} kan ikke skrives (skrivebeskyttet fil, mappe eller disk, eller mangler tilgang); ingenting er lagret. Gi brukeren skrivetilgang til filen og mappen.`,
    disk_full: (file) =>
      `Disken med databasen ${file} er full; ingenting er lagret. Frigjør plass og kjør kommandoen igjen.`,
    locked: (file) =>
      `Databasen ${file} var låst av en annen Kassebro (eller et annet program) for lenge; ingenting er lagret. Kjør kommandoen igjen om litt.`,
  },
  sv: {
    foreign: (file) =>
      `${file} är inte en Kassebro-databas (den tillhör ett annat program); den har inte ändrats. Ge --db en ny fil eller en Kassebro-databas.`,
    corrupt: (file) =>
      `Databasen ${file} är skadad eller ingen databas alls; inget har ändrats. Återställ den från en säkerhetskopia, eller starta ett nytt hem.`,
    read_only: (file) =>
      `Databasen ${file} går inte att skriva (skrivskyddad fil, mapp eller disk, eller saknad behörighet); inget har sparats. Ge användaren skrivrätt till filen och mappen.`,
    disk_full: (file) =>
      `Disken med databasen ${file} är full; inget har sparats. Frigör utrymme och kör kommandot igen.`,
    locked: (file) =>
      `Databasen ${file} var låst av en annan Kassebro (eller ett annat program) för länge; inget har sparats. Kör kommandot igen om en stund.`,
  },
};

/** The database file cannot be used as it is; `describe` says so in the user's language. */
export class DatabaseFileError extends Error {
  constructor(
    readonly problem: DatabaseFileProblem,
    readonly file: string,
    cause?: unknown,
  ) {
    super(TEXTS.en[problem](file), { cause });
    this.name = 'DatabaseFileError';
  }

  describe(language: Language): string {
    return TEXTS[language][this.problem](this.file);
  }
}

/** SQLite's primary result codes (extended codes start with them) and the OS's, by what they mean for the file. */
const SQLITE_CODES: readonly (readonly [string, DatabaseFileProblem])[] = [
  ['SQLITE_NOTADB', 'corrupt'],
  ['SQLITE_CORRUPT', 'corrupt'],
  ['SQLITE_READONLY', 'read_only'],
  ['SQLITE_CANTOPEN', 'read_only'],
  ['SQLITE_PERM', 'read_only'],
  ['SQLITE_FULL', 'disk_full'],
  ['SQLITE_BUSY', 'locked'],
  ['SQLITE_LOCKED', 'locked'],
];
const OS_CODES: Readonly<Record<string, DatabaseFileProblem>> = {
  EACCES: 'read_only',
  EPERM: 'read_only',
  EROFS: 'read_only',
  ENOSPC: 'disk_full',
};

/**
 * The error as a DatabaseFileError naming `file`, when it is about the file itself (an SQLite
 * result code or an OS error on that path); null for anything else.
 */
export function asDatabaseFileError(error: unknown, file: string): DatabaseFileError | null {
  if (error instanceof DatabaseFileError) return error;
  if (error instanceof Database.SqliteError) {
    const found = SQLITE_CODES.find(([code]) => error.code === code || error.code.startsWith(`${code}_`));
    return found ? new DatabaseFileError(found[1], file, error) : null;
  }
  const os = error as NodeJS.ErrnoException | undefined;
  const osProblem = os?.code ? OS_CODES[os.code] : undefined;
  if (osProblem && typeof os?.path === 'string' && file.startsWith(os.path)) {
    return new DatabaseFileError(osProblem, file, error);
  }
  return null;
}
