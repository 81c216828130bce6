import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { invoiceSale as norwegianInvoiceSale } from '../../../test/fixtures/invoices';
import type { InvoiceMode } from '../invoices/config';
import type { InvoiceSale } from '../invoices/invoice';
import { targetLines } from '../invoices/target-lines';
import type { InvoiceSandboxControl, SandboxControl } from '../sandboxes/server';
import type { Connector } from './connector';
import { ConnectorError } from './errors';
import type { InvoiceConnector, InvoiceToSend, TargetCustomer } from './invoice-connector';

/** The sale a target's contract sends, and how the target must store it; a target's country decides it. */
export interface InvoiceFixture {
  readonly sale: () => InvoiceSale;
  /** [VAT code, net, VAT] in øre per line, as the target stores the sale. */
  readonly storedLines: readonly (readonly [string, number, number])[];
  /** Organisation numbers (in the sale's country's form) of a second customer and of nobody. */
  readonly otherOrganizationNumber: string;
  readonly unknownOrganizationNumber: string;
}

/** Norwegian targets: the invoiceSale fixture (25 % goods, 15 % food, 25 % fee) with codes 3/31/3. */
export const NORWEGIAN_INVOICE_FIXTURE: InvoiceFixture = {
  sale: () => norwegianInvoiceSale(),
  storedLines: [
    ['3', 80_000, 20_000],
    ['31', 10_000, 1_500],
    ['3', 3_900, 975],
  ],
  otherOrganizationNumber: '987654325',
  unknownOrganizationNumber: '999999999',
};

/** What a target's invoice contract needs beyond the voucher harness. */
export interface InvoiceContractHarness {
  readonly target: string;
  start(): Promise<{ sandbox: SandboxControl; connector: Connector }>;
  /** The target's own words for a number already in use and for a customer without an address. */
  readonly words: { readonly duplicate: RegExp; readonly missingAddress: RegExp };
  /** Default: the Norwegian fixture. */
  readonly fixture?: InvoiceFixture;
}

async function failure(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('expected the call to fail');
}

/**
 * The invoice capability, the same for every target that has one: customers found by
 * organisation number, customer number and e-mail; invoices in both modes with the VAT added
 * exactly once; a number already in use and a missing customer field mapped with the target's
 * words; an invoice stored before the answer was lost is found again.
 */
export function runInvoiceContractSuite(harness: InvoiceContractHarness): void {
  const fixture = harness.fixture ?? NORWEGIAN_INVOICE_FIXTURE;
  const invoiceSale = fixture.sale;
  describe(`${harness.target} invoice contract`, () => {
    let sandbox: SandboxControl;
    let book: InvoiceSandboxControl;
    let invoices: InvoiceConnector;
    beforeEach(async () => {
      const started = await harness.start();
      sandbox = started.sandbox;
      if (!sandbox.invoicing || !started.connector.invoices)
        throw new Error(`${harness.target} has no invoice capability`);
      book = sandbox.invoicing;
      invoices = started.connector.invoices;
    });
    afterEach(async () => {
      await sandbox.close();
    });

    const send = (
      customer: TargetCustomer,
      mode: InvoiceMode,
      key: string,
      sale: InvoiceSale = invoiceSale(),
    ): InvoiceToSend => ({
      sale,
      mode,
      customer,
      idempotencyKey: key,
      lines: targetLines(sale, invoices.lineBasis),
    });

    it('creates a customer and finds it by organisation number, customer number and e-mail, and nothing else', async () => {
      const created = await invoices.createCustomer(invoiceSale().customer, '100000');
      expect(created.customerNumber).toBe('100000');
      const { organizationNumber, email } = invoiceSale().customer;
      for (const query of [
        { field: 'organization_number', value: organizationNumber ?? '' },
        { field: 'customer_number', value: '100000' },
        { field: 'email', value: email ?? '' },
      ] as const) {
        expect(
          (await invoices.findCustomers(query)).map((match) => match.externalId),
          query.field,
        ).toEqual([created.externalId]);
      }
      expect(
        await invoices.findCustomers({ field: 'organization_number', value: fixture.unknownOrganizationNumber }),
      ).toEqual([]);
      expect(book.customers()).toHaveLength(1);
    });

    it('invoice in the target: numbered there, VAT added once on net prices, found again by its key', async () => {
      const customer = await invoices.createCustomer(invoiceSale().customer, '100000');
      const posted = await invoices.postInvoice(send(customer, 'invoice-in-target', 'kbi1-contract'));
      const [stored] = book.invoices();
      expect(book.invoices()).toHaveLength(1);
      expect(stored?.number).toBe(posted.number);
      expect(stored?.lines.map((line) => [line.vatCode, line.netOre, line.vatOre])).toEqual(fixture.storedLines);
      expect(await invoices.findExistingInvoice(send(customer, 'invoice-in-target', 'kbi1-contract'))).toEqual(posted);
      expect(await invoices.findExistingInvoice(send(customer, 'invoice-in-target', 'kbi1-other'))).toBeNull();
      expect(await invoices.nextInvoiceNumber()).toBe(Number(posted.number) + 1);
    });

    it("invoice issued by the POS: posted with the POS's number; the same number again is a duplicate", async () => {
      const customer = await invoices.createCustomer(invoiceSale().customer, '100000');
      const posted = await invoices.postInvoice(send(customer, 'pos-issued', 'kbi1-pos'));
      expect(posted.number).toBe(invoiceSale().posNumber);
      expect(book.invoices()[0]?.lines.map((line) => line.netOre + line.vatOre)).toEqual(
        fixture.storedLines.map(([, net, vat]) => net + vat),
      );
      const other = await invoices.createCustomer(
        {
          ...invoiceSale().customer,
          name: 'Annen Kunde AS',
          organizationNumber: fixture.otherOrganizationNumber,
          email: null,
        },
        '100001',
      );
      const clash = await failure(invoices.postInvoice(send(other, 'pos-issued', 'kbi1-clash')));
      expect(clash.code).toBe('duplicate');
      expect(clash.targetMessage).toMatch(harness.words.duplicate);
      expect(await invoices.findExistingInvoice(send(other, 'pos-issued', 'kbi1-clash'))).toBeNull();
      expect(book.invoices()).toHaveLength(1);
    });

    it('a customer without a required address is refused with the target words, and goes after the fix', async () => {
      const customer = await invoices.createCustomer({ ...invoiceSale().customer, address: null }, '100000');
      book.requireCustomerAddress(true);
      const refused = await failure(invoices.postInvoice(send(customer, 'invoice-in-target', 'kbi1-address')));
      expect(refused.code).toBe('bad_request');
      expect(refused.targetMessage).toMatch(harness.words.missingAddress);
      book.setCustomerAddress('100000');
      await invoices.postInvoice(send(customer, 'invoice-in-target', 'kbi1-address'));
      expect(book.invoices()).toHaveLength(1);
    });

    it('an invoice stored before the answer was lost is an unknown outcome, and is found by its key', async () => {
      const customer = await invoices.createCustomer(invoiceSale().customer, '100000');
      sandbox.inject('post', { kind: 'drop-after-store' });
      const lost = await failure(invoices.postInvoice(send(customer, 'invoice-in-target', 'kbi1-lost')));
      expect(lost.code).toBe('unknown_outcome');
      expect(book.invoices()).toHaveLength(1);
      expect((await invoices.findExistingInvoice(send(customer, 'invoice-in-target', 'kbi1-lost')))?.number).toBe(
        book.invoices()[0]?.number,
      );
    });
  });
}
