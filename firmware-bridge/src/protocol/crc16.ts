/**
 * CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, no reflection, no final XOR
 * (PROTOCOL.md, Framing). Check value: crc16('123456789') === 0x29B1.
 *
 * Bit by bit rather than through a 512-byte table: a line is at most 96 bytes, and this is the same
 * loop the node runs in `tongxin_proto.h`, so the two read side by side.
 */
export function crc16(data: string | Uint8Array): number {
  let crc = 0xffff;
  for (let i = 0; i < data.length; i++) {
    // A string is taken one byte per char, as LineReader builds lines (latin1). Chars above 0xFF never
    // get here from decodeLine: they are bad-char before the CRC is looked at.
    const byte = typeof data === 'string' ? data.charCodeAt(i) & 0xff : (data[i] ?? 0);
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc;
}

/** The CRC as it is written on the wire: exactly four upper-case hex digits. */
export function crcHex(crc: number): string {
  return (crc & 0xffff).toString(16).toUpperCase().padStart(4, '0');
}
