import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendLog } from '../../src/main/store/integration-log';
import { openDatabase } from '../../src/main/store/database';
import { PRESETS } from '../../src/main/mapping/presets';
import { saveKontooppsett } from '../../src/main/store/mappings';
import { saveTarget } from '../../src/main/store/targets';
import { useTempHome } from '../helpers/temp-home';
import {
  e2eSkipReason,
  launchBrowser,
  measureScroll,
  ROOT,
  screenshot,
  SCREENSHOTS,
  startServe,
  VIEWPORT,
  type Served,
} from './harness';

// End-to-end: the real `kassebro serve` (spawned as a user would) driven in Debian's Chromium.
// Without Chromium or a built renderer these report as skipped, never as passed.
const skipReason = e2eSkipReason();
if (skipReason) console.warn(`e2e skipped: ${skipReason}`);
const newHome = useTempHome();
const JOURNEY_TIMEOUT = 120_000;
/** Waits for the UI to catch up; generous because CI runs other test files on the same two cores. */
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 15_000 });

async function openApp(browser: Browser, served: Served): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: VIEWPORT, locale: 'nb-NO' });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(served.url);
  return { page, errors };
}

/** Text with the locale's non-breaking group separators turned into plain spaces. */
const plain = async (text: Promise<string | null>): Promise<string> => ((await text) ?? '').replace(/\s/g, ' ');

const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name });

