import { describe, expect, it } from 'vitest';
import { matchesQuery, type TargetCustomer } from './invoice-connector';

const customer: TargetCustomer = {
  externalId: '7',
  customerNumber: '100000',
  organizationNumber: '923 609 016',
  email: 'Faktura@Fjordbygg.no',
  name: 'Fjord Bygg AS',
};

describe('matchesQuery', () => {
  it('matches whole values only: organisation numbers by digits, e-mail and number without case', () => {
    expect(matchesQuery(customer, { field: 'organization_number', value: '923609016' })).toBe(true);
    expect(matchesQuery(customer, { field: 'organization_number', value: '92360901' })).toBe(false);
    expect(matchesQuery(customer, { field: 'email', value: 'faktura@fjordbygg.no' })).toBe(true);
    expect(matchesQuery(customer, { field: 'email', value: 'faktura@fjordbygg' })).toBe(false);
    expect(matchesQuery(customer, { field: 'customer_number', value: '10000' })).toBe(false);
    expect(matchesQuery({ ...customer, email: null }, { field: 'email', value: '' })).toBe(false);
  });
});
