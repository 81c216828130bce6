import { readGbat10, type GbatVoucher } from '../gbat10/read-gbat10';
import { DUETT_ACCOUNT } from './duett-format';

/** A Duett import file is GBAT10 whose accounts may be Duett sub-accounts (`3000.1`); same checks otherwise. */
export function readDuett(bytes: Uint8Array, encoding = 'iso-8859-1'): GbatVoucher[] {
  return readGbat10(bytes, encoding, 'Duett file', DUETT_ACCOUNT);
}
