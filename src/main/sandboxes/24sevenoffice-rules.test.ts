import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SERVICES } from '../connectors/24sevenoffice/services';
import { startTfsoSandbox, TFSO_SANDBOX_DEFAULTS } from './24sevenoffice';

/** Raw SOAP 1.1, as any client would send it: the rule is the sandbox's, not the connector's. */
async function soap(url: string, path: string, action: string, body: string, cookie = ''): Promise<string> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'text/xml; charset=utf-8',
      SOAPAction: `"http://24sevenOffice.com/webservices/${action}"`,
      ...(cookie ? { cookie } : {}),
    },
    body: `<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><${action} xmlns="http://24sevenOffice.com/webservices">${body}</${action}></soap:Body></soap:Envelope>`,
  });
  return response.text();
}

const entry = (account: number, amount: string, taxNo?: string) =>
  `<Entry><AccountNo>${account}</AccountNo><Date>2026-11-03T00:00:00</Date><Amount>${amount}</Amount>${taxNo ? `<TaxNo>${taxNo}</TaxNo>` : ''}<Comment>Salg</Comment></Entry>`;

const bundleList = (transactionNo: number, entries: string[], ignoreWarnings: string[] = []) =>
  `<BundleList><Bundles><Bundle><YearId>2026</YearId><Vouchers><Voucher><TransactionNo>${transactionNo}</TransactionNo>` +
  `<Entries>${entries.join('')}</Entries><Sort>${TFSO_SANDBOX_DEFAULTS.typeNo}</Sort></Voucher></Vouchers>` +
  `<Sort>${TFSO_SANDBOX_DEFAULTS.typeNo}</Sort><Name>Kasse</Name></Bundle></Bundles><SaveOption>0</SaveOption>` +
  (ignoreWarnings.length
    ? `<IgnoreWarnings>${ignoreWarnings.map((name) => `<string>${name}</string>`).join('')}</IgnoreWarnings>`
    : '') +
  `</BundleList>`;

describe('the 24SevenOffice sandbox enforces VAT entries on ledger vouchers (SaveOption 0)', () => {
  let sandbox: Awaited<ReturnType<typeof startTfsoSandbox>>;
  let save: (list: string) => Promise<string>;
  beforeEach(async () => {
    sandbox = await startTfsoSandbox();
    const login = await soap(
      sandbox.url,
      SERVICES.authenticate.path,
      'Login',
      `<credential><ApplicationId>${TFSO_SANDBOX_DEFAULTS.applicationId}</ApplicationId><Password>${TFSO_SANDBOX_DEFAULTS.password}</Password><Username>${TFSO_SANDBOX_DEFAULTS.username}</Username></credential>`,
    );
    const session = /<LoginResult>([^<]+)<\/LoginResult>/.exec(login)?.[1] ?? '';
    save = (list) => soap(sandbox.url, SERVICES.account.path, 'SaveBundleList', list, `ASP.NET_SessionId=${session}`);
  });
  afterEach(async () => {
    await sandbox.close();
  });

  it('refuses a line coded with a VAT-bearing TaxNo and no VAT entry with vatisnotinbalance', async () => {
    const answer = await save(bundleList(10001, [entry(1920, '1250.00'), entry(3000, '-1250.00', '3')]));
    expect(answer).toMatch(
      /<Type>NotSaved<\/Type><Description>vatisnotinbalance: voucher 10001 [^<]*TaxNo (&apos;|')3\b/,
    );
    expect(sandbox.vouchers()).toHaveLength(0);
  });

  it("keeps the voucher when the VAT entry is on the code's account, or a 0 % code has none", async () => {
    const answer = await save(
      bundleList(10001, [
        entry(1920, '1350.00'),
        entry(3000, '-1000.00', '3'),
        entry(2700, '-250.00'),
        entry(3100, '-100.00', '5'),
      ]),
    );
    expect(answer).toContain('<Type>Ok</Type>');
    expect(sandbox.vouchers()[0]?.lines.map((line) => line.vatCode)).toEqual([null, '3', '3', '5']);
  });

  it('keeps it when IgnoreWarnings names vatisnotinbalance', async () => {
    const answer = await save(
      bundleList(10001, [entry(1920, '1250.00'), entry(3000, '-1250.00', '3')], ['vatisnotinbalance']),
    );
    expect(answer).toContain('<Type>Ok</Type>');
    expect(sandbox.vouchers()).toHaveLength(1);
  });
});
