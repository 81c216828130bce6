import type { InvoiceMode } from '../invoices/config';
import type { InvoiceCustomer, InvoiceSale } from '../invoices/invoice';
import type { LineBasis, TargetInvoiceLine } from '../invoices/target-lines';

/** A customer as the target holds it. */
export interface TargetCustomer {
  readonly externalId: string;
  readonly customerNumber: string | null;
  readonly organizationNumber: string | null;
  readonly email: string | null;
  readonly name: string;
}

/** One way of looking a customer up; tried in the order organisation number → customer number → e-mail. */
export interface CustomerQuery {
  readonly field: 'organization_number' | 'customer_number' | 'email';
  readonly value: string;
}

/**
 * Whether a customer a target listed truly answers a look-up: targets' filters often match on
 * part of a value. E-mail and customer number compare without case; organisation numbers by their
 * digits (559012-3456 and 5590123456, or 923 609 016 and 923609016, are the same).
 */
export function matchesQuery(customer: TargetCustomer, query: CustomerQuery): boolean {
  const value = {
    organization_number: customer.organizationNumber,
    customer_number: customer.customerNumber,
    email: customer.email,
  }[query.field];
  if (value === null) return false;
  const digits = (text: string) => text.replace(/\D/g, '');
  return query.field === 'organization_number'
    ? digits(value) === digits(query.value)
    : value.toLowerCase() === query.value.toLowerCase();
}

export interface InvoiceToSend {
  readonly sale: InvoiceSale;
  readonly mode: InvoiceMode;
  readonly customer: TargetCustomer;
  /** Derived key, stored in the target where it has a field for it, so a retry can find the invoice. */
  readonly idempotencyKey: string;
  readonly lines: readonly TargetInvoiceLine[];
}

export interface PostedInvoice {
  readonly externalId: string;
  /** The invoice number people see in the target. */
  readonly number: string | null;
}

/**
 * The optional invoice capability of a connector. A target that can take invoices implements this
 * (Tripletex, Fiken now; PowerOffice Go and Fortnox add theirs); the invoice sync needs nothing else.
 * Every method throws ConnectorError like the rest of the connector.
 */
export interface InvoiceConnector {
  /** Which amounts the target's invoice lines take. */
  readonly lineBasis: LineBasis;
  readonly modes: readonly InvoiceMode[];
  findCustomers(query: CustomerQuery): Promise<TargetCustomer[]>;
  createCustomer(customer: InvoiceCustomer, customerNumber: string): Promise<TargetCustomer>;
  /** Sends the invoice (creating the products it needs); in 'pos-issued' mode with the POS's number. */
  postInvoice(invoice: InvoiceToSend): Promise<PostedInvoice>;
  /** Whether the target already holds this invoice (after a crash, a timeout or "number already in use"). */
  findExistingInvoice(invoice: InvoiceToSend): Promise<PostedInvoice | null>;
  /** The number the target will give its next invoice, for the number-series check; null if unknown. */
  nextInvoiceNumber(): Promise<number | null>;
}
