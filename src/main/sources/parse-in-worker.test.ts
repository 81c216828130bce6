import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  registerClose,
  registerOpen,
  reportEvent,
  saftHead,
  saftTail,
  type ReportFixture,
} from '../../../test/fixtures/saft';
import { writeSaftYear } from '../../../test/fixtures/saft-year';
import { useTempHome } from '../../../test/helpers/temp-home';
import { openDatabase } from '../store/database';
import { listLog } from '../store/integration-log';
import { listSettlements } from '../store/settlements';
import { importFile, parseFile } from './import-file';
import { importFileInWorker, parseFileInWorker, ParseWorkerError } from './parse-in-worker';
import type { ParseProgress } from './parse-worker-protocol';
import { SourceError } from './source-error';

const newHome = useTempHome();
const NO_OVERRIDES = { saftPaymentKeys: {}, sie4AccountKeys: {} };

function zReport(day: number, total = '125.00'): ReportFixture {
  return {
    kind: 'Z',
    id: String(day),
    date: `2026-03-${String(day).padStart(2, '0')}`,
    time: '22:00:00',
    total,
    vats: [{ code: '3', perc: '25.00', net: '100.00', vat: '25.00' }],
    payments: [{ type: 'DEBCARD', amount: total }],
  };
}

/** Ten good Z reports, then (optionally) one whose total is not a number: the last thing in the file. */
function writeTenDays(path: string, badLast: boolean): void {
  const reports = Array.from({ length: 10 }, (_, index) => reportEvent(zReport(index + 1), '10009'));
  if (badLast) reports.push(reportEvent(zReport(11, '12x.00'), '10009'));
  writeFileSync(path, saftHead() + registerOpen('10009') + reports.join('') + registerClose + saftTail);
}

// Each case starts a parse worker, which under vitest loads tsx first: seconds on a busy machine.
describe('reading a file in the parse worker', { timeout: 60_000 }, () => {
  it('returns exactly what the reader returns on the calling thread', async () => {
    const path = join(newHome(), 'ten.xml');
    writeTenDays(path, false);
    const inWorker = await parseFileInWorker({ path, format: 'auto', overrides: NO_OVERRIDES });
    expect(inWorker).toEqual(parseFile(path, 'auto', NO_OVERRIDES));
    expect(inWorker.drafts).toHaveLength(10);
  });

  it('raises the same SourceError, with the same file, line and field, as reading here does', async () => {
    const path = join(newHome(), 'bad.xml');
    writeTenDays(path, true);
    let here: unknown;
    try {
      parseFile(path, 'auto', NO_OVERRIDES);
    } catch (error) {
      here = error;
    }
    expect(here).toBeInstanceOf(SourceError);
    const there = await parseFileInWorker({ path, format: 'auto', overrides: NO_OVERRIDES }).catch((error) => error);
    expect(there).toBeInstanceOf(SourceError);
    expect(there).toMatchObject({
      message: (here as SourceError).message,
      location: (here as SourceError).location,
      field: (here as SourceError).field,
    });
  });

  it('stores nothing from a file whose last report is bad, and logs the refusal as importFile does', async () => {
    const home = newHome();
    const path = join(home, 'bad.xml');
    writeTenDays(path, true);
    const db = openDatabase(join(home, 'kassebro.sqlite'));
    const refusal = await importFileInWorker(db, path).catch((error) => error);
    expect(refusal).toBeInstanceOf(SourceError);
    expect(listSettlements(db)).toEqual([]);
    expect(listLog(db, 5)).toContainEqual(
      expect.objectContaining({ code: 'import_failed', message: (refusal as SourceError).message }),
    );
    expect(() => importFile(db, path)).toThrow((refusal as SourceError).message);
  });

  it('stores every report of a good file on the calling thread, and a second import finds them all present', async () => {
    const home = newHome();
    const path = join(home, 'ten.xml');
    writeTenDays(path, false);
    const db = openDatabase(join(home, 'kassebro.sqlite'));
    const first = await importFileInWorker(db, path);
    expect(first).toMatchObject({ file: path, format: 'saft', duplicates: [], conflicts: [] });
    expect(first.imported).toHaveLength(10);
    expect(listSettlements(db)).toHaveLength(10);
    const again = await importFileInWorker(db, path);
    expect([again.imported.length, again.duplicates.length]).toEqual([0, 10]);
  });

  it('turns a worker that dies (here: out of memory) into a clear ParseWorkerError', async () => {
    const path = join(newHome(), 'ten.xml');
    writeTenDays(path, false);
    const crash = await parseFileInWorker(
      { path, format: 'auto', overrides: NO_OVERRIDES },
      { resourceLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 } },
    ).catch((error) => error);
    expect(crash).toBeInstanceOf(ParseWorkerError);
    expect((crash as Error).message).toMatch(/ten\.xml: not read: the parse worker crashed .*; nothing was stored$/);
  });

  it('keeps the calling thread answering while a large file is read, with monotonic progress to the end', async () => {
    const path = join(newHome(), 'year.xml');
    writeSaftYear(path, 30);
    const size = statSync(path).size;
    const progress: ParseProgress[] = [];
    // A timer that keeps ticking is what another API call needs too: the event loop is free.
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 5);
    let ticksAtLastProgress = 0;
    const result = await parseFileInWorker(
      { path, format: 'saft', overrides: NO_OVERRIDES },
      {
        onProgress: (step) => {
          progress.push(step);
          ticksAtLastProgress = ticks;
        },
      },
    ).finally(() => clearInterval(ticker));
    expect(result.drafts).toHaveLength(730);
    expect(progress.length).toBeGreaterThan(2);
    expect(ticksAtLastProgress).toBeGreaterThan(2);
    for (const [index, step] of progress.entries()) {
      expect(step.totalBytes).toBe(size);
      if (index === 0) continue;
      const before = progress[index - 1]!;
      expect(step.bytesRead).toBeGreaterThanOrEqual(before.bytesRead);
      expect(step.reportsFound).toBeGreaterThanOrEqual(before.reportsFound);
    }
    expect(progress.at(-1)).toEqual({ bytesRead: size, totalBytes: size, reportsFound: 730 });
  });
});
