import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invoiceSale } from '../../../../test/fixtures/invoices';
import { line, norwegianDay } from '../../../../test/fixtures/settlements';
import { invoiceSyncHome, SYNC_TARGET } from '../../../../test/helpers/sync-home';
import { useTempHome } from '../../../../test/helpers/temp-home';
import { formatAmount, ore } from '../../../shared/money';
import type { SettlementDraft } from '../../domain/settlement';
import { type InvoiceConfig } from '../../invoices/config';
import type { InvoiceSale } from '../../invoices/invoice';
import { importInvoiceSales, listInvoiceOutbox } from '../../invoices/store';
import type { InvoiceSandboxControl } from '../../sandboxes/server';
import type { SecretStore } from '../../secrets/secret-store';
import type { Db } from '../../store/database';
import { listLog } from '../../store/integration-log';
import { importSettlements } from '../../store/settlements';
import type { TargetRecord } from '../../store/targets';
import { syncTarget } from '../../sync/run-target';
import type { RunningSandbox } from '../api-target';
import { CONTRACT_TUNING } from '../contract-suite';
import { connectorFor } from '../registry';
import { powerOfficeTarget } from './target';

const newHome = useTempHome();
/** The fixture day with `count` invoices of 1 163.75 paid by invoice instead of cash. */
function invoicedDay(count: number, overrides: Partial<SettlementDraft> = {}): SettlementDraft {
  const { id: _id, importedAt: _at, ...day } = norwegianDay();
  const invoiced = count * 116_375;
  const cash = day.lines.find((item) => item.key === 'cash')?.amount ?? 0;
  return {
    ...day,
    lines: [
      ...day.lines.filter((item) => item.key !== 'cash'),
      line('cash', formatAmount(ore(cash - invoiced))),
      line('invoice', formatAmount(ore(invoiced))),
    ],
    ...overrides,
  };
}

const FJORD_BYGG = { name: 'Fjord Bygg AS', organizationNumber: '923609016', email: null } as const;

