import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../test/helpers/temp-home';
import { migrate, openDatabase, SchemaError, schemaVersion } from './database';
import { MIGRATIONS } from './migrations/index';
import type { Migration } from './migrations/migration';

const newHome = useTempHome();

describe('openDatabase', () => {
  it('creates a fresh database with WAL, foreign keys and every table at the newest version', () => {
    const db = openDatabase(join(newHome(), 'nested', 'kassebro.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(schemaVersion(db)).toBe(MIGRATIONS.at(-1)!.id);
    const tables = (
      db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]
    ).map((row) => row.name);
    expect(tables).toEqual(
      expect.arrayContaining([
        'settings',
        'settlements',
        'settlement_lines',
        'targets',
        'mappings',
        'department_mappings',
        'chart_accounts',
        'chart_vat_codes',
        'vouchers',
        'integration_log',
        'terminal_reports',
        'schema_migrations',
      ]),
    );
    db.close();
  });

  it('is STRICT about money: a float amount is refused', () => {
    const db = openDatabase(':memory:');
    db.prepare(
      "INSERT INTO settlements (source, location, register_id, kind, report_number, business_date, currency, imported_at) VALUES ('s', '1', '1', 'Z', '1/1', '2026-11-20', 'NOK', 'now')",
    ).run();
    expect(() =>
      db
        .prepare("INSERT INTO settlement_lines (settlement_id, line_no, key, amount) VALUES (1, 1, 'cash', 12.5)")
        .run(),
    ).toThrow(/cannot store REAL value in INTEGER column/);
    db.close();
  });

  it('upgrades an older database in place and keeps its data', () => {
    const path = join(newHome(), 'kassebro.sqlite');
    const first = openDatabase(path, { migrations: MIGRATIONS.slice(0, 1) });
    first.prepare("INSERT INTO settings (key, value) VALUES ('kept', '\"yes\"')").run();
    first.close();

    const addColumn: Migration = { id: 2, name: 'settings-note', sql: 'ALTER TABLE settings ADD COLUMN note TEXT' };
    const upgraded = openDatabase(path, { migrations: [...MIGRATIONS.slice(0, 1), addColumn] });
    expect(schemaVersion(upgraded)).toBe(2);
    expect(upgraded.prepare("SELECT value, note FROM settings WHERE key = 'kept'").get()).toEqual({
      value: '"yes"',
      note: null,
    });
    expect(upgraded.prepare('SELECT id, name FROM schema_migrations ORDER BY id').all()).toEqual([
      { id: 1, name: 'initial' },
      { id: 2, name: 'settings-note' },
    ]);
    upgraded.close();
  });

  it('refuses a database written by a newer Kassebro, with a clear message, and leaves it untouched', () => {
    const path = join(newHome(), 'kassebro.sqlite');
    const future: Migration = { id: 99, name: 'from-the-future', sql: 'CREATE TABLE future (x INTEGER)' };
    openDatabase(path, { migrations: [...MIGRATIONS, future] }).close();
    expect(() => openDatabase(path)).toThrow(SchemaError);
    expect(() => openDatabase(path)).toThrow(
      `schema version 99, written by a newer Kassebro; this version knows up to ${MIGRATIONS.at(-1)?.id}.`,
    );
    const raw = new Database(path, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(99);
    raw.close();
  });

  it('refuses a database whose migration history differs from this build', () => {
    const db = new Database(':memory:');
    migrate(db, [{ id: 1, name: 'something-else', sql: 'CREATE TABLE t (x INTEGER)' }]);
    expect(() => migrate(db, MIGRATIONS)).toThrow(/is "something-else", but this Kassebro calls it "initial"/);
    db.close();
  });

  it('rolls back a failing migration completely', () => {
    const db = new Database(':memory:');
    const newest = MIGRATIONS.at(-1)?.id ?? 0;
    const broken: Migration = {
      id: newest + 1,
      name: 'broken',
      sql: 'CREATE TABLE half (x INTEGER); CREATE TABLE half (x INTEGER);',
    };
    expect(() => migrate(db, [...MIGRATIONS, broken])).toThrow();
    expect(schemaVersion(db)).toBe(newest);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
    db.close();
  });
});
