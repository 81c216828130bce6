import { afterEach, describe, expect, it } from 'vitest';
import { startTripletexSandbox, TRIPLETEX_SANDBOX_DEFAULTS } from './tripletex';

type Sandbox = Awaited<ReturnType<typeof startTripletexSandbox>>;
let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

/** A session as any Tripletex client opens one, then the Basic header it authenticates with. */
async function session(url: string): Promise<string> {
  const query = new URLSearchParams({
    consumerToken: TRIPLETEX_SANDBOX_DEFAULTS.consumerToken,
    employeeToken: TRIPLETEX_SANDBOX_DEFAULTS.employeeToken,
    expirationDate: '2099-01-01',
  });
  const answer = await fetch(`${url}/v2/token/session/:create?${query}`, { method: 'PUT' });
  const { value } = (await answer.json()) as { value: { token: string } };
  return `Basic ${Buffer.from(`0:${value.token}`).toString('base64')}`;
}

describe('Tripletex sandbox rules no schema states', () => {
  it('refuses a posting whose account is given by id alone, as some tenants do (tripletex-api2 #112)', async () => {
    sandbox = await startTripletexSandbox();
    const authorization = await session(sandbox.url);
    const accounts = await fetch(`${sandbox.url}/v2/ledger/account?number=1920,3000`, { headers: { authorization } });
    const [bank, sales] = ((await accounts.json()) as { values: { id: number; name: string }[] }).values;
    const posting = (row: number, account: { id: number; name?: string }, amountGross: number) => ({
      row,
      account,
      amountGross,
      amountGrossCurrency: amountGross,
    });
    const post = (postings: unknown[]) =>
      fetch(`${sandbox?.url}/v2/ledger/voucher?sendToLedger=true`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ date: '2026-01-05', description: 'Z 1', postings }),
      });
    if (!bank || !sales) throw new Error('chart without 1920/3000');
    const byIdAlone = await post([posting(1, { id: bank.id }, 100), posting(2, { id: sales.id }, -100)]);
    expect(byIdAlone.status).toBe(422);
    expect(await byIdAlone.json()).toMatchObject({
      validationMessages: [{ field: 'postings.account.name', message: 'Kan ikke være null.' }],
    });
    const named = await post([posting(1, bank, 100), posting(2, sales, -100)]);
    expect(named.status).toBe(201);
    expect(sandbox.vouchers()).toHaveLength(1);
  });

  it('refuses a customer carrying a field the OpenAPI marks read-only (isCustomer)', async () => {
    sandbox = await startTripletexSandbox();
    const authorization = await session(sandbox.url);
    const create = (customer: Record<string, unknown>) =>
      fetch(`${sandbox?.url}/v2/customer`, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify(customer),
      });
    const readOnly = await create({ name: 'Fjord Bygg AS', customerNumber: 100_000, isCustomer: true });
    expect(readOnly.status).toBe(422);
    expect(await readOnly.json()).toMatchObject({ validationMessages: [{ field: 'isCustomer' }] });
    expect((await create({ name: 'Fjord Bygg AS', customerNumber: 100_000 })).status).toBe(201);
  });
});