describe('invoice transfer to the PowerOffice Go sandbox', () => {
  let sandbox: RunningSandbox;
  let invoicing: InvoiceSandboxControl;
  let db: Db;
  let secrets: SecretStore;
  let target: () => TargetRecord;
  const sync = (retry = false) => syncTarget(db, target(), { secrets, tuning: CONTRACT_TUNING, retryFailed: retry });

  const setup = async (config: Partial<InvoiceConfig> = {}, sales: InvoiceSale[] = [invoiceSale()]) => {
    ({ db, secrets, target } = await invoiceSyncHome(
      newHome(),
      powerOfficeTarget,
      sandbox,
      { report: invoicedDay(sales.length), sales },
      config,
    ));
  };
  beforeEach(async () => {
    sandbox = await powerOfficeTarget.startSandbox({ rateLimit: CONTRACT_TUNING.rateLimit });
    invoicing = sandbox.invoicing!;
  });
  afterEach(async () => {
    db.close();
    await sandbox.close();
  });

  it('creates customer 100000 once, Go numbers the invoice from net prices, and the Z voucher clears 1530', async () => {
    await setup();
    expect(await sync()).toMatchObject({ outcome: 'done', posted: 1, invoices: { posted: 1, failed: 0 } });
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
    expect(listInvoiceOutbox(db, SYNC_TARGET)[0]).toMatchObject({ state: 'posted', externalNumber: '10001' });
    expect(sandbox.vouchers()[0]?.lines.find((item) => item.account === '1530')).toBeUndefined();
    expect(await sync()).toMatchObject({ posted: 0, invoices: { posted: 0 } });
    expect(invoicing.invoices()).toHaveLength(1);
  });

  it('an invoice Go refused for a missing mail address waits for a person, then its draft is sent once', async () => {
    await setup();
    invoicing.addCustomer({ ...FJORD_BYGG, customerNumber: '10042', hasAddress: false });
    invoicing.requireCustomerAddress(true);
    expect((await sync()).invoices).toMatchObject({ posted: 0, failed: 1 });
    const go =
      'Validation error(s) The invoice cannot be sent: customer 10042 Fjord Bygg AS is missing a mail address ' +
      '(address line, zip code and city are required to deliver the invoice).';
    expect(listInvoiceOutbox(db, SYNC_TARGET)[0]).toMatchObject({
      state: 'failed',
      errorCode: 'bad_request',
      errorMessage: go,
    });
    expect(listLog(db).find((row) => row.module === 'invoice' && row.status === 'not_transferred')?.targetMessage).toBe(
      go,
    );
    // Not retried on its own: a person must fix the customer first.
    expect((await sync()).invoices).toMatchObject({ posted: 0, failed: 0 });
    invoicing.setCustomerAddress('10042');
    // The draft from the first attempt is sent (a second draft with the same key would be refused by Go).
    expect((await sync(true)).invoices).toMatchObject({ posted: 1, failed: 0 });
    expect(invoicing.invoices()).toEqual([
      expect.objectContaining({
        number: '10001',
        customerNumber: '10042',
        idempotencyKey: expect.stringMatching(/^kbi1-/),
      }),
    ]);
  });

  it('never creates a second customer when the answer to creating it was lost', async () => {
    await setup();
    // The Z voucher takes the harmless fault; the lost answer meets POST /Customers.
    sandbox.inject('post', { kind: 'delay', ms: 0 });
    sandbox.inject('post', { kind: 'drop-after-store' });
    expect((await sync()).invoices).toMatchObject({ posted: 0, failed: 1 });
    expect(invoicing.customers()).toHaveLength(1);
    expect((await sync(true)).invoices).toMatchObject({ posted: 1, failed: 0 });
    expect(invoicing.customers()).toEqual([expect.objectContaining({ customerNumber: '100000' })]);
    expect(invoicing.invoices()).toEqual([expect.objectContaining({ customerNumber: '100000' })]);
  });

  it('exactly once: an invoice sent while its answer was lost is found by its key, not sent again', async () => {
    await setup();
    invoicing.addCustomer({ ...FJORD_BYGG, customerNumber: '10042', hasAddress: true });
    // The Z voucher takes the harmless fault; the lost answer meets createAndSendInvoice.
    sandbox.inject('post', { kind: 'delay', ms: 0 });
    sandbox.inject('post', { kind: 'drop-after-store' });
    expect((await sync()).invoices).toMatchObject({ posted: 0, failed: 1 });
    expect(listInvoiceOutbox(db, SYNC_TARGET)[0]).toMatchObject({ state: 'failed', errorCode: 'unknown_outcome' });
    expect(invoicing.invoices()).toHaveLength(1);
    expect((await sync(true)).invoices).toMatchObject({ posted: 1, foundExisting: 1 });
    expect(invoicing.invoices()).toHaveLength(1);
    expect(listInvoiceOutbox(db, SYNC_TARGET)[0]).toMatchObject({ state: 'posted', externalNumber: '10001' });
  });

  it("pos-issued: outgoing invoice vouchers with the POS's numbers; a number Go already has is refused in its words", async () => {
    await setup({ mode: 'pos-issued' }, [invoiceSale(), invoiceSale({ posNumber: '6002' })]);
    const connector = connectorFor(target(), { secrets, tuning: CONTRACT_TUNING });
    expect(await connector.invoices?.nextInvoiceNumber()).toBeNull();
    expect((await sync()).invoices).toMatchObject({ posted: 2, failed: 0 });
    const invoices = invoicing.invoices();
    expect(invoices.map((invoice) => invoice.number)).toEqual(['6001', '6002']);
    // Gross per line with Go's VAT split: the POS's 1 163.75 to the øre.
    expect(invoices[0]?.lines.map((item) => [item.vatCode, item.netOre + item.vatOre])).toEqual([
      ['3', 100_000],
      ['31', 11_500],
      ['3', 4_875],
    ]);
    expect(await connector.invoices?.nextInvoiceNumber()).toBe(6003);

    // Another POS numbering like ours: Go refuses the number, nothing is booked twice.
    importSettlements(db, [invoicedDay(1, { reportNumber: '34/10009', businessDate: '2026-11-21' })]);
    importInvoiceSales(db, [
      invoiceSale({ posNumber: '6002', source: 'other-pos', businessDate: '2026-11-21', issueDate: '2026-11-21' }),
    ]);
    const third = await sync();
    expect(third.invoices).toMatchObject({ posted: 0, failed: 1 });
    expect(listInvoiceOutbox(db, SYNC_TARGET).find((row) => row.state === 'failed')).toMatchObject({
      errorCode: 'duplicate',
      errorMessage: 'Validation error(s) An outgoing invoice with invoice number 6002 already exists on this client.',
    });
    expect(invoicing.invoices()).toHaveLength(2);
  });
});
