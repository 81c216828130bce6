import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invoiceLine, invoiceSale } from '../../../test/fixtures/invoices';
import { line, norwegianDay } from '../../../test/fixtures/settlements';
import { invoiceSyncHome, sandboxHome, SYNC_TARGET } from '../../../test/helpers/sync-home';
import { useTempHome } from '../../../test/helpers/temp-home';
import { CONTRACT_TUNING } from '../connectors/contract-suite';
import type { SettlementDraft } from '../domain/settlement';
import type { RunningSandbox } from '../connectors/api-target';
import { tripletexTarget } from '../connectors/tripletex/target';
import type { InvoiceSandboxControl } from '../sandboxes/server';
import type { SecretStore } from '../secrets/secret-store';
import type { Db } from '../store/database';
import { listLog } from '../store/integration-log';
import { writeSetting } from '../store/settings';
import { importSettlements } from '../store/settlements';
import { saveTarget, type TargetRecord } from '../store/targets';
import { listVouchers } from '../store/vouchers';
import { syncTarget } from '../sync/run-target';
import { prepareVouchers } from '../vouchers/prepare';
import { DoubleBookingError, INVOICES_OFF, saveInvoiceConfig, type InvoiceConfig } from './config';
import { importInvoiceSales, listInvoiceOutbox } from './store';
import type { InvoiceSale } from './invoice';

const newHome = useTempHome();

/** The fixture day with 1 163.75 of its sales paid by invoice (and that much less in cash). */
function dayWithInvoice(overrides: Partial<SettlementDraft> = {}): SettlementDraft {
  const { id: _id, importedAt: _at, ...day } = norwegianDay();
  return {
    ...day,
    lines: [...day.lines.filter((item) => item.key !== 'cash'), line('cash', '186.25'), line('invoice', '1163.75')],
    ...overrides,
  };
}

