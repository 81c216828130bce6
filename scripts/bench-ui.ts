/**
 * UI figures (printed, no assertions): renderer bundle size, integration-log page queries at
 * 100 000 rows, and the log table's scroll frame time in Chromium through `kassebro serve`.
 * Run with `npm run bench:ui` after `npm run build`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { appendLog } from '../src/main/store/integration-log';
import { pageLog } from '../src/main/store/integration-log-query';
import { openDatabase } from '../src/main/store/database';
import { e2eSkipReason, launchBrowser, measureScroll, ROOT, startServe, VIEWPORT } from '../test/e2e/harness';

const ROWS = 100_000;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;

const assets = join(ROOT, 'out', 'renderer', 'assets');
let raw = 0;
let gzip = 0;
for (const file of readdirSync(assets)) {
  const content = readFileSync(join(assets, file));
  raw += content.length;
  gzip += gzipSync(content, { level: 9 }).length;
  console.log(`renderer ${file}: ${kb(content.length)} (gzip ${kb(gzipSync(content, { level: 9 }).length)})`);
}
console.log(`renderer total: ${kb(raw)} (gzip ${kb(gzip)})`);

const home = mkdtempSync(join(tmpdir(), 'kassebro-bench-ui-'));
try {
  const databaseFile = join(home, 'kassebro.sqlite');
  const db = openDatabase(databaseFile);
  const seedStart = performance.now();
  db.transaction(() => {
    for (let index = 0; index < ROWS; index += 1) {
      appendLog(
        db,
        {
          module: ['voucher', 'chart', 'login'][index % 3] ?? 'voucher',
          status: index % 10 === 0 ? 'not_transferred' : 'transferred',
          message: `Bilag ${index}`,
          payload: { voucher: index },
        },
        new Date(Date.UTC(2026, 7, 1) + index * 60_000),
      );
    }
  })();
  console.log(`seeded ${ROWS} log rows in ${(performance.now() - seedStart).toFixed(0)} ms`);
  const time = (label: string, run: () => unknown): void => {
    const start = performance.now();
    for (let round = 0; round < 10; round += 1) run();
    console.log(`${label}: ${((performance.now() - start) / 10).toFixed(2)} ms per page`);
  };
  time('log page (200 rows) at offset 0', () => pageLog(db, {}, 0, 200));
  time('log page (200 rows) at offset 99 800', () => pageLog(db, {}, 99_800, 200));
  time('log page filtered by status+module', () => pageLog(db, { status: 'not_transferred', module: 'chart' }, 0, 200));
  db.close();

  const skip = e2eSkipReason();
  if (skip) {
    console.log(`scroll frame time: skipped (${skip})`);
  } else {
    const served = await startServe(databaseFile);
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage({ viewport: VIEWPORT });
      await page.goto(served.url);
      await page.getByRole('navigation').getByRole('button', { name: 'Integrasjonslogg' }).click();
      await page.getByTestId('log-row').first().waitFor();
      for (const step of [160, 640, 3200]) {
        const figures = await measureScroll(page, '[data-testid="log-scroller"]', 3000, step);
        console.log(`log scroll ${step} px/frame at ${ROWS} rows: ${JSON.stringify(figures)}`);
      }
    } finally {
      await browser.close();
      await served.stop();
    }
  }
} finally {
  rmSync(home, { recursive: true, force: true });
}
