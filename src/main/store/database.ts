import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { asDatabaseFileError, DatabaseFileError } from './database-file-error';
import { MIGRATIONS } from './migrations/index';
import type { Migration } from './migrations/migration';
import { SchemaError } from './schema-error';

export { SchemaError };

export type Db = Database.Database;

export interface OpenOptions {
  readonly migrations?: readonly Migration[];
  readonly now?: () => Date;
}

/** PRAGMA application_id of a Kassebro database ("KBRO"): set on every database it opens. */
export const KASSEBRO_APPLICATION_ID = 0x4b42524f;

/**
 * Opens (or creates) the installation's database: WAL so the UI can read while the engine
 * writes, foreign keys on, and every pending numbered migration applied in one transaction each.
 * A file that is not a Kassebro database is refused before anything in it is changed; the home
 * folder Kassebro creates is private (0700) and the database with its WAL and SHM files 0600.
 * Failures of the file itself (corrupt, read-only, disk full, locked) come as DatabaseFileError.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (path === ':memory:') return initialise(new Database(path), options);
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    if (existsSync(path)) refuseForeign(path);
    // Created here, owner-only, so SQLite makes its WAL and SHM files with the same mode.
    else closeSync(openSync(path, 'a', 0o600));
    const db = initialise(new Database(path, { timeout: BUSY_TIMEOUT_MS }), options);
    keepPrivate(path);
    return db;
  } catch (error) {
    throw asDatabaseFileError(error, path) ?? error;
  }
}

const BUSY_TIMEOUT_MS = 5000;

function initialise(db: Db, options: OpenOptions): Db {
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    migrate(db, options.migrations ?? MIGRATIONS, options.now ?? (() => new Date()));
    if (db.pragma('application_id', { simple: true }) !== KASSEBRO_APPLICATION_ID) {
      db.pragma(`application_id = ${KASSEBRO_APPLICATION_ID}`);
    }
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Looks at an existing file read-only: an empty one is Kassebro's to initialise, and so is one
 * with Kassebro's application_id or, from versions before it was set, its schema_migrations table.
 * Anything else belongs to another program and must not be touched (no WAL switch, no tables).
 */
function refuseForeign(path: string): void {
  if (statSync(path).size === 0) return;
  const db = new Database(path, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  try {
    const applicationId = db.pragma('application_id', { simple: true }) as number;
    if (applicationId === KASSEBRO_APPLICATION_ID) return;
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[];
    const kassebroBefore = applicationId === 0 && tables.includes('schema_migrations');
    if (kassebroBefore || (applicationId === 0 && tables.length === 0)) return;
    throw new DatabaseFileError('foreign', path);
  } finally {
    db.close();
  }
}

/** The shop's sales are nobody else's business: owner-only, also for files made by older versions. */
function keepPrivate(path: string): void {
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    if (existsSync(file)) chmodSync(file, 0o600);
  }
}

/**
 * Runs `work` in an IMMEDIATE transaction: the write lock is taken (waiting up to busy_timeout)
 * before the first read. A deferred transaction that reads and then writes gets SQLITE_BUSY at
 * once in WAL mode when another process wrote in between, without waiting; this one waits.
 * Inside another transaction it is a savepoint, as better-sqlite3 nests them.
 */
export function writeTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function migrate(db: Db, migrations: readonly Migration[], now: () => Date = () => new Date()): void {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`);
  const applied = db.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all() as {
    id: number;
    name: string;
  }[];
  const known = new Map(migrations.map((migration) => [migration.id, migration]));
  const newest = migrations.at(-1)?.id ?? 0;

  for (const row of applied) {
    if (row.id > newest) {
      throw new SchemaError(
        `This database has schema version ${Math.max(...applied.map((r) => r.id))}, written by a newer Kassebro; ` +
          `this version knows up to ${newest}. Update Kassebro, or open a backup made with this version.`,
      );
    }
    const migration = known.get(row.id);
    if (!migration || migration.name !== row.name) {
      throw new SchemaError(
        `Schema step ${row.id} in this database is "${row.name}", but this Kassebro calls it "${migration?.name ?? '(none)'}"; ` +
          'the database was made by a different build. Refusing to touch it.',
      );
    }
  }

  const done = new Set(applied.map((row) => row.id));
  const record = db.prepare('INSERT INTO schema_migrations (id, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of migrations) {
    if (done.has(migration.id)) continue;
    writeTransaction(db, () => {
      // Another process may have applied it since we looked (two commands starting on a new home).
      if (db.prepare('SELECT 1 FROM schema_migrations WHERE id = ?').get(migration.id)) return;
      db.exec(migration.sql);
      record.run(migration.id, migration.name, now().toISOString());
      db.pragma(`user_version = ${migration.id}`);
    });
  }
}
