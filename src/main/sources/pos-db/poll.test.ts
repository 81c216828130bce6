import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useTempHome } from '../../../../test/helpers/temp-home';
import { generateDemoPosDatabase } from '../../demo/generate-pos-db';
import { resourcesDir } from '../../paths';
import { openDatabase } from '../../store/database';
import { writeSetting } from '../../store/settings';
import { SourceError } from '../source-error';
import { DEFAULT_POLL_SECONDS, pollIntervalSeconds, pollOnce, POLL_SETTING } from './poll';
import { loadPosProfile } from './read-pos-db';

const newHome = useTempHome();

function setup() {
  const dir = newHome();
  const posDatabase = join(dir, 'pos.sqlite');
  generateDemoPosDatabase(posDatabase, { seed: 1, days: 3, lastDay: '2026-11-20' });
  const profile = loadPosProfile(join(resourcesDir(), 'demo', 'demo-pos.profile.json'));
  return { db: openDatabase(join(dir, 'kassebro.sqlite')), posDatabase, profile };
}

describe('pollOnce', () => {
  it('imports each report exactly once, and a new Z on the next poll', async () => {
    const { db, posDatabase, profile } = setup();
    const first = await pollOnce(db, { posDatabase, profile });
    expect(first.imported.length).toBeGreaterThan(4);
    const second = await pollOnce(db, { posDatabase, profile });
    expect(second.imported).toEqual([]);
    expect(second.duplicates).toHaveLength(first.imported.length);

    const pos = new Database(posDatabase);
    const id = pos
      .prepare(
        "INSERT INTO reports (register_no, report_type, report_count, business_day, opened, closed) VALUES (10009, 'Z', 99, '2026-11-21', '2026-11-21T09:00:00', '2026-11-21T21:00:00')",
      )
      .run().lastInsertRowid;
    pos.prepare("INSERT INTO report_totals VALUES (?, 1, 'KONTANT', '100.00', '0.00')").run(id);
    pos.prepare("INSERT INTO report_totals VALUES (?, 2, 'SALG_0', '100.00', '0.00')").run(id);
    pos.close();
    const third = await pollOnce(db, { posDatabase, profile });
    expect(third.imported.map((r) => `${r.kind} ${r.number} ${r.businessDate}`)).toEqual(['Z 99/10009 2026-11-21']);
  });

  it('waits for a POS that holds its database locked, then reads', async () => {
    const { db, posDatabase, profile } = setup();
    const pos = new Database(posDatabase);
    pos.exec('BEGIN EXCLUSIVE');
    setTimeout(() => pos.exec('COMMIT'), 150);
    const outcome = await pollOnce(db, { posDatabase, profile, busyTimeoutMs: 10, retryDelayMs: 50, attempts: 6 });
    expect(outcome.imported.length).toBeGreaterThan(0);
    pos.close();
  });

  it('gives up with a SourceError when the POS stays locked', async () => {
    const { db, posDatabase, profile } = setup();
    const pos = new Database(posDatabase);
    pos.exec('BEGIN EXCLUSIVE');
    const poll = pollOnce(db, { posDatabase, profile, busyTimeoutMs: 10, retryDelayMs: 10, attempts: 2 });
    await expect(poll).rejects.toBeInstanceOf(SourceError);
    await expect(poll).rejects.toThrow(/database is locked/);
    pos.exec('COMMIT');
    pos.close();
  });
});

describe('pollIntervalSeconds', () => {
  it('defaults to 60 s and follows a valid setting', () => {
    const { db } = setup();
    expect(pollIntervalSeconds(db)).toBe(DEFAULT_POLL_SECONDS);
    writeSetting(db, POLL_SETTING, 15);
    expect(pollIntervalSeconds(db)).toBe(15);
    writeSetting(db, POLL_SETTING, 'often');
    expect(pollIntervalSeconds(db)).toBe(DEFAULT_POLL_SECONDS);
  });
});
