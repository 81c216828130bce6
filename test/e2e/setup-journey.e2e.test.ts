import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningSandbox } from '../../src/main/connectors/api-target';
import { tripletexTarget } from '../../src/main/connectors/tripletex/target';
import { TRIPLETEX_SANDBOX_DEFAULTS } from '../../src/main/sandboxes/tripletex';
import { e2eSkipReason, launchBrowser, SCREENSHOTS, screenshot, startServe, VIEWPORT, type Served } from './harness';

// The owner's journey from an empty home to TRANSFERRED, through the setup wizard against a local
// Tripletex sandbox, and the error journey (an account made inactive in the accounting system).
// Without Chromium or a built renderer these report as skipped, never as passed.
const skipReason = e2eSkipReason();
const JOURNEY_TIMEOUT = 180_000;
const eventually = <T>(read: () => T | Promise<T>) => expect.poll(read, { timeout: 20_000 });
const nav = (page: Page, name: string) => page.getByRole('navigation').getByRole('button', { name });
const next = (page: Page) => page.getByTestId('wizard-next');

describe.skipIf(skipReason)('setup wizard → sync → log (kassebro serve + Chromium + Tripletex sandbox)', () => {
  let browser: Browser;
  let served: Served;
  let sandbox: RunningSandbox;
  let page: Page;
  let home: string;
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    home = mkdtempSync(join(tmpdir(), 'kassebro-e2e-setup-'));
    sandbox = await tripletexTarget.startSandbox();
    served = await startServe(join(home, 'kassebro.sqlite'));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: VIEWPORT, locale: 'nb-NO' });
    page.on('pageerror', (error) => errors.push(String(error)));
    await page.goto(served.url);
  }, JOURNEY_TIMEOUT);

  afterAll(async () => {
    await browser?.close();
    await served?.stop();
    await sandbox?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it(
    'owner journey: demo data → wizard (fields checked, technician sets the sandbox address, test, invoice sales, schedule, export-from) → mapping → vouchers → send now → log shows OVERFØRT',
    async () => {
      await page.getByRole('button', { name: 'Last inn demobutikken' }).click();
      await eventually(() => page.getByTestId('count-ready').textContent()).toBe('163');

      await nav(page, 'Regnskapssystem').click();
      await page.getByTestId('wizard-start').click();
      const wizard = page.getByTestId('setup-wizard');
      // Systems without a connector in this build are shown but cannot be picked.
      await wizard.getByRole('radio', { name: /Tripletex/ }).check();
      await screenshot(page, 'setup-10-wizard-system');
      await next(page).click();

      await wizard.getByLabel('Consumer token').fill(TRIPLETEX_SANDBOX_DEFAULTS.consumerToken);
      await next(page).click();
      const employee = wizard.locator('[data-testid="setup-field"][data-key="employeeToken"]');
      await eventually(() => employee.getByRole('alert').textContent()).toBe('Må fylles ut.');
      expect(await wizard.getByLabel('Ansattoken').getAttribute('aria-invalid')).toBe('true');
      await wizard.getByLabel('Klient (selskap)').fill('x');
      await next(page).click();
      await eventually(() =>
        wizard.locator('[data-testid="setup-field"][data-key="companyId"]').getByRole('alert').textContent(),
      ).toBe('Har ikke riktig form.');
      await screenshot(page, 'setup-11-wizard-fields-invalid');

      await wizard.getByLabel('Ansattoken').fill(TRIPLETEX_SANDBOX_DEFAULTS.employeeToken);
      await wizard.getByLabel('Klient (selskap)').fill('0');
      await wizard.getByText('Avansert (for tekniker)').click();
      await wizard.getByLabel('API-adresse').fill(String(sandbox.targetSettings()['baseUrl']));
      await screenshot(page, 'setup-12-wizard-fields-technician');
      await next(page).click();

      await eventually(() => wizard.getByTestId('test-connection').isVisible()).toBe(true);
      // Secrets never come back to the page once stored.
      expect(await page.content()).not.toContain(TRIPLETEX_SANDBOX_DEFAULTS.employeeToken);
      expect(await next(page).isDisabled()).toBe(true);
      await wizard.getByTestId('test-connection').click();
      await eventually(() => wizard.getByTestId('test-result').textContent()).toContain('Tilkoblet Demo Butikk AS.');
      expect(await wizard.getByTestId('test-result').textContent()).toContain(
        'Kontoplanen er hentet: 16 kontoer (1 inaktive), 6 mva-koder.',
      );
      await screenshot(page, 'setup-13-wizard-test-ok');
      await next(page).click();

      await eventually(() => wizard.getByTestId('choice-company').textContent()).toBe('Demo Butikk AS');
      await next(page).click();

      // Invoice sales: each choice explained; a double booking is refused with the reason, in Norwegian.
      await eventually(() => wizard.getByText('14 fakturasalg er lest fra kassen så langt.').isVisible()).toBe(true);
      expect(await wizard.getByRole('radio', { name: 'Ikke overfør fakturaer' }).isChecked()).toBe(true);
      await wizard.getByRole('radio', { name: 'Regnskapssystemet lager fakturaen' }).check();
      expect(await wizard.getByTestId('invoice-modes').textContent()).toContain(
        'Regnskapssystemet nummererer og sender fakturaene',
      );
      await wizard.getByTestId('z-revenue-include').check();
      await next(page).click();
      await eventually(() => wizard.getByTestId('invoice-answer').textContent()).toContain(
        'hvert fakturasalg ville blitt bokført to ganger',
      );
      await screenshot(page, 'setup-14a-wizard-invoices-double-booking');
      await wizard.getByTestId('z-revenue-include').uncheck();
      await next(page).click();
      expect(await wizard.getByRole('radio', { name: 'Når kassen er gjort opp (anbefalt)' }).isChecked()).toBe(true);
      await wizard.getByRole('radio', { name: 'Hver dag' }).check();
      expect(await wizard.getByTestId('schedule-time').inputValue()).toBe('05:00');
      await screenshot(page, 'setup-14-wizard-schedule');
      await wizard.getByRole('radio', { name: 'Når kassen er gjort opp (anbefalt)' }).check();
      await next(page).click();

      await wizard.getByTestId('export-from').fill('2026-11-20');
      await screenshot(page, 'setup-15-wizard-export-from');
      await next(page).click();
      await eventually(() => wizard.getByTestId('wizard-done').textContent()).toBe('Tripletex er satt opp og i bruk.');
      expect(await wizard.textContent()).toContain('163 bilag klare, 0 trenger tiltak.');
      expect(await wizard.textContent()).toContain('standardoppsettet «no-standard»');
      await screenshot(page, 'setup-16-wizard-done');

      await wizard.getByRole('button', { name: 'Se over kontooppsettet' }).click();
      await eventually(() => page.getByText('Alle bilag kan lages med dette oppsettet.').isVisible()).toBe(true);
      await screenshot(page, 'setup-17-mapping-after-setup');

      await nav(page, 'Dagsoppgjør og bilag').click();
      await eventually(() => page.getByTestId('voucher-count').textContent()).toBe('167 bilag');
      await page.getByTestId('voucher-row').filter({ hasText: 'Z 90/10009' }).click();
      await eventually(() => page.getByTestId('voucher-detail').getByText('Bilaget går i balanse.').isVisible()).toBe(
        true,
      );
      await screenshot(page, 'setup-18-voucher-before-send');

      await nav(page, 'Oversikt').click();
      await page.getByTestId('sync-now').getByRole('button', { name: 'Send nå' }).click();
      await eventually(() => page.getByTestId('sync-result').textContent()).toContain(
        '2 overført, 0 feilet, 0 venter, 0 trenger tiltak.',
      );
      expect(sandbox.vouchers()).toHaveLength(2);
      await eventually(() => page.getByTestId('count-waiting').textContent()).toBe('0');
      await screenshot(page, 'setup-19-overview-after-send');

      await nav(page, 'Integrasjonslogg').click();
      await page.getByTestId('log-status').selectOption('transferred');
      const posted = page.getByTestId('log-row').filter({ hasText: 'Dagsoppgjør 90/10009 2026-11-20: posted as' });
      await eventually(() => posted.count()).toBe(1);
      expect(await posted.textContent()).toContain('OVERFØRT');
      await screenshot(page, 'setup-20-log-transferred');
      expect(errors).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'error journey: account inactive in the accounting system → IKKE OVERFØRT with the plain explanation → mapping fixed → try again → OVERFØRT',
    async () => {
      // The owner goes back one day in the setup: two more Z-reports to send.
      await nav(page, 'Regnskapssystem').click();
      await page
        .locator('[data-testid="configured-target"][data-target="tripletex"]')
        .getByRole('button')
        .last()
        .click();
      const wizard = page.getByTestId('setup-wizard');
      await eventually(() => wizard.getByTestId('stored-secret').count()).toBe(2);
      expect(await wizard.getByLabel('Ansattoken').inputValue()).toBe('');
      await screenshot(page, 'setup-21-wizard-edit-secrets-stored');
      await next(page).click();
      await wizard.getByTestId('test-connection').click();
      await eventually(() => wizard.getByTestId('test-result').textContent()).toContain('Tilkoblet Demo Butikk AS.');
      // Choices, invoice sales (kept as chosen in the first journey), schedule.
      await next(page).click();
      await next(page).click();
      await eventually(() => wizard.getByRole('radio', { name: 'Regnskapssystemet lager fakturaen' }).isChecked()).toBe(
        true,
      );
      await next(page).click();
      await next(page).click();
      await wizard.getByTestId('export-from').fill('2026-11-19');
      await next(page).click();
      await eventually(() => wizard.getByTestId('wizard-done').isVisible()).toBe(true);

      // Meanwhile the accountant deactivates the Vipps account (after the chart was fetched, so only
      // the accounting system can tell).
      sandbox.setAccount('1515', { active: false });
      await nav(page, 'Oversikt').click();
      await page.getByTestId('sync-now').getByRole('button', { name: 'Send nå' }).click();
      await eventually(() => page.getByTestId('sync-result').textContent()).toContain(
        '0 overført, 2 feilet, 0 venter, 2 trenger tiltak.',
      );
      await eventually(() => page.getByTestId('count-failed').textContent()).toBe('2');
      await screenshot(page, 'setup-22-overview-failed');

      await nav(page, 'Integrasjonslogg').click();
      await page.getByTestId('log-status').selectOption('not_transferred');
      const failed = page.getByTestId('log-row').filter({ hasText: 'IKKE OVERFØRT' });
      await eventually(() => failed.count()).toBe(2);
      expect(await failed.first().textContent()).toContain(
        'En konto på bilaget finnes ikke eller er inaktiv i regnskapssystemet.',
      );
      await failed.first().getByRole('button', { name: 'Vis' }).click();
      const dialog = page.getByTestId('log-dialog');
      await eventually(() => dialog.locator('blockquote').textContent()).toContain('Kontoen 1515');
      await screenshot(page, 'setup-23-log-not-transferred-explained');
      await dialog.getByRole('button', { name: 'Lukk' }).click();

      await nav(page, 'Kontooppsett').click();
      const vipps = page.locator('[data-testid="mapping-row"][data-key="vipps_integrated"]');
      await vipps.getByRole('combobox', { name: 'Konto: Vipps integrert' }).fill('1920');
      await vipps.getByRole('button', { name: 'Lagre' }).click();
      await eventually(() => page.getByTestId('mapping-notice').textContent()).toContain('Lagret.');
      await screenshot(page, 'setup-24-mapping-fixed');

      await nav(page, 'Integrasjonslogg').click();
      await page.getByTestId('log-status').selectOption('not_transferred');
      await eventually(() => page.getByTestId('log-retry').count()).toBe(2);
      await screenshot(page, 'setup-25-log-try-again');
      await page.getByTestId('log-retry').first().click();
      await eventually(() => page.getByTestId('retry-note').textContent()).toContain('1 overført, 0 feilet');
      await eventually(() => page.getByTestId('log-retry').count()).toBe(1);
      await page.getByTestId('log-retry').first().click();
      await eventually(() => page.getByTestId('log-retry').count()).toBe(0);
      expect(sandbox.vouchers()).toHaveLength(4);

      await page.getByTestId('log-status').selectOption('transferred');
      const resent = page.getByTestId('log-row').filter({ hasText: '2026-11-19: posted as' });
      await eventually(() => resent.count()).toBe(2);
      await screenshot(page, 'setup-26-log-transferred-after-retry');
      await nav(page, 'Oversikt').click();
      await eventually(() => page.getByTestId('count-failed').textContent()).toBe('0');
      expect(errors).toEqual([]);
    },
    JOURNEY_TIMEOUT,
  );
});
