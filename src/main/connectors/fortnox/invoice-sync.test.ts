import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reportWithInvoices, swedishInvoiceSale } from '../../../../test/fixtures/invoices';
import { swedishDay } from '../../../../test/fixtures/settlements';
import { invoiceSyncHome, SYNC_TARGET } from '../../../../test/helpers/sync-home';
import { useTempHome } from '../../../../test/helpers/temp-home';
import { type InvoiceConfig } from '../../invoices/config';
import type { InvoiceSale } from '../../invoices/invoice';
import { listInvoiceOutbox } from '../../invoices/store';
import type { InvoiceSandboxControl } from '../../sandboxes/server';
import type { SecretStore } from '../../secrets/secret-store';
import type { Db } from '../../store/database';
import { listLog } from '../../store/integration-log';
import type { TargetRecord } from '../../store/targets';
import { syncTarget } from '../../sync/run-target';
import type { RunningSandbox } from '../api-target';
import { CONTRACT_TUNING } from '../contract-suite';
import { fortnoxTarget } from './target';

const newHome = useTempHome();

/** The Swedish fixture day (2026-11-20) whose report contains these invoice sales. */
function dayWith(sales: readonly InvoiceSale[]) {
  const { id: _id, importedAt: _at, ...day } = swedishDay();
  return reportWithInvoices(day, sales);
}

