import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli as run } from '../../../test/helpers/run-cli';
import { useTempHome } from '../../../test/helpers/temp-home';
import { KASSEBRO_APPLICATION_ID, openDatabase, schemaVersion } from './database';
import { asDatabaseFileError, DatabaseFileError } from './database-file-error';
import { initial } from './migrations/0001-initial';
import { MIGRATIONS } from './migrations/index';

const newHome = useTempHome();

const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);

/** Another program's database: its own tables, one of them called like ours, no Kassebro marker. */
function foreignDatabase(path: string): void {
  const db = new Database(path);
  db.exec(`CREATE TABLE settlements (shop TEXT, total REAL); INSERT INTO settlements VALUES ('other app', 12.5);`);
  db.close();
}

describe('a file that is not a Kassebro database', () => {
  it('is refused, named, and left byte for byte as it was (no WAL, no tables)', async () => {
    const file = join(newHome(), 'other-app.db');
    foreignDatabase(file);
    const before = readFileSync(file);
    const result = await run(['--db', file, '--lang', 'nb', 'settlements']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `kassebro: ${file} er ikke en Kassebro-database (den tilhører et annet program); den er ikke endret. ` +
        'Gi --db en ny fil eller en Kassebro-database.\n',
    );
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(existsSync(`${file}-wal`)).toBe(false);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    db.close();
  });

  it('is refused when another program set its own application_id, even with no tables', () => {
    const file = join(newHome(), 'marked.db');
    const db = new Database(file);
    db.pragma('application_id = 1234');
    db.close();
    expect(() => openDatabase(file)).toThrow(DatabaseFileError);
  });

  it('an empty file is initialised and marked as Kassebro’s', () => {
    const file = join(newHome(), 'empty.sqlite');
    writeFileSync(file, '');
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.id);
    expect(db.pragma('application_id', { simple: true })).toBe(KASSEBRO_APPLICATION_ID);
    db.close();
  });

  it('a database of an earlier Kassebro (migrations table, no application_id) opens, is upgraded and marked', () => {
    const file = join(newHome(), 'kassebro.sqlite');
    const old = new Database(file);
    old.exec(`CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;
      ${initial.sql};
      INSERT INTO schema_migrations VALUES (1, '${initial.name}', '2026-01-01T00:00:00Z');
      PRAGMA user_version = 1;`);
    old.close();
    const db = openDatabase(file);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.id);
    expect(db.pragma('application_id', { simple: true })).toBe(KASSEBRO_APPLICATION_ID);
    db.close();
  });
});

describe('file modes', () => {
  it.skipIf(process.platform === 'win32')(
    'a home Kassebro creates is 0700; the database, its WAL and SHM 0600, also when an older one was 0644',
    () => {
      const home = join(newHome(), 'Kassebro');
      const file = join(home, 'kassebro.sqlite');
      const db = openDatabase(file);
      db.prepare(`INSERT INTO settings (key, value) VALUES ('x', '1')`).run();
      expect(mode(home)).toBe('700');
      expect([file, `${file}-wal`, `${file}-shm`].map(mode)).toEqual(['600', '600', '600']);
      db.close();

      const older = join(newHome(), 'kassebro.sqlite');
      openDatabase(older).close();
      chmodSync(older, 0o644);
      expect(mode(older)).toBe('644');
      openDatabase(older).close();
      expect(mode(older)).toBe('600');
    },
  );
});

describe('a database file that cannot be used', () => {
  it('corrupt: the CLI names the file in the user’s language instead of "unexpected error"', async () => {
    const file = join(newHome(), 'kassebro.sqlite');
    writeFileSync(file, 'This is not a database, but it is long enough to have a header. '.repeat(4));
    const result = await run(['--db', file, '--lang', 'sv', 'vouchers']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `kassebro: Databasen ${file} är skadad eller ingen databas alls; inget har ändrats. ` +
        'Återställ den från en säkerhetskopia, eller starta ett nytt hem.\n',
    );
  });

  it('read-only, disk full and locked SQLite errors map to their reason, naming the file', () => {
    const file = join(newHome(), 'kassebro.sqlite');
    openDatabase(file).close();
    const problemOf = (work: () => void): string | undefined => {
      try {
        work();
      } catch (error) {
        return asDatabaseFileError(error, file)?.problem;
      }
      return undefined;
    };

    const readOnly = new Database(file, { readonly: true });
    expect(problemOf(() => readOnly.prepare(`INSERT INTO settings (key, value) VALUES ('a', '1')`).run())).toBe(
      'read_only',
    );
    readOnly.close();

    // SQLite's own "database or disk is full": the file may not grow beyond the pages it has.
    const full = openDatabase(file);
    full.pragma(`max_page_count = ${full.pragma('page_count', { simple: true }) as number}`);
    const big = 'x'.repeat(100_000);
    expect(problemOf(() => full.prepare(`INSERT INTO settings (key, value) VALUES ('big', ?)`).run(big))).toBe(
      'disk_full',
    );
    full.close();

    const holder = openDatabase(file);
    holder.exec('BEGIN IMMEDIATE');
    const waiter = new Database(file, { timeout: 50 });
    expect(problemOf(() => waiter.exec('BEGIN IMMEDIATE'))).toBe('locked');
    waiter.close();
    holder.exec('ROLLBACK');
    holder.close();

    expect(asDatabaseFileError(new Error('something else'), file)).toBeNull();
    const message = new DatabaseFileError('disk_full', file).describe('nb');
    expect(message).toBe(
      `Disken med databasen ${file} er full; ingenting er lagret. Frigjør plass og kjør kommandoen igjen.`,
    );
  });

  it.skipIf(process.platform === 'win32' || process.getuid?.() !== 0 || !canMakeImmutable())(
    'read-only file (immutable even for root): the CLI says so, naming the file',
    async () => {
      const file = join(newHome(), 'kassebro.sqlite');
      openDatabase(file).close();
      spawnSync('chattr', ['+i', file]);
      try {
        const result = await run(['--db', file, '--lang', 'en', 'settlements']);
        expect(result.code).toBe(2);
        expect(result.stderr).toContain(`kassebro: The database ${file} cannot be written`);
      } finally {
        spawnSync('chattr', ['-i', file]);
      }
    },
  );
});

/** chattr +i works on this file system with these privileges (tests run as root; 0444 would not stop root). */
function canMakeImmutable(): boolean {
  const probe = join(newHome(), 'probe');
  writeFileSync(probe, '');
  const made = spawnSync('chattr', ['+i', probe]).status === 0;
  if (made) spawnSync('chattr', ['-i', probe]);
  return made;
}
