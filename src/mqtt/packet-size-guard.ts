import type { Duplex } from 'node:stream';
import { PACKET_TOO_LARGE } from './client-errors.js';

/**
 * The MQTT parser keeps a packet's bytes until the whole packet has arrived, whatever length its
 * header announces (up to 256 MB), and before CONNECT, so before any password is checked. This
 * watches the length in each packet's fixed header and drops a connection that announces more than
 * `maxBytes`, before the bytes pile up in memory.
 *
 * It listens to 'data' beside aedes' 'readable': with both, the stream stays in paused mode and
 * 'data' reports exactly the chunks aedes reads, so it copies nothing and changes no timing.
 */
export const MAX_PACKET_BYTES = 256 * 1024;

export function guardPacketSize(conn: Duplex, maxBytes = MAX_PACKET_BYTES): void {
  let skip = 0; // bytes of the current packet's body still to come
  let inLength = false; // after a first header byte, reading the remaining-length bytes
  let length = 0;
  let multiplier = 1;
  let lengthBytes = 0;

  const onData = (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - i);
        skip -= n;
        i += n;
        continue;
      }
      if (!inLength) {
        inLength = true;
        length = 0;
        multiplier = 1;
        lengthBytes = 0;
        i++;
        continue;
      }
      const b = chunk[i++] as number;
      length += (b & 0x7f) * multiplier;
      multiplier *= 128;
      lengthBytes++;
      if (b & 0x80) {
        // A fifth length byte is malformed: the parser says so and drops the connection itself.
        if (lengthBytes >= 4) return void conn.off('data', onData);
        continue;
      }
      inLength = false;
      if (length > maxBytes) {
        conn.off('data', onData);
        conn.destroy(Object.assign(new Error(`packet of ${length} bytes announced; at most ${maxBytes}`), { code: PACKET_TOO_LARGE }));
        return;
      }
      skip = length;
    }
  };
  conn.on('data', onData);
}
