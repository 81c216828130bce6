/**
 * ZVT serial checksum: CCITT polynomial in reflected form (0x8408), initial value 0, no final XOR —
 * the CRC-16/KERMIT parameter set (spec terminal.md §2.2; check value of "123456789" is 0x2189).
 */
const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte += 1) {
    let crc = byte;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
    table[byte] = crc;
  }
  return table;
})();

export function crc16Kermit(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = (crc >>> 8) ^ TABLE[(crc ^ byte) & 0xff]!;
  return crc;
}