describe.skipIf(skipReason)('owner journeys on demo data (kassebro serve + Chromium)', () => {
  let browser: Browser;
  let served: Served;
  let page: Page;
  let errors: string[];
  let home: string;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // One home shared by the journeys in order (useTempHome would remove it after the first test).
    home = mkdtempSync(join(tmpdir(), 'kassebro-e2e-'));
    served = await startServe(join(home, 'kassebro.sqlite'));
    browser = await launchBrowser();
    ({ page, errors } = await openApp(browser, served));
  }, JOURNEY_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it(
    'opens an empty home, loads the demo shop, shows counts, daily sales and a balanced voucher',
    async () => {
      await eventually(() => page.getByText('Ingen regnskapssystem er satt opp ennå.').isVisible()).toBe(true);
      expect(page.url()).not.toContain('token=');
      await page.getByRole('button', { name: 'Last inn demobutikken' }).click();
      await eventually(() => page.getByTestId('count-ready').textContent()).toBe('163');
      expect(await page.getByTestId('count-blocked').textContent()).toBe('0');
      expect(await page.getByTestId('count-failed').textContent()).toBe('0');
      expect(await page.getByTestId('sales-chart').locator('rect').count()).toBeGreaterThan(60);
      await eventually(() => page.getByText('736 394,06').isVisible()).toBe(true);
      await screenshot(page, '01-overview');

      await nav(page, 'Dagsoppgjør og bilag').click();
      await eventually(() => page.getByTestId('voucher-count').textContent()).toBe('167 bilag');
      await page.getByTestId('voucher-row').filter({ hasText: 'Z 4/10009' }).click();
      const detail = page.getByTestId('voucher-detail');
      await eventually(() => detail.getByText('Bilaget går i balanse.').isVisible()).toBe(true);
      const lines = detail.getByTestId('voucher-lines');
      expect(await lines.getByRole('row').filter({ hasText: 'Bankterminal integrert' }).innerText()).toMatch(
        /1920\s+Bankterminal integrert\s+12\s460,37/,
      );
      await screenshot(page, '02-vouchers');
      await page.getByTestId('show-interim').check();
      await eventually(() => page.getByTestId('interim-row').count()).toBe(49);
      expect(await page.getByTestId('interim-row').first().innerText()).toMatch(/X-rapport, bokføres ikke/);
      await screenshot(page, '02b-vouchers-with-x-reports');
      await page.getByTestId('show-interim').uncheck();
      await eventually(() => page.getByTestId('interim-row').count()).toBe(0);

      await nav(page, 'Kontooppsett').click();
      await eventually(() => page.getByText('Alle bilag kan lages med dette oppsettet.').isVisible()).toBe(true);
      await screenshot(page, '03-mapping');
      expect(errors).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'error journey: an inactive account is marked before saving, blocks 18 vouchers with an explanation, and the fix clears it',
    async () => {
      await nav(page, 'Kontooppsett').click();
      const row = page.locator('[data-testid="mapping-row"][data-key="gift_card_issued"]');
      const account = row.getByRole('combobox', { name: 'Konto: Gavekort utstedt' });
      await account.fill('2910');
      await eventually(() => row.getByText('Gamle gavekort (ikke i bruk) · Inaktiv konto').isVisible()).toBe(true);
      expect(await account.getAttribute('aria-invalid')).toBe('true');
      await row.getByRole('button', { name: 'Lagre' }).click();
      await eventually(() => page.getByTestId('mapping-notice').textContent()).toContain(
        'Lagret. 145 bilag klare, 18 trenger tiltak.',
      );
      await eventually(() => row.getByTestId('mapping-check').textContent()).toBe(
        'Kontoen er inaktiv i regnskapssystemet.',
      );
      const summary = page.getByTestId('mapping-summary');
      await eventually(() => summary.getByRole('heading').textContent()).toBe('18 bilag trenger tiltak');
      expect(await summary.locator('.problem').first().textContent()).toMatch(
        /konto 2910 \(for «Gavekort utstedt»\) er inaktiv i regnskapssystemet; aktiver den eller velg en annen konto\. \(×18\)$/,
      );
      expect(await page.getByTestId('nav-blocked').textContent()).toBe('18');
      await screenshot(page, '04a-mapping-error-row');
      await page.locator('#main').evaluate((main) => (main.scrollTop = 0));
      await screenshot(page, '04b-mapping-error-summary');

      await nav(page, 'Dagsoppgjør og bilag').click();
      await page.getByTestId('voucher-filter').selectOption('blocked');
      await eventually(() => page.getByTestId('voucher-count').textContent()).toBe('18 bilag');
      await page.getByTestId('voucher-row').first().click();
      const detail = page.getByTestId('voucher-detail');
      await eventually(() => detail.getByTestId('problem').first().textContent()).toMatch(/konto 2910 .* er inaktiv/);
      expect(await detail.getByText('Ingen linjer: bilaget kan ikke lages før merknadene er løst.').isVisible()).toBe(
        true,
      );
      await screenshot(page, '05-voucher-blocked');

      await detail.getByRole('button', { name: 'Rett kontooppsettet' }).click();
      const sales = page.locator('[data-testid="mapping-row"][data-key="sales_25"]');
      await sales.getByRole('combobox', { name: 'Mva-kode: Salg 25 % mva' }).selectOption('31');
      await eventually(() => sales.locator('.hint').textContent()).toBe(
        'Salgsinntekt, avgiftspliktig · Kontoen er låst til mva-kode 3.',
      );
      await sales.getByRole('combobox', { name: 'Mva-kode: Salg 25 % mva' }).selectOption('3');
      await eventually(() => sales.locator('.hint').textContent()).toBe('Salgsinntekt, avgiftspliktig');
      expect(await sales.getByRole('button', { name: 'Lagre' }).isDisabled()).toBe(true);
      await row.getByRole('combobox', { name: 'Konto: Gavekort utstedt' }).fill('2900');
      await row.getByRole('button', { name: 'Lagre' }).click();
      await eventually(() => page.getByTestId('mapping-notice').textContent()).toContain(
        '163 bilag klare, 0 trenger tiltak',
      );
      await eventually(() => page.getByText('Alle bilag kan lages med dette oppsettet.').isVisible()).toBe(true);
      expect(await page.getByTestId('nav-blocked').count()).toBe(0);
      await nav(page, 'Oversikt').click();
      await eventually(() => page.getByTestId('count-ready').textContent()).toBe('163');
      expect(errors).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'switches language to Swedish and English, remembers it, and problem texts follow',
    async () => {
      await page.getByTestId('language').selectOption('sv');
      expect(await nav(page, 'Kontering').isVisible()).toBe(true);
      await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Översikt');
      expect(await page.locator('html').getAttribute('lang')).toBe('sv');
      await screenshot(page, '06-overview-sv');
      await page.reload();
      await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Översikt');

      await page.getByTestId('language').selectOption('en');
      await nav(page, 'Settlements and vouchers').click();
      await page.getByTestId('voucher-filter').selectOption('skipped');
      await page.getByTestId('voucher-row').first().click();
      await eventually(() => page.getByTestId('problem').first().textContent()).toMatch(
        /^Report Z \S+ \d{4}-\d\d-\d\d has no sales or payments; nothing to post, so it is skipped\.$/,
      );
      await screenshot(page, '07-vouchers-en');
      await page.getByTestId('language').selectOption('nb');
      await eventually(() => page.getByTestId('problem').first().textContent()).toMatch(/hoppes over\.$/);
      expect(errors).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'works from the keyboard alone: Tab reaches the menu, Enter opens a screen and focus moves into it',
    async () => {
      await page.reload();
      await page.getByRole('heading', { level: 1 }).waitFor();
      let focused = '';
      for (let presses = 0; presses < 15 && focused !== 'Kontooppsett'; presses += 1) {
        await page.keyboard.press('Tab');
        focused = ((await page.locator(':focus').textContent()) ?? '').trim();
      }
      expect(focused).toBe('Kontooppsett');
      await page.keyboard.press('Enter');
      await eventually(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Kontooppsett');
      expect(await page.locator(':focus').getAttribute('id')).toBe('main');
      await page.keyboard.press('Tab');
      expect(await page.locator(':focus').getAttribute('type')).toBe('search');
      expect(errors).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'technician page shows versions, database file and schema version, and saves a support bundle',
    async () => {
      await nav(page, 'Tekniker').click();
      await eventually(() => page.getByTestId('schema-version').textContent()).toMatch(/^\d+$/);
      expect(await page.getByTestId('environment').innerText()).toContain('kassebro.sqlite');
      const download = page.waitForEvent('download');
      await page.getByTestId('support-bundle').click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/^kassebro-support-\d{8}-\d{6}\.json$/);
      const saved = join(ROOT, 'test-results', file.suggestedFilename());
      await file.saveAs(saved);
      await screenshot(page, '08-technician');
      await nav(page, 'Regnskapssystem').click();
      await eventually(() => page.getByText('Demo (Tripletex sandbox) (Tripletex)').isVisible()).toBe(true);
      // 1 configured target + 10 kinds of system.
      expect(await page.getByRole('row').count()).toBe(11);
      await screenshot(page, '09-setup');
      expect(errors).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );
  it(
    'exports the mapping as a file and imports an edited copy, with the consequence shown at once',
    async () => {
      await nav(page, 'Kontooppsett').click();
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Eksporter' }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe('kontooppsett-demo.json');
      const document = JSON.parse(readFileSync(await file.path(), 'utf8')) as {
        entries: { key: string; account: string }[];
      };
      document.entries = document.entries.map((entry) =>
        entry.key === 'credit_note_issued' ? { ...entry, account: '2910' } : entry,
      );
      await page.getByTestId('mapping-import').setInputFiles({
        name: 'endret.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(document)),
      });
      await eventually(() => page.getByTestId('mapping-notice').textContent()).toContain(
        'Importerte endret.json. 154 bilag klare, 9 trenger tiltak.',
      );
      await page.getByTestId('mapping-import').setInputFiles({
        name: 'feil.json',
        mimeType: 'application/json',
        buffer: Buffer.from('{"entries":[{"key":"cash","account":""}]}'),
      });
      await eventually(() => page.getByTestId('mapping-notice').textContent()).toContain(
        'mapping file: entries.0.account: account must not be empty',
      );
      await page.getByText('Avdeling per butikk').click();
      await page.getByRole('textbox', { name: 'Avdeling for lokasjon 1' }).fill('20');
      await page.locator('.department').getByRole('button', { name: 'Lagre' }).click();
      await eventually(() => page.getByTestId('mapping-notice').textContent()).toContain('Avdelingen er lagret.');
      await screenshot(page, '03b-mapping-department');
      await page.getByRole('textbox', { name: 'Avdeling for lokasjon 1' }).fill('');
      await page.locator('.department').getByRole('button', { name: 'Lagre' }).click();
      await eventually(() => page.getByRole('textbox', { name: 'Avdeling for lokasjon 1' }).inputValue()).toBe('');
      await page.getByRole('button', { name: 'Bruk standardoppsett' }).click();
      await eventually(() => page.getByTestId('mapping-notice').textContent()).toContain('163 bilag klare, 0 trenger');
      expect(errors).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'Avstemming shows the planted 90.00 and the cashback day, numbering explains the empty Z, import and file export explain their result',
    async () => {
      await nav(page, 'Oversikt').click();
      await eventually(() => plain(page.getByTestId('overview-reconcile').textContent())).toContain(
        'Kort i kassen og terminalen stemmer ikke: 2026-11-18 (90,00).',
      );
      await page.getByTestId('overview-reconcile').getByRole('button', { name: 'Se avstemmingen' }).click();
      const planted = page.locator('[data-testid="reconcile-days"] tr[data-date="2026-11-18"]');
      await eventually(() => planted.getAttribute('data-status')).toBe('difference');
      expect(await plain(planted.innerText())).toMatch(
        /2026-11-18\s+21 787,14\s+21 877,14\s+90,00\s+Uforklart avvik\s+ingen kjent årsak passer/,
      );
      const cashback = page.locator('[data-testid="reconcile-days"] tr[data-date="2026-11-16"]');
      expect(await cashback.getAttribute('data-status')).toBe('explained');
      expect(await cashback.locator('[data-cause="cashback"]').textContent()).toContain(
        'kontantuttak 300,00 er betalt ut i kontanter',
      );
      expect(await page.getByTestId('reconcile-summary').textContent()).toBe(
        'Dager med uforklart avvik: 1 · forklart: 1 · stemmer: 5 · uten terminalavstemming: 23',
      );
      expect(await page.getByTestId('reconcile-chart').locator('circle[data-status="difference"]').count()).toBe(1);
      expect(await page.getByTestId('duplicate-reason').first().textContent()).toContain(
        'terminal 80012398 reported 0 for BAX 1234567 batch 405',
      );
      expect(await plain(page.locator('[data-report]').first().getByTestId('report-schemes').textContent())).toBe(
        'BankAxept 53 × 17 285,74 · VISA 22 × 7 202,00 · Mastercard 13 × 4 321,00',
      );
      await screenshot(page, '12-reconcile');
      await page.getByTestId('terminal-reports').scrollIntoViewIfNeeded();
      await screenshot(page, '12c-terminal-reports');
      await page.getByTestId('language').selectOption('sv');
      await eventually(() => cashback.locator('[data-cause="cashback"]').textContent()).toBe(
        'kontantuttag 300,00 är utbetalt kontant och ingår i terminalens total, inte i kassans kortsumma',
      );
      expect(await planted.locator('.badge').textContent()).toBe('Oförklarad differens');
      await page.locator('#main').evaluate((main) => (main.scrollTop = 0));
      await screenshot(page, '12d-reconcile-sv');
      await page.getByTestId('language').selectOption('nb');
      await eventually(() => planted.locator('.badge').textContent()).toBe('Uforklart avvik');
      await page.getByTestId('only-problems').check();
      await eventually(() => page.locator('[data-testid="reconcile-days"] tbody tr').count()).toBe(2);
      await screenshot(page, '12b-reconcile-problems');

      await nav(page, 'Nummerering').click();
      const register = page.locator('section[data-register="10010"]');
      await eventually(() => register.locator('li[data-reason="empty_z"]').count()).toBe(4);
      expect(await register.locator('li[data-number="23"]').textContent()).toContain(
        'Z-rapport 23/10010 (2026-09-18) er tom: ingenting å bokføre, så ingen bilag bærer nummer 23.',
      );
      expect(await register.locator('[data-date="2026-11-14"]').getAttribute('data-state')).toBe('skipped');
      await register.getByTestId('ask-number').fill('4');
      expect(await page.locator('section[data-register="10009"]').getByTestId('ask-answer').count()).toBe(0);
      await page.locator('section[data-register="10009"]').getByTestId('ask-number').fill('4');
      await eventually(() =>
        page.locator('section[data-register="10009"]').getByTestId('ask-answer').textContent(),
      ).toBe('Nummer 4 er brukt av X-rapport 1/10009 (2026-08-25); X-rapporter bokføres ikke.');
      await screenshot(page, '13-numbering');

      const csv = join(home, 'z-rapporter.csv');
      writeFileSync(
        csv,
        'location;register;number;kind;date;key;amount;vat\n7;20001;41;Z;2026-11-21;sales_25;1 250,00;250,00\n7;20001;41;Z;2026-11-21;cash;1250,00;\n',
      );
      await nav(page, 'Tekniker').click();
      await page.getByTestId('import-path').fill(csv);
      await page.getByTestId('import-run').click();
      await eventually(() => page.getByTestId('import-result').textContent()).toContain(
        `${csv} (CSV): 1 importert, 0 fantes fra før, 0 i konflikt.`,
      );
      expect(await page.getByTestId('import-result').textContent()).toContain('164 klare');
      await screenshot(page, '14-import');
      await page.getByTestId('import-path').fill(join(home, 'finnes-ikke.xml'));
      await page.getByTestId('import-run').click();
      await eventually(() => page.getByTestId('import-result').textContent()).toContain('Filen ble ikke importert: ');
      expect(await page.getByTestId('import-result').textContent()).toContain(
        `Kan ikke lese ${join(home, 'finnes-ikke.xml')}: den finnes ikke`,
      );

      await page.getByTestId('import-format').selectOption('terminal');
      await page.getByTestId('import-path').fill(join(ROOT, 'resources', 'terminal', 'x-rapport-nb.txt'));
      await page.getByTestId('import-run').click();
      await eventually(() =>
        page.getByTestId('import-result').locator('[data-outcome="stored"]').textContent(),
      ).toMatch(
        /^Lagret: X-rapport terminal 80012345, bunt –, 2026-11-23 14:02, 4\s054,00\. Vises under Avstemming\.$/,
      );
      await screenshot(page, '14b-import-terminal');
      await nav(page, 'Avstemming').click();
      const today = page.locator('[data-testid="reconcile-days"] tr[data-date="2026-11-23"]');
      await eventually(async () => plain(today.getByTestId('x-report').textContent())).toBe(
        'X-rapport fra terminal 80012345: 4 054,00 (vises, avstemmes ikke)',
      );
      expect(await today.getAttribute('data-status')).toBe('no-terminal-report');
      await screenshot(page, '12e-reconcile-x-report');

      const db = openDatabase(join(home, 'kassebro.sqlite'));
      saveTarget(db, {
        id: 'fil',
        kind: 'gbat10',
        name: 'GBAT10 til Mamut',
        settings: { folder: home },
        secretRef: null,
      });
      saveKontooppsett(db, 'fil', PRESETS['no-standard'].kontooppsett);
      db.close();
      await nav(page, 'Regnskapssystem').click();
      const target = page.locator('section[data-target="fil"]');
      await target.getByTestId('export-from').fill('2026-11-18');
      await target.getByTestId('export-to').fill('2026-11-20');
      await target.getByTestId('export-run').click();
      await eventually(() => target.getByTestId('export-result').textContent()).toContain(
        `Skrev ${join(home, 'kassebro-fil-0001-20261118-20261120.csv')}: 6 bilag.`,
      );
      await eventually(() => target.getByTestId('export-files').innerText()).toContain(
        'Bilagsnr. 1: Z 88/10009 · 2026-11-18',
      );
      await screenshot(page, '15-file-export');
      expect(errors).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );
});

const LOG_ROWS = 100_000;

describe.skipIf(skipReason)('integration log with 100 000 rows', () => {
  let browser: Browser;
  let served: Served;

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const databaseFile = join(newHome(), 'kassebro.sqlite');
    const db = openDatabase(databaseFile);
    const start = Date.UTC(2026, 7, 1);
    db.transaction(() => {
      for (let index = 0; index < LOG_ROWS; index += 1) {
        const failed = index % 10 === 0;
        appendLog(
          db,
          {
            targetId: 'demo',
            module: ['voucher', 'chart', 'login'][index % 3] ?? 'voucher',
            status: failed ? 'not_transferred' : 'transferred',
            code: failed ? 'account_inactive' : null,
            message: failed
              ? `Bilag ${index} ble ikke overført: konto 2910 er inaktiv i regnskapssystemet; aktiver den eller velg en annen konto.`
              : `Bilag ${index} overført som bilag ${10_000 + index}`,
            targetMessage: failed ? 'Validation failed: account 2910 is inactive' : null,
            payload: { voucher: index, apiKey: 'sk-live-123456' },
          },
          new Date(start + index * 60_000),
        );
      }
    })();
    db.close();
    served = await startServe(databaseFile);
    browser = await launchBrowser();
  }, JOURNEY_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
  });

  it(
    'scrolls through 100 000 rows (frame time recorded), filters by status and module, and shows a redacted payload',
    async () => {
      const { page, errors } = await openApp(browser, served);
      await nav(page, 'Integrasjonslogg').click();
      await eventually(() => plain(page.getByTestId('log-count').textContent())).toBe('100 000 rader');
      expect(await page.getByTestId('log-row').count()).toBeLessThan(80);

      const figures = await measureScroll(page, '[data-testid="log-scroller"]', 3000, 640);
      writeFileSync(
        join(ROOT, 'test-results', 'log-scroll-frames.json'),
        `${JSON.stringify({ rows: LOG_ROWS, viewport: VIEWPORT, ...figures }, null, 2)}\n`,
      );
      console.info(`log scroll at ${LOG_ROWS} rows: ${JSON.stringify(figures)}`);
      expect(figures.scrolledPx).toBeGreaterThan(0);
      // Rows that scrolled into view are fetched and filled in.
      await eventually(() => page.getByTestId('log-row').filter({ hasText: '…' }).count()).toBe(0);
      await page.getByTestId('log-scroller').evaluate((scroller) => (scroller.scrollTop = scroller.scrollHeight));
      await eventually(() => page.getByTestId('log-row').last().textContent()).toContain('Bilag 0 ble ikke overført');
      await screenshot(page, '10-log-100k-bottom');

      await page.getByTestId('log-status').selectOption('not_transferred');
      await eventually(() => plain(page.getByTestId('log-count').textContent())).toBe('10 000 rader');
      await page.getByTestId('log-module').selectOption('chart');
      await eventually(() => plain(page.getByTestId('log-count').textContent())).toBe('3 333 rader');
      await page.getByTestId('log-row').first().getByRole('button', { name: 'Vis' }).click();
      const dialog = page.getByTestId('log-dialog');
      await eventually(() => dialog.isVisible()).toBe(true);
      // The entry is fetched after the dialog opens.
      await eventually(() => dialog.getByText('Validation failed: account 2910 is inactive').isVisible()).toBe(true);
      expect(await dialog.getByTestId('log-payload').textContent()).toContain('"apiKey": "[redacted]"');
      await screenshot(page, '11-log-payload');
      await page.keyboard.press('Escape');
      await eventually(() => dialog.isVisible()).toBe(false);
      expect(errors).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );
});
