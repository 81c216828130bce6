import { ConnectorError } from '../connectors/errors';
import type { CustomerQuery, InvoiceConnector, TargetCustomer } from '../connectors/invoice-connector';
import type { Db } from '../store/database';
import { customerKey, type InvoiceCustomer } from './invoice';
import { getTargetCustomer, nextCustomerNumber, saveTargetCustomer, type MatchedBy } from './store';

/**
 * The look-ups that identify a POS customer at a target, in order: organisation number, then
 * customer number (the number we reserved for it, then the POS's own), then e-mail.
 */
export function customerQueries(customer: InvoiceCustomer, reservedNumber: string | null): CustomerQuery[] {
  const queries: CustomerQuery[] = [];
  if (customer.organizationNumber) queries.push({ field: 'organization_number', value: customer.organizationNumber });
  for (const number of new Set([reservedNumber, customer.customerNumber])) {
    if (number) queries.push({ field: 'customer_number', value: number });
  }
  if (customer.email) queries.push({ field: 'email', value: customer.email });
  return queries;
}

const sameName = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

const MATCHED_BY: Readonly<Record<CustomerQuery['field'], MatchedBy>> = {
  organization_number: 'organization_number',
  customer_number: 'customer_number',
  email: 'email',
};

/**
 * The target's customer for a POS customer: remembered, else matched, else created with the next
 * number of our series. The number is reserved (committed) before the customer is created, so a
 * retry after a lost answer finds the customer by that number instead of creating a second one.
 */
export async function resolveCustomer(
  db: Db,
  targetId: string,
  connector: InvoiceConnector,
  customer: InvoiceCustomer,
  customerNumberStart: number,
  now: () => Date,
): Promise<TargetCustomer> {
  const key = customerKey(customer);
  const known = getTargetCustomer(db, targetId, key);
  const fromRow = (externalId: string, customerNumber: string | null): TargetCustomer => ({
    externalId,
    customerNumber,
    organizationNumber: customer.organizationNumber,
    email: customer.email,
    name: customer.name,
  });
  if (known?.externalId) return fromRow(known.externalId, known.customerNumber);

  let reserved = known?.customerNumber ?? null;
  for (const query of customerQueries(customer, reserved)) {
    let found = await connector.findCustomers(query);
    // A customer number alone is weak (the POS's and the target's series may overlap): it counts
    // only with the same name. Our reserved number held by someone else is taken: use the next.
    if (query.field === 'customer_number') {
      found = found.filter((match) => sameName(match.name, customer.name));
      if (found.length === 0 && query.value === reserved) reserved = null;
    }
    if (found.length > 1) {
      throw new ConnectorError(
        'bad_request',
        `${found.length} customers in the accounting system have ${query.field.replace('_', ' ')} ${query.value} ` +
          `(${found.map((match) => match.customerNumber ?? match.externalId).join(', ')}); merge them so Kassebro knows which one ${customer.name} is.`,
      );
    }
    const [match] = found;
    if (match) {
      const ours = reserved !== null && reserved === match.customerNumber;
      saveTargetCustomer(
        db,
        targetId,
        {
          customerKey: key,
          customerNumber: match.customerNumber,
          externalId: match.externalId,
          matchedBy: ours ? 'created' : MATCHED_BY[query.field],
        },
        now(),
      );
      return match;
    }
  }

  const number = reserved ?? String(nextCustomerNumber(db, targetId, customerNumberStart));
  saveTargetCustomer(
    db,
    targetId,
    { customerKey: key, customerNumber: number, externalId: null, matchedBy: 'created' },
    now(),
  );
  const created = await connector.createCustomer(customer, number);
  saveTargetCustomer(
    db,
    targetId,
    {
      customerKey: key,
      customerNumber: created.customerNumber ?? number,
      externalId: created.externalId,
      matchedBy: 'created',
    },
    now(),
  );
  return created;
}