describe('invoice transfer to the Tripletex sandbox', () => {
  let sandbox: RunningSandbox;
  let invoicing: InvoiceSandboxControl;
  let db: Db;
  let secrets: SecretStore;
  let target: () => TargetRecord;
  const sync = (retry = false) => syncTarget(db, target(), { secrets, tuning: CONTRACT_TUNING, retryFailed: retry });

  const setup = async (config: Partial<InvoiceConfig> = {}, sales: InvoiceSale[] = [invoiceSale()]) => {
    ({ db, secrets, target } = await invoiceSyncHome(
      newHome(),
      tripletexTarget,
      sandbox,
      { report: dayWithInvoice(), sales },
      config,
    ));
  };
  beforeEach(async () => {
    sandbox = await tripletexTarget.startSandbox();
    invoicing = sandbox.invoicing!;
  });
  afterEach(async () => {
    db.close();
    await sandbox.close();
  });

  it('creates the customer once (number 100000), sends the invoice net with VAT types, and the Z voucher clears 1530', async () => {
    await setup();
    const result = await sync();
    expect(result).toMatchObject({ outcome: 'done', posted: 1, invoices: { outcome: 'done', posted: 1, failed: 0 } });
    expect(invoicing.customers()).toEqual([
      expect.objectContaining({ customerNumber: '100000', organizationNumber: '923609016', hasAddress: true }),
    ]);
    const [invoice] = invoicing.invoices();
    expect(invoice).toMatchObject({
      number: '10001',
      customerNumber: '100000',
      date: '2026-11-20',
      dueDate: '2026-12-04',
    });
    expect(invoice?.lines).toEqual([
      { productNumber: 'KB-VARE-25', vatCode: '3', netOre: 80_000, vatOre: 20_000 },
      { productNumber: 'KB-VARE-15', vatCode: '31', netOre: 10_000, vatOre: 1_500 },
      { productNumber: 'KB-GEBYR-25', vatCode: '3', netOre: 3_900, vatOre: 975 },
    ]);
    const [voucher] = sandbox.vouchers();
    expect(voucher?.lines.find((item) => item.account === '1530')).toBeUndefined();
    expect(voucher?.lines.find((item) => item.account === '3000')?.amountOre).toBe(-770_125);
    // Ledger per VAT code (Z voucher gross + invoice net + VAT) is exactly the POS report's sales.
    const ledger = new Map<string, number>();
    for (const item of voucher?.lines ?? [])
      if (item.vatCode) ledger.set(item.vatCode, (ledger.get(item.vatCode) ?? 0) - item.amountOre);
    for (const item of invoice?.lines ?? [])
      ledger.set(item.vatCode, (ledger.get(item.vatCode) ?? 0) + item.netOre + item.vatOre);
    expect(Object.fromEntries(ledger)).toEqual({ '3': 875_000, '31': 125_000, '5': 10_000 });

    expect(await sync()).toMatchObject({ posted: 0, invoices: { posted: 0 } });
    expect(invoicing.invoices()).toHaveLength(1);
    expect(
      listLog(db)
        .filter((row) => row.module === 'invoice')
        .map((row) => row.status),
    ).toEqual(['transferred']);
  });

  it('matches an existing customer by organisation number instead of creating one', async () => {
    await setup();
    invoicing.addCustomer({
      customerNumber: '4711',
      name: 'Fjord Bygg AS',
      organizationNumber: '923609016',
      email: null,
      hasAddress: true,
    });
    await sync();
    expect(invoicing.customers()).toHaveLength(1);
    expect(invoicing.invoices()[0]?.customerNumber).toBe('4711');
  });

  it('never creates a second customer when the answer to creating it was lost', async () => {
    await setup();
    // The Z voucher goes first (a harmless fault), then the fault meets the invoice side.
    sandbox.inject('post', { kind: 'delay', ms: 0 });
    sandbox.inject('post', { kind: 'drop-after-store' });
    const first = await sync();
    expect(first.invoices).toMatchObject({ posted: 0, failed: 1 });
    expect(invoicing.customers()).toHaveLength(1);
    const second = await sync(true);
    expect(second.invoices).toMatchObject({ posted: 1, failed: 0 });
    expect(invoicing.customers()).toHaveLength(1);
    expect(invoicing.invoices()).toHaveLength(1);
  });

  it('exactly once: an invoice whose answer was lost after it was stored is found, not sent again', async () => {
    await setup();
    invoicing.addCustomer({
      customerNumber: '4711',
      name: 'Fjord Bygg AS',
      organizationNumber: '923609016',
      email: null,
      hasAddress: true,
    });
    // The Z voucher goes first (a harmless fault), then the fault meets the invoice side.
    sandbox.inject('post', { kind: 'delay', ms: 0 });
    sandbox.inject('post', { kind: 'drop-after-store' });
    expect((await sync()).invoices).toMatchObject({ posted: 0, failed: 1 });
    expect(listInvoiceOutbox(db, SYNC_TARGET)[0]).toMatchObject({ state: 'failed', errorCode: 'unknown_outcome' });
    expect(invoicing.invoices()).toHaveLength(1);
    expect((await sync(true)).invoices).toMatchObject({ posted: 1, foundExisting: 1 });
    expect(invoicing.invoices()).toHaveLength(1);
    expect(listInvoiceOutbox(db, SYNC_TARGET)[0]).toMatchObject({ state: 'posted', externalNumber: '10001' });
  });

  it('an invoice refused for a missing customer address waits for a person and goes once after the fix', async () => {
    await setup();
    invoicing.addCustomer({
      customerNumber: '4711',
      name: 'Fjord Bygg AS',
      organizationNumber: '923609016',
      email: null,
      hasAddress: false,
    });
    invoicing.requireCustomerAddress(true);
    expect((await sync()).invoices).toMatchObject({ posted: 0, failed: 1 });
    const [failed] = listInvoiceOutbox(db, SYNC_TARGET);
    expect(failed).toMatchObject({ state: 'failed', errorCode: 'bad_request' });
    expect(failed?.errorMessage).toBe('Validering feilet. Kunden Fjord Bygg AS mangler postadresse.');
    const logged = listLog(db).find((row) => row.module === 'invoice' && row.status === 'not_transferred');
    expect(logged?.message).toMatch(
      /^Faktura 6001 Fjord Bygg AS 2026-11-20: Regnskapssystemet avviste fakturaen: et kunde- eller fakturafelt/,
    );
    expect(logged?.targetMessage).toBe('Validering feilet. Kunden Fjord Bygg AS mangler postadresse.');
    expect((await sync()).invoices).toMatchObject({ posted: 0, failed: 0 });
    invoicing.setCustomerAddress('4711');
    expect((await sync(true)).invoices).toMatchObject({ posted: 1 });
    expect(invoicing.invoices()).toHaveLength(1);
  });

  it("pos-issued: posts with the POS's number; a number already in use is a failure explained, never a second invoice", async () => {
    await setup({ mode: 'pos-issued' }, [
      invoiceSale(),
      invoiceSale({ posNumber: '10001', customer: { ...invoiceSale().customer } }),
    ]);
    invoicing.setNextInvoiceNumber(10_001);
    const connector = (await import('../connectors/registry')).connectorFor(target(), {
      secrets,
      tuning: CONTRACT_TUNING,
    });
    expect(await connector.invoices?.nextInvoiceNumber()).toBeNull();
    const result = await sync();
    expect(result.invoices).toMatchObject({ posted: 2, failed: 0 });
    expect(invoicing.invoices().map((invoice) => invoice.number)).toEqual(['6001', '10001']);
    expect(await connector.invoices?.nextInvoiceNumber()).toBe(10_002);

    // A third POS invoice numbered like one already in Tripletex.
    importSettlements(db, [dayWithInvoice({ reportNumber: '34/10009', businessDate: '2026-11-21' })]);
    importInvoiceSales(db, [invoiceSale({ posNumber: '6001-b', businessDate: '2026-11-21', issueDate: '2026-11-21' })]);
    importInvoiceSales(db, [
      invoiceSale({ posNumber: '10001', source: 'other-pos', businessDate: '2026-11-21', issueDate: '2026-11-21' }),
    ]);
    const third = await sync();
    expect(third.invoices).toMatchObject({ posted: 0, failed: 2 });
    const failures = listInvoiceOutbox(db, SYNC_TARGET).filter((row) => row.state === 'failed');
    expect(failures.map((row) => row.errorCode).sort()).toEqual(['bad_request', 'duplicate']);
    expect(failures.find((row) => row.errorCode === 'duplicate')?.errorMessage).toMatch(
      /Nummeret er allerede i bruk: 10001/,
    );
    expect(invoicing.invoices()).toHaveLength(2);
  });

  it('refuses "include invoiced sales in the Z revenue" with invoice transfer, and blocks the Z voucher that would double-book', async () => {
    ({ db, secrets, target } = await sandboxHome(newHome(), tripletexTarget, sandbox));
    expect(() =>
      saveInvoiceConfig(db, SYNC_TARGET, { ...INVOICES_OFF, enabled: true, zRevenue: 'include' }, 'en'),
    ).toThrow(DoubleBookingError);
    // A settings file edited by hand gets the same answer when vouchers are built and sent.
    writeSetting(db, `invoices.${SYNC_TARGET}`, { ...INVOICES_OFF, enabled: true, zRevenue: 'include' });
    importSettlements(db, [dayWithInvoice()]);
    importInvoiceSales(db, [invoiceSale()]);
    const prepared = prepareVouchers(db, SYNC_TARGET);
    expect(prepared.blocked).toBe(1);
    expect(prepared.problems[0]).toMatchObject({ code: 'invoice_double_booking', amount: 116_375, invoiceCount: 1 });
    const result = await sync();
    expect(result.posted).toBe(0);
    expect(invoicing.invoices()).toHaveLength(0);
    expect(listVouchers(db, { targetId: SYNC_TARGET })[0]?.state).toBe('blocked');
  });

  it('turning transfer off before anything was sent takes the queued invoices out, so a later "on" cannot double-book', async () => {
    await setup();
    prepareVouchers(db, SYNC_TARGET);
    expect(listInvoiceOutbox(db, SYNC_TARGET)).toHaveLength(1);
    saveInvoiceConfig(db, SYNC_TARGET, { ...INVOICES_OFF, enabled: false }, 'en');
    prepareVouchers(db, SYNC_TARGET);
    expect(listInvoiceOutbox(db, SYNC_TARGET)).toEqual([]);
    expect(
      listVouchers(db, { targetId: SYNC_TARGET })[0]?.voucher?.lines.find((item) => item.account === '1530')?.amount,
    ).toBe(116_375);
  });

  it('an invoice read after its Z voucher was sent is held back, never sent, and the owner is told once what to do', async () => {
    ({ db, secrets, target } = await sandboxHome(newHome(), tripletexTarget, sandbox));
    saveInvoiceConfig(db, SYNC_TARGET, { ...INVOICES_OFF, enabled: true, mode: 'pos-issued' }, 'en');
    importSettlements(db, [dayWithInvoice()]);
    // The POS reports 1 163.75 paid by invoice, but no invoice has been read: the voucher says so.
    expect(prepareVouchers(db, SYNC_TARGET).problems).toEqual([
      expect.objectContaining({ code: 'invoice_clearing_open', amount: 116_375 }),
    ]);
    expect(await sync()).toMatchObject({ posted: 1 });
    // The sale is revenue in the sent Z voucher, with the amount on 1530.
    expect(sandbox.vouchers()[0]?.lines.find((item) => item.account === '1530')?.amountOre).toBe(116_375);

    importInvoiceSales(db, [invoiceSale()]);
    const prepared = prepareVouchers(db, SYNC_TARGET);
    expect(prepared.problems).toEqual([
      expect.objectContaining({
        code: 'invoice_after_z',
        severity: 'warning',
        account: '1530',
        amount: 116_375,
        invoice: { posNumber: '6001', customer: 'Fjord Bygg AS', issuedByPos: true },
      }),
    ]);
    const [held] = listInvoiceOutbox(db, SYNC_TARGET);
    expect(held).toMatchObject({ state: 'held', errorCode: 'invoice_after_z', attempts: 0 });
    // Stored and logged in the target's language (Tripletex: Norwegian), naming what the owner does.
    expect(held?.errorMessage).toBe(
      'Rapport Z 33/10009 2026-11-20: fakturasalg 6001 til Fjord Bygg AS (1\u00a0163,75 kr) ble lest etter at dette dagsoppgjøret var sendt, og oppgjøret har allerede bokført det som omsetning med beløpet på konto 1530. Kassebro holder fakturaen tilbake: sendes den også, blir omsetningen og mvaen bokført to ganger. Kunden har allerede fått kassens faktura; bare posteringen i kundereskontroen mangler: før den i regnskapssystemet mot konto 1530, ikke mot salg, eller spør regnskapsføreren.',
    );
    expect(await sync(true)).toMatchObject({ invoices: { posted: 0, failed: 0 } });
    expect(invoicing.invoices()).toHaveLength(0);
    expect(prepareVouchers(db, SYNC_TARGET).problems).toEqual([]);
    const logged = listLog(db).filter((row) => row.code === 'invoice_after_z');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ module: 'invoice', status: 'not_transferred', message: held?.errorMessage });
  });

  it('an invoice read while its Z voucher is still unsent is cleared and sent instead, with no warning left', async () => {
    ({ db, secrets, target } = await sandboxHome(newHome(), tripletexTarget, sandbox));
    saveInvoiceConfig(db, SYNC_TARGET, { ...INVOICES_OFF, enabled: true }, 'en');
    importSettlements(db, [dayWithInvoice()]);
    expect(prepareVouchers(db, SYNC_TARGET).problems).toHaveLength(1);
    importInvoiceSales(db, [invoiceSale()]);
    expect(prepareVouchers(db, SYNC_TARGET).problems).toEqual([]);
    expect(await sync()).toMatchObject({ posted: 1, invoices: { posted: 1 } });
    expect(sandbox.vouchers()[0]?.lines.find((item) => item.account === '1530')).toBeUndefined();
  });

  it('a Z voucher sent before invoice transfer was turned on keeps its invoices: they are held, not sent', async () => {
    ({ db, secrets, target } = await sandboxHome(newHome(), tripletexTarget, sandbox));
    importSettlements(db, [dayWithInvoice()]);
    await sync();
    saveInvoiceConfig(db, SYNC_TARGET, { ...INVOICES_OFF, enabled: true }, 'en');
    importInvoiceSales(db, [invoiceSale({ lines: [invoiceLine('931.00', '232.75', 2500)] })]);
    await sync();
    expect(listInvoiceOutbox(db, SYNC_TARGET).map((row) => row.state)).toEqual(['held']);
    expect(listInvoiceOutbox(db, SYNC_TARGET)[0]?.errorMessage).toMatch(
      /Kunden er ikke fakturert: lag fakturaen for hånd i regnskapssystemet og før den mot konto 1530/,
    );
    expect(invoicing.invoices()).toHaveLength(0);
  });

  it('an invoice of a day before the go-live date waits with its Z voucher, and goes with it if the date is moved', async () => {
    ({ db, secrets, target } = await sandboxHome(newHome(), tripletexTarget, sandbox, { exportFrom: '2026-11-21' }));
    saveInvoiceConfig(db, SYNC_TARGET, { ...INVOICES_OFF, enabled: true }, 'en');
    importSettlements(db, [dayWithInvoice()]);
    importInvoiceSales(db, [invoiceSale()]);
    expect(await sync()).toMatchObject({ posted: 0, invoices: { posted: 0 } });
    expect(listInvoiceOutbox(db, SYNC_TARGET)).toEqual([]);
    expect(invoicing.invoices()).toHaveLength(0);

    saveTarget(db, { ...target(), settings: { ...target().settings, sync: { exportFrom: '2026-11-20' } } });
    expect(await sync()).toMatchObject({ posted: 1, invoices: { posted: 1 } });
    expect(invoicing.invoices()).toHaveLength(1);
  });
});
