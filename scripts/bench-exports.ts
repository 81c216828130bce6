/**
 * File-export figures (no assertions): a year of Z-reports (365, plus the 3 fixture days) exported to SIE4, GBAT10,
 * Xledger and Duett in
 * one run, then a re-run that finds nothing new. Run with `npm run bench:exports`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DUETT_SETTINGS,
  exportFixture,
  GBAT10_SETTINGS,
  norwegianExportDays,
  SIE4_SETTINGS,
  swedishExportDays,
  XLEDGER_SETTINGS,
} from '../test/fixtures/export-days';
import { readDuett } from '../src/main/exports/duett/read-duett';
import { readXledger } from '../src/main/exports/xledger/read-xledger';
import { readGbat10 } from '../src/main/exports/gbat10/read-gbat10';
import { exportFileTarget } from '../src/main/exports/run-export';
import { readSie4 } from '../src/main/exports/sie4/read-sie4';
import { importSettlements } from '../src/main/store/settlements';

const DAYS = 365;
const folder = mkdtempSync(join(tmpdir(), 'kassebro-bench-exports-'));
try {
  const bench = {
    sie4: { settings: SIE4_SETTINGS, read: (bytes: Buffer) => readSie4(bytes).vouchers.length },
    gbat10: { settings: GBAT10_SETTINGS, read: (bytes: Buffer) => readGbat10(bytes).length },
    xledger: { settings: XLEDGER_SETTINGS, read: (bytes: Buffer) => readXledger(bytes).length },
    duett: {
      settings: DUETT_SETTINGS,
      read: (bytes: Buffer) => readDuett(bytes).length,
    },
  };
  for (const kind of ['sie4', 'gbat10', 'xledger', 'duett'] as const) {
    const db = exportFixture(kind, bench[kind].settings);
    const template = (kind === 'sie4' ? swedishExportDays() : norwegianExportDays())[0]!;
    const year = Array.from({ length: DAYS }, (_, index) => ({
      ...template,
      reportNumber: `${1000 + index}/10009`,
      businessDate: new Date(Date.UTC(2025, 0, 1 + index)).toISOString().slice(0, 10),
    }));
    importSettlements(db, year);

    const started = performance.now();
    const result = exportFileTarget(db, kind, { folder });
    const firstMs = performance.now() - started;
    const rerunStart = performance.now();
    const rerun = exportFileTarget(db, kind, { folder });
    const rerunMs = performance.now() - rerunStart;
    const bytes = readFileSync(result.file!.path);
    const readStart = performance.now();
    const readBack = bench[kind].read(bytes);
    const readMs = performance.now() - readStart;
    console.log(
      `${kind} export: ${result.exported.length} Z-reports in ${firstMs.toFixed(0)} ms (${(bytes.length / 1024).toFixed(0)} KiB); ` +
        `re-run exported ${rerun.exported.length} in ${rerunMs.toFixed(0)} ms; reader checked ${readBack} vouchers in ${readMs.toFixed(0)} ms`,
    );
    db.close();
  }
} finally {
  rmSync(folder, { recursive: true, force: true });
}
