import { appendFileSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OFFICIAL_EXAMPLE } from '../../../test/fixtures/saft';
import { useTempHome } from '../../../test/helpers/temp-home';
import { openDatabase } from '../store/database';
import { listSettlements } from '../store/settlements';
import { FolderWatcher } from './watch-folder';

const newHome = useTempHome();

function setup() {
  const home = newHome();
  const dir = join(home, 'inbox');
  mkdirSync(dir);
  return { db: openDatabase(join(home, 'kassebro.sqlite')), dir };
}

// Each import starts a parse worker, which under vitest loads tsx first: seconds on a busy machine.
describe('FolderWatcher', { timeout: 60_000 }, () => {
  it('imports a file once it stopped changing, moves it to processed/, and never reads it again', async () => {
    const { db, dir } = setup();
    const watcher = new FolderWatcher(db, dir);
    copyFileSync(OFFICIAL_EXAMPLE, join(dir, 'z.xml'));
    expect(await watcher.scan()).toEqual([]);
    const [event] = await watcher.scan();
    expect(event).toMatchObject({ status: 'imported', movedTo: join(dir, 'processed', 'z.xml') });
    expect(existsSync(join(dir, 'z.xml'))).toBe(false);
    expect(await watcher.scan()).toEqual([]);
    expect(listSettlements(db)).toHaveLength(1);
  });

  it('waits while a file is still being written', async () => {
    const { db, dir } = setup();
    const watcher = new FolderWatcher(db, dir);
    const whole = readFileSync(OFFICIAL_EXAMPLE);
    const path = join(dir, 'growing.xml');
    writeFileSync(path, whole.subarray(0, 10_000));
    expect(await watcher.scan()).toEqual([]);
    appendFileSync(path, whole.subarray(10_000, 20_000));
    expect(await watcher.scan()).toEqual([]);
    appendFileSync(path, whole.subarray(20_000));
    expect(await watcher.scan()).toEqual([]);
    expect((await watcher.scan()).map((event) => event.status)).toEqual(['imported']);
  });

  it('puts a bad file in failed/ with the reason and still imports the others; a re-export adds nothing', async () => {
    const { db, dir } = setup();
    const watcher = new FolderWatcher(db, dir);
    writeFileSync(join(dir, 'a-bad.csv'), 'register;number;date;key;amount\n1;1;2026-11-21;kort;10\n');
    copyFileSync(OFFICIAL_EXAMPLE, join(dir, 'b.xml'));
    copyFileSync(OFFICIAL_EXAMPLE, join(dir, 'c-again.xml'));
    await watcher.scan();
    const events = await watcher.scan();
    expect(events.map((event) => `${event.status} ${event.movedTo.slice(dir.length + 1)}`)).toEqual([
      `failed failed/a-bad.csv`,
      'imported processed/b.xml',
      'imported processed/c-again.xml',
    ]);
    expect(readFileSync(join(dir, 'failed', 'a-bad.csv.error.txt'), 'utf8')).toContain(
      '"kort" is not a settlement key',
    );
    const again = events[2]!;
    expect(again.status === 'imported' && again.outcome.duplicates.length).toBe(1);
    expect(listSettlements(db)).toHaveLength(1);
  });
});
