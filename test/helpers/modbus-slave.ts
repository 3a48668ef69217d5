import { SerialPort } from 'serialport';

/**
 * Simulated RS-485 soil probes: the slaves of one Modbus RTU bus, answering on the "node" end of a
 * socat pty pair. Written here rather than with modbus-serial's ServerSerial because that serves a
 * single unit id (or every id) and cannot go silent or garble a reply on demand, which the tests
 * need. Like a real bus, requests with a bad CRC or for a unit id not present get no answer; an
 * address a slave does not have gets exception 02 (illegal data address).
 *
 * The register contents outlive the port, so a test can unplug the pair, make it again under the
 * same names and `attach` the same slaves to the new node end.
 */
export type Table = 'holding' | 'input';

export interface SeenRequest {
  unit: number;
  fn: number;
  start: number;
  length: number;
}

export interface ModbusSlaves {
  /** Opens the node end of a pty pair and starts answering. */
  attach(path: string): Promise<void>;
  /** Stops answering and closes the port (quietly if the pair is already gone). */
  detach(): Promise<void>;
  /** Sets a register; the unit joins the bus if it was not on it. Negative values are stored as int16. */
  set(unit: number, table: Table, address: number, value: number): void;
  /** A silent unit (or, without a unit, the whole bus) receives requests and answers none. */
  setSilent(silent: boolean, unit?: number): void;
  /** The next `n` replies go out with their CRC flipped, as line noise would leave them. */
  corruptNext(n?: number): void;
  /**
   * The next reply (made from the registers as they are then) is held back, and sent just after the
   * reply to the request that follows: a probe that answered after the link gave up, its late frame
   * waiting on the line while the link is idle.
   */
  answerLate(): void;
  /** Every well-formed request seen, for any unit, answered or not. */
  readonly seen: SeenRequest[];
}

export function crc16(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b;
    for (let i = 0; i < 8; i++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}

const withCrc = (body: number[], corrupt: boolean): Buffer => {
  const frame = Buffer.alloc(body.length + 2);
  Buffer.from(body).copy(frame);
  frame.writeUInt16LE(crc16(frame.subarray(0, body.length)) ^ (corrupt ? 0xffff : 0), body.length);
  return frame;
};

/** Requests of functions 01–06 are 8 bytes: unit, function, start, count (or value), CRC. */
const REQUEST_LENGTH = 8;

export function createModbusSlaves(opts: { baudRate?: number } = {}): ModbusSlaves {
  const units = new Map<number, { holding: Map<number, number>; input: Map<number, number>; silent: boolean }>();
  const seen: SeenRequest[] = [];
  let busSilent = false;
  let corrupt = 0;
  let holdNext = false;
  let held: Buffer | undefined;
  let port: SerialPort | undefined;
  let pending = Buffer.alloc(0);

  const unitOf = (unit: number) => {
    let u = units.get(unit);
    if (!u) units.set(unit, (u = { holding: new Map(), input: new Map(), silent: false }));
    return u;
  };

  const answer = (req: Buffer): Buffer | undefined => {
    const unit = req[0] ?? 0;
    const fn = req[1] ?? 0;
    const start = req.readUInt16BE(2);
    const length = req.readUInt16BE(4);
    seen.push({ unit, fn, start, length });
    const u = units.get(unit);
    if (!u || u.silent || busSilent) return undefined;
    const reply = (body: number[]) => {
      const garble = corrupt > 0;
      if (garble) corrupt -= 1;
      return withCrc(body, garble);
    };
    if (fn !== 3 && fn !== 4) return reply([unit, fn | 0x80, 0x01]);
    const table = fn === 3 ? u.holding : u.input;
    const words: number[] = [];
    for (let a = start; a < start + length; a++) {
      const w = table.get(a);
      if (w === undefined) return reply([unit, fn | 0x80, 0x02]);
      words.push(w >> 8, w & 0xff);
    }
    return reply([unit, fn, words.length, ...words]);
  };

  // Bytes may arrive in pieces: gather them, and slide one byte on when a window's CRC is wrong.
  const onData = (chunk: Buffer) => {
    pending = Buffer.concat([pending, chunk]);
    while (pending.length >= REQUEST_LENGTH) {
      const req = pending.subarray(0, REQUEST_LENGTH);
      if (req.readUInt16LE(REQUEST_LENGTH - 2) !== crc16(req.subarray(0, REQUEST_LENGTH - 2))) {
        pending = pending.subarray(1);
        continue;
      }
      pending = pending.subarray(REQUEST_LENGTH);
      const reply = answer(Buffer.from(req));
      if (!reply) continue;
      if (holdNext) {
        holdNext = false;
        held = reply;
        continue;
      }
      port?.write(reply);
      if (held) port?.write(held);
      held = undefined;
    }
  };

  return {
    seen,
    async attach(path) {
      const p = new SerialPort({ path, baudRate: opts.baudRate ?? 9600, autoOpen: false });
      await new Promise<void>((resolve, reject) => p.open((err) => (err ? reject(err) : resolve())));
      pending = Buffer.alloc(0);
      p.on('data', onData);
      // The pair going away closes this end too; nothing to do but forget it.
      p.on('error', () => undefined);
      p.on('close', () => {
        if (port === p) port = undefined;
      });
      port = p;
    },
    async detach() {
      const p = port;
      port = undefined;
      if (p?.isOpen) await new Promise<void>((resolve) => p.close(() => resolve()));
    },
    set(unit, table, address, value) {
      unitOf(unit)[table].set(address, value & 0xffff);
    },
    setSilent(silent, unit) {
      if (unit === undefined) busSilent = silent;
      else unitOf(unit).silent = silent;
    },
    corruptNext(n = 1) {
      corrupt = n;
    },
    answerLate() {
      holdNext = true;
    },
  };
}
