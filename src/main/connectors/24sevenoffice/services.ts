import { join } from 'node:path';
import { z } from 'zod';
import { resourcesDir } from '../../paths';

/** The three SOAP services Kassebro uses (specs/24sevenoffice.md §1); paths below the API host. */
export const SERVICES = {
  authenticate: { path: '/authenticate/v001/authenticate.asmx', wsdl: 'authenticate.wsdl' },
  account: { path: '/Economy/Account/V004/Accountservice.asmx', wsdl: 'accountservice.wsdl' },
  transaction: { path: '/Economy/Accounting/V001/TransactionService.asmx', wsdl: 'transactionservice.wsdl' },
} as const;

export type ServiceName = keyof typeof SERVICES;

export const PRODUCTION_ORIGIN = 'https://api.24sevenoffice.com';

/** The shipped WSDL, so nothing is fetched from 24SevenOffice at start-up. */
export function wsdlPath(service: ServiceName): string {
  return join(resourcesDir(), 'wsdl', '24sevenoffice', SERVICES[service].wsdl);
}

/** The session travels as the ASP.NET session cookie on every call after Login. */
export function sessionCookie(sessionId: string): { Cookie: string } {
  return { Cookie: `ASP.NET_SessionId=${sessionId}` };
}

/**
 * Decimals and dates stay the text 24SevenOffice sent: amounts are parsed to øre exactly at our edge,
 * and a dateTime without a zone must not be shifted by the local time zone.
 */
export const KEEP_TEXT = { decimal: (text: string) => text, dateTime: (text: string) => text };

/**
 * The idempotency key rides at the end of the first entry's Comment (the only free-text field that
 * GetTransactions returns), so a voucher stored before a crash can be found by it.
 */
export function commentWithKey(text: string, key: string): string {
  return `${text} [${key}]`;
}

export function keyInComment(comment: string | null | undefined): string | null {
  return /\[(kb\d-[^\]\s]+)\]\s*$/.exec(comment ?? '')?.[1] ?? null;
}

/** Values soap parsed from XML: text or a number (per the WSDL type); we want them as text or int. */
export const soapText = z.union([z.string(), z.number()]).transform(String);
export const soapInt = z.coerce.number().int();

/** soap gives one repeated child as an object, several as an array, none as nothing: always an array. */
export const soapList = <T extends z.ZodType>(item: T) =>
  z
    .union([z.array(item), item.transform((value) => [value])])
    .optional()
    .transform((value) => value ?? []);
