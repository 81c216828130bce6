import { afterEach, describe, expect, it } from 'vitest';
import { testEngine } from '../../../test/helpers/engine';
import { useTempHome } from '../../../test/helpers/temp-home';
import { tripletexTarget } from '../connectors/tripletex/target';
import type { RunningSandbox } from '../connectors/api-target';
import { TRIPLETEX_SANDBOX_DEFAULTS } from '../sandboxes/tripletex';
import { listInvoiceSales } from '../invoices/store';
import { listLog } from '../store/integration-log';
import { getTarget, saveTarget } from '../store/targets';
import { listVouchers } from '../store/vouchers';

const newHome = useTempHome();
const FAST = { requests: 1_000, perMs: 1_000 };
const sandboxes: RunningSandbox[] = [];
afterEach(async () => {
  for (const sandbox of sandboxes.splice(0)) await sandbox.close();
});

async function tripletexSandbox(
  options: Parameters<typeof tripletexTarget.startSandbox>[0] = {},
): Promise<RunningSandbox> {
  const sandbox = await tripletexTarget.startSandbox(options);
  sandboxes.push(sandbox);
  return sandbox;
}

/** The demo shop with a Tripletex target set up through the wizard's engine calls. */
async function wizardOverDemo(options: Parameters<typeof tripletexTarget.startSandbox>[0] = {}) {
  const engine = testEngine(newHome());
  const sandbox = await tripletexSandbox(options);
  await engine.ok('loadDemo');
  const values = {
    consumerToken: TRIPLETEX_SANDBOX_DEFAULTS.consumerToken,
    employeeToken: TRIPLETEX_SANDBOX_DEFAULTS.employeeToken,
    companyId: '0',
    baseUrl: String(sandbox.targetSettings()['baseUrl']),
  };
  return { ...engine, sandbox, values };
}

/**
 * The demo shop with its Tripletex target saved, and generous limits on both sides: for tests about
 * the invoice choices, not Tripletex's quota.
 */
async function fastTripletexOverDemo() {
  const wizard = await wizardOverDemo({ rateLimit: FAST });
  await wizard.ok('saveTargetSetup', { targetId: 'tripletex', kind: 'tripletex', values: wizard.values });
  const created = getTarget(wizard.db, 'tripletex')!;
  saveTarget(wizard.db, { ...created, settings: { ...created.settings, rateLimit: FAST } });
  return wizard;
}

