import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MIGRATIONS } from './migrations/index';
import type { Migration } from './migrations/migration';
import { SchemaError } from './schema-error';

export { SchemaError };

export type Db = Database.Database;

export interface OpenOptions {
  readonly migrations?: readonly Migration[];
  readonly now?: () => Date;
}

/**
 * Opens (or creates) the installation's database: WAL so the UI can read while the engine
 * writes, foreign keys on, and every pending numbered migration applied in one transaction each.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options.migrations ?? MIGRATIONS, options.now ?? (() => new Date()));
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
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
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.id, migration.name, now().toISOString());
      db.pragma(`user_version = ${migration.id}`);
    })();
  }
}