describe('invoice transfer to the Fortnox sandbox', () => {
  let sandbox: RunningSandbox;
  let invoicing: InvoiceSandboxControl;
  let db: Db;
  let secrets: SecretStore;
  let target: () => TargetRecord;
  const sync = (retry = false) => syncTarget(db, target(), { secrets, tuning: CONTRACT_TUNING, retryFailed: retry });

  const setup = async (config: Partial<InvoiceConfig> = {}, sales: InvoiceSale[] = [swedishInvoiceSale()]) => {
    ({ db, secrets, target } = await invoiceSyncHome(
      newHome(),
      fortnoxTarget,
      sandbox,
      { report: dayWith(sales), sales },
      config,
    ));
  };
  /** A customer someone made in Fortnox already: matched by organisation number, never created again. */
  const existingCustomer = (hasAddress: boolean) =>
    invoicing.addCustomer({
      customerNumber: '4711',
      name: 'Fjällbygg AB',
      organizationNumber: '559012-3456',
      email: null,
      hasAddress,
    });
  beforeEach(async () => {
    sandbox = await fortnoxTarget.startSandbox();
    invoicing = sandbox.invoicing!;
  });
  afterEach(async () => {
    db.close();
    await sandbox.close();
  });

  it('an invoice refused for a customer without an address waits for a person, and goes exactly once after the fix', async () => {
    await setup();
    existingCustomer(false);
    invoicing.requireCustomerAddress(true);
    expect(await sync()).toMatchObject({ posted: 1, invoices: { posted: 0, failed: 1 } });
    const fortnoxWords =
      'Kund 4711 (Fjällbygg AB) saknar fakturaadress: fyll i adress, postnummer och ort. (Fortnox 2099104)';
    expect(listInvoiceOutbox(db, SYNC_TARGET)[0]).toMatchObject({
      state: 'failed',
      errorCode: 'bad_request',
      errorMessage: fortnoxWords,
    });
    const logged = listLog(db).find((row) => row.module === 'invoice' && row.status === 'not_transferred');
    expect(logged?.message).toMatch(/^Faktura 7001 Fjällbygg AB 2026-11-20: /);
    expect(logged?.targetMessage).toBe(fortnoxWords);
    // Not retried on its own: the same refusal would come back.
    expect(await sync()).toMatchObject({ invoices: { posted: 0, failed: 0 } });
    expect(invoicing.invoices()).toHaveLength(0);

    invoicing.setCustomerAddress('4711');
    expect(await sync(true)).toMatchObject({ invoices: { posted: 1, failed: 0 } });
    expect(await sync(true)).toMatchObject({ invoices: { posted: 0, failed: 0 } });
    expect(invoicing.invoices()).toEqual([expect.objectContaining({ number: '1', customerNumber: '4711' })]);
    expect(invoicing.customers()).toHaveLength(1);
    expect(listInvoiceOutbox(db, SYNC_TARGET)[0]).toMatchObject({ state: 'posted', externalNumber: '1' });
  });

  it('exactly once: an invoice stored before its answer was lost is found by ExternalInvoiceReference1, not sent again', async () => {
    await setup();
    existingCustomer(true);
    // The Z voucher goes first (a harmless fault), then the lost answer meets the invoice.
    sandbox.inject('post', { kind: 'delay', ms: 0 });
    sandbox.inject('post', { kind: 'drop-after-store' });
    expect((await sync()).invoices).toMatchObject({ posted: 0, failed: 1 });
    expect(listInvoiceOutbox(db, SYNC_TARGET)[0]).toMatchObject({ state: 'failed', errorCode: 'unknown_outcome' });
    expect(invoicing.invoices()).toHaveLength(1);
    expect((await sync(true)).invoices).toMatchObject({ posted: 1, foundExisting: 1 });
    expect(invoicing.invoices()).toHaveLength(1);
  });

  it('never creates a second customer when the answer to creating it was lost', async () => {
    await setup();
    sandbox.inject('post', { kind: 'delay', ms: 0 });
    sandbox.inject('post', { kind: 'drop-after-store' });
    expect((await sync()).invoices).toMatchObject({ posted: 0, failed: 1 });
    expect(invoicing.customers()).toHaveLength(1);
    expect((await sync(true)).invoices).toMatchObject({ posted: 1, failed: 0 });
    expect(invoicing.customers()).toEqual([expect.objectContaining({ customerNumber: '100000', hasAddress: true })]);
    expect(invoicing.invoices()).toHaveLength(1);
  });

  it("pos-issued: the POS's number becomes Fortnox's; a number already in use is a failure in Fortnox's words, never a second invoice", async () => {
    const clash = swedishInvoiceSale({ source: 'other-pos' });
    await setup({ mode: 'pos-issued' }, [swedishInvoiceSale(), clash]);
    existingCustomer(true);
    expect((await sync()).invoices).toMatchObject({ posted: 1, failed: 1 });
    expect(invoicing.invoices().map((invoice) => invoice.number)).toEqual(['7001']);
    const failed = listInvoiceOutbox(db, SYNC_TARGET).find((row) => row.state === 'failed');
    expect(failed).toMatchObject({
      errorCode: 'duplicate',
      errorMessage: 'Fakturanummer 7001 används redan. (Fortnox 2099103)',
    });
    expect((await sync(true)).invoices).toMatchObject({ posted: 0, failed: 1 });
    expect(invoicing.invoices()).toHaveLength(1);
  });

  it('pos-issued: the invoice is booked and marked as sent; one cut off after it was stored is completed, not sent again', async () => {
    await setup({ mode: 'pos-issued' });
    existingCustomer(true);
    // The Z voucher goes first (a harmless fault), then the answer to creating the invoice is lost.
    sandbox.inject('post', { kind: 'delay', ms: 0 });
    sandbox.inject('post', { kind: 'drop-after-store' });
    expect((await sync()).invoices).toMatchObject({ posted: 0, failed: 1 });
    expect(invoicing.invoices()).toEqual([
      expect.objectContaining({ number: '7001', booked: false, markedSent: false }),
    ]);

    expect((await sync(true)).invoices).toMatchObject({ posted: 1, foundExisting: 1 });
    expect(invoicing.invoices()).toEqual([expect.objectContaining({ number: '7001', booked: true, markedSent: true })]);
  });

  it('invoice in Fortnox: left unbooked and unsent, for the owner to check and send from Fortnox', async () => {
    await setup();
    existingCustomer(true);
    expect((await sync()).invoices).toMatchObject({ posted: 1 });
    expect(invoicing.invoices()).toEqual([expect.objectContaining({ booked: false, markedSent: false })]);
  });
});