describe('setup wizard engine side (Tripletex sandbox)', () => {
  it('refuses missing and malformed fields by key, stores secrets only in the secret store, never echoes them', async () => {
    const { ok, values, databaseFile, db } = await wizardOverDemo();
    const missing = await ok('saveTargetSetup', {
      targetId: 'tripletex',
      kind: 'tripletex',
      values: { ...values, employeeToken: '' },
    });
    expect(missing).toMatchObject({ ok: false, errors: [{ key: 'employeeToken' }] });
    const malformed = await ok('saveTargetSetup', {
      targetId: 'tripletex',
      kind: 'tripletex',
      values: { ...values, companyId: 'x1' },
    });
    expect(malformed).toMatchObject({ ok: false, errors: [{ key: 'companyId' }] });
    const badName = await ok('saveTargetSetup', { targetId: 'Tripletex', kind: 'tripletex', values });
    expect(badName).toMatchObject({ ok: false, errors: [{ key: 'name' }] });

    const saved = await ok('saveTargetSetup', { targetId: 'tripletex', kind: 'tripletex', values });
    expect(saved).toEqual({
      targetId: 'tripletex',
      ok: true,
      errors: [],
      storedSecrets: ['consumerToken', 'employeeToken'],
    });
    const view = await ok('targetSetup', { targetId: 'tripletex' });
    expect(view.values).toEqual({ companyId: '0', baseUrl: values.baseUrl });
    expect(view.storedSecrets).toEqual(['consumerToken', 'employeeToken']);
    expect(view.schedule).toEqual({ kind: 'on-close' });
    const everything = JSON.stringify([view, db.prepare('SELECT * FROM targets').all()]);
    expect(everything).not.toContain(values.employeeToken);
    expect(everything).not.toContain(values.consumerToken);
    expect(databaseFile).toMatch(/kassebro\.sqlite$/);

    // An empty secret keeps the stored one; a new preset mapping was made for the new target.
    const again = await ok('saveTargetSetup', {
      targetId: 'tripletex',
      kind: 'tripletex',
      values: { ...values, consumerToken: '', employeeToken: '' },
    });
    expect(again.storedSecrets).toEqual(['consumerToken', 'employeeToken']);
  });

  it('explains a failed connection test in the asked language and saves the chart on success', async () => {
    const { ok, values } = await wizardOverDemo();
    await ok('saveTargetSetup', {
      targetId: 'tripletex',
      kind: 'tripletex',
      values: { ...values, employeeToken: 'wrong-token' },
    });
    const failed = await ok('testConnection', { targetId: 'tripletex', lang: 'nb' });
    expect(failed).toMatchObject({
      ok: false,
      code: 'auth',
      explanation:
        'Regnskapssystemet godtok ikke innloggingen (nøkkelen eller tokenet er feil, utløpt eller trukket tilbake).',
    });

    await ok('saveTargetSetup', { targetId: 'tripletex', kind: 'tripletex', values });
    const passed = await ok('testConnection', { targetId: 'tripletex', lang: 'en' });
    expect(passed).toMatchObject({ ok: true, company: 'Demo Butikk AS', accounts: 16, inactiveAccounts: 1 });
    const view = await ok('targetSetup', { targetId: 'tripletex' });
    expect(view.lastTest?.company).toBe('Demo Butikk AS');
  });

  it('finishes with schedule and export-from date, makes the target active, and "send now" posts exactly once', async () => {
    const { ok, values, sandbox, events, db } = await wizardOverDemo();
    await ok('saveTargetSetup', { targetId: 'tripletex', kind: 'tripletex', values });
    await ok('testConnection', { targetId: 'tripletex', lang: 'nb' });
    const summary = await ok('finishSetup', {
      targetId: 'tripletex',
      schedule: { kind: 'daily', time: '05:00' },
      exportFrom: '2026-11-20',
    });
    expect(summary.ready).toBe(163);
    expect((await ok('status')).activeTarget?.id).toBe('tripletex');
    expect((await ok('targetSetup', { targetId: 'tripletex' })).schedule).toEqual({ kind: 'daily', time: '05:00' });

    const sent = await ok('syncNow', {});
    const inPeriod = listVouchers(db, { targetId: 'tripletex' }).filter(
      (voucher) => voucher.voucher && voucher.voucher.date >= '2026-11-20',
    );
    expect(sent).toMatchObject({ targetId: 'tripletex', outcome: 'done', failed: 0, requeued: 0, queued: 0 });
    expect(sent.posted).toBe(inPeriod.length);
    expect(sandbox.vouchers()).toHaveLength(inPeriod.length);
    expect(events).toContainEqual({ type: 'progress', task: 'syncNow', done: sent.posted, total: sent.posted });

    const second = await ok('syncNow', {});
    expect(second.posted).toBe(0);
    expect(sandbox.vouchers()).toHaveLength(inPeriod.length);
  });

  it('error journey: inactive account → not transferred, explained, retryable; fixed mapping → retry rebuilds and posts', async () => {
    const { ok, values, sandbox, db } = await wizardOverDemo();
    await ok('saveTargetSetup', { targetId: 'tripletex', kind: 'tripletex', values });
    await ok('testConnection', { targetId: 'tripletex', lang: 'nb' });
    await ok('finishSetup', { targetId: 'tripletex', schedule: { kind: 'never' }, exportFrom: '2026-11-20' });
    sandbox.setAccount('1515', { active: false });

    const first = await ok('syncNow', {});
    expect(first.failed).toBeGreaterThan(0);
    expect(first.waitingForPerson).toBe(first.failed);
    const log = await ok('log', { status: 'not_transferred', offset: 0, limit: 50 });
    expect(log.rows).toHaveLength(first.failed);
    expect(log.rows.every((row) => row.retryable && row.code === 'invalid_account')).toBe(true);
    expect(log.rows[0]?.message).toContain('En konto på bilaget finnes ikke eller er inaktiv i regnskapssystemet.');

    // Retrying one voucher without fixing anything fails the same way, and only that one is sent.
    const one = log.rows[0]?.voucherId ?? 0;
    const retriedOne = await ok('syncNow', { voucherId: one });
    expect(retriedOne).toMatchObject({ requeued: 1, posted: 0, failed: 1 });

    for (const key of ['vipps_integrated', 'vipps_manual'] as const) {
      await ok('setMapping', { key, account: '1920' });
    }
    const fixed = await ok('syncNow', { retryFailed: true });
    expect(fixed).toMatchObject({ requeued: first.failed, posted: first.failed, failed: 0, waitingForPerson: 0 });
    const resent = listVouchers(db, { targetId: 'tripletex' }).find((voucher) => voucher.id === one);
    expect(resent?.state).toBe('posted');
    expect(resent?.voucher?.lines.some((line) => line.account === '1515')).toBe(false);
    expect((await ok('log', { status: 'not_transferred', offset: 0, limit: 50 })).rows.some((r) => r.retryable)).toBe(
      false,
    );
    expect(listLog(db, 5)[0]?.status).toBe('transferred');
    await expect(ok('syncNow', { voucherId: one })).rejects.toThrow(/does not wait for a person/);
  });

  it('invoice step: explains each choice, refuses a double booking, and checks the number series against the target', async () => {
    const { ok, sandbox, db } = await fastTripletexOverDemo();
    const view = await ok('invoiceSetup', { targetId: 'tripletex', lang: 'nb' });
    expect(view).toMatchObject({
      modes: ['invoice-in-target', 'pos-issued'],
      config: { enabled: false, mode: 'invoice-in-target', zRevenue: 'clearing', customerNumberStart: 100_000 },
      invoiceSales: 14,
    });
    expect(view.texts.modes['pos-issued']).toMatch(/^Kassen har allerede gitt kunden fakturaen/);

    const doubled = await ok('saveInvoiceSetup', {
      targetId: 'tripletex',
      lang: 'en',
      enabled: true,
      mode: 'invoice-in-target',
      zRevenue: 'include',
    });
    expect(doubled).toEqual({ saved: false, reason: expect.stringMatching(/would be booked twice/) });
    expect((await ok('invoiceSetup', { targetId: 'tripletex', lang: 'en' })).config.enabled).toBe(false);

    expect(
      await ok('saveInvoiceSetup', { targetId: 'tripletex', lang: 'en', enabled: true, mode: 'invoice-in-target' }),
    ).toEqual({ saved: true, numberSeries: null });
    await ok('finishSetup', { targetId: 'tripletex', schedule: { kind: 'never' }, exportFrom: '2026-11-10' });
    const sent = await ok('syncNow', {});
    expect(sent.failed).toBe(0);
    // Only the invoices from the go-live date on go, as their Z vouchers do.
    const inPeriod = listInvoiceSales(db).filter((invoice) => invoice.sale.businessDate >= '2026-11-10');
    expect(inPeriod.length).toBeGreaterThan(0);
    expect(sandbox.invoicing?.invoices()).toHaveLength(inPeriod.length);

    // Tripletex has now numbered its invoices from 10001; the POS's own series starts at 6001.
    const posIssued = await ok('saveInvoiceSetup', {
      targetId: 'tripletex',
      lang: 'en',
      enabled: true,
      mode: 'pos-issued',
    });
    expect(posIssued).toEqual({
      saved: true,
      numberSeries: {
        status: 'conflict',
        message: expect.stringContaining(
          `Number series conflict: the POS numbers its invoices from 6001, but the accounting system has already used numbers up to ${10_000 + inPeriod.length}.`,
        ),
      },
    });
  });

  it('an invoice refused by the target shows on the status, and "retry the failed ones" sends it once after the fix', async () => {
    const { ok, sandbox, db } = await fastTripletexOverDemo();
    await ok('saveInvoiceSetup', { targetId: 'tripletex', lang: 'nb', enabled: true, mode: 'invoice-in-target' });
    await ok('finishSetup', { targetId: 'tripletex', schedule: { kind: 'never' }, exportFrom: '2026-10-01' });
    // The accountant's own customer record of Fjord Bygg lacks the postal address Tripletex requires.
    sandbox.invoicing!.addCustomer({
      customerNumber: '4711',
      name: 'Fjord Bygg AS',
      organizationNumber: '923609016',
      email: null,
      hasAddress: false,
    });
    sandbox.invoicing!.requireCustomerAddress(true);
    const inPeriod = listInvoiceSales(db).filter((invoice) => invoice.sale.businessDate >= '2026-10-01');
    const toFjord = inPeriod.filter((invoice) => invoice.sale.customer.organizationNumber === '923609016').length;
    expect(toFjord).toBeGreaterThan(0);

    const first = await ok('syncNow', {});
    expect(first).toMatchObject({ failed: 0, invoicesPosted: inPeriod.length - toFjord, invoicesFailed: toFjord });
    expect((await ok('status')).invoices).toEqual({
      queued: 0,
      sending: 0,
      posted: inPeriod.length - toFjord,
      failed: toFjord,
      held: 0,
    });

    sandbox.invoicing!.setCustomerAddress('4711');
    const retried = await ok('syncNow', { retryFailed: true });
    expect(retried).toMatchObject({ requeued: toFjord, invoicesPosted: toFjord, invoicesFailed: 0 });
    expect((await ok('status')).invoices).toMatchObject({ posted: inPeriod.length, failed: 0 });
    expect(sandbox.invoicing!.invoices()).toHaveLength(inPeriod.length);
  });

  it("pos-issued: after the POS's invoices are posted, setup again is not a false number-series conflict", async () => {
    const { ok, sandbox } = await fastTripletexOverDemo();
    const first = await ok('saveInvoiceSetup', {
      targetId: 'tripletex',
      lang: 'en',
      enabled: true,
      mode: 'pos-issued',
    });
    expect(first).toMatchObject({ saved: true, numberSeries: { status: 'ok' } });
    await ok('finishSetup', { targetId: 'tripletex', schedule: { kind: 'never' }, exportFrom: '2026-11-10' });
    await ok('syncNow', {});
    const numbers = sandbox.invoicing!.invoices().map((invoice) => Number(invoice.number));
    expect(numbers.length).toBeGreaterThan(0);
    const again = await ok('saveInvoiceSetup', {
      targetId: 'tripletex',
      lang: 'en',
      enabled: true,
      mode: 'pos-issued',
    });
    expect(again).toEqual({
      saved: true,
      numberSeries: {
        status: 'ok',
        message: expect.stringContaining(`highest invoice number, ${Math.max(...numbers)}, is a POS invoice`),
      },
    });
  });
});
