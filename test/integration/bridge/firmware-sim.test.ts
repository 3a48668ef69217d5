import { SerialPort } from 'serialport';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crc16, crcHex } from '../../../firmware-bridge/src/protocol/crc16.js';
import { decodeLine, encodeFrame, type BridgeFrame, type Frame, type NodeFrame } from '../../../firmware-bridge/src/protocol/frame.js';
import { LineReader } from '../../../firmware-bridge/src/protocol/line-reader.js';
import { buildFirmware, standardFirmataHex, startUno, type Uno } from '../../helpers/simavr.js';

/**
 * Our real Arduino sketch (firmware-bridge/firmware/tongxin-node), built with Debian's avr-gcc and
 * run on a simulated ATmega328P (simavr), talking our line protocol over a pty opened with the real
 * serialport package; the test plays the soil probes, the HC-SR04s and the door beams through the
 * harness. Simulation costs CPU and other suites run beside this one: waits are generous.
 */
const NODE_ID = 'sim-node';
// Readings every 500 ms instead of 2 s keeps the suite short; the default is the sketch's business.
const REPORT_MS = 500;
const WAIT = 8000;

/** One serial line to a simulated node: every frame that came in, decoded with the bridge's codec. */
class NodeLine {
  readonly frames: { frame: Frame; at: number }[] = [];
  readonly rejects: string[] = [];
  private readonly reader = new LineReader();
  private waiters = new Set<() => void>();

  private constructor(readonly port: SerialPort) {
    port.on('data', (chunk: Buffer) => {
      for (const ev of this.reader.push(chunk)) {
        if ('reject' in ev) {
          this.rejects.push(ev.reject);
          continue;
        }
        const r = decodeLine(ev.line);
        if (r.ok) this.frames.push({ frame: r.frame, at: Date.now() });
        else this.rejects.push(`${r.reason}: ${r.detail}`);
      }
      for (const w of [...this.waiters]) w();
    });
  }

  static async open(path: string): Promise<NodeLine> {
    const port = new SerialPort({ path, baudRate: 57600, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    // The board printed its boot frames before anyone listened (a pty has no DTR to reset it): they
    // wait in the buffer, or are still coming. Drop them, and start once a heartbeat shows the boot
    // burst is over, so that what a test sees after its mark is an answer to what it did.
    await new Promise<void>((resolve, reject) => port.flush((err) => (err ? reject(err) : resolve())));
    const line = new NodeLine(port);
    await line.waitFor(0, (f) => f.type === 'B');
    return line;
  }

  /** Where "from now on" starts, for the waits below. */
  mark(): number {
    return this.frames.length;
  }

  send(frame: BridgeFrame): void {
    this.port.write(encodeFrame(frame));
  }

  /** A line the codec would refuse to encode (a bad state, a bad CRC): written as given. */
  sendRaw(line: string): void {
    this.port.write(line);
  }

  since(mark: number): NodeFrame[] {
    return this.frames.slice(mark).map((f) => f.frame as NodeFrame);
  }

  /** The first frame from `mark` on that matches; rejects after `timeoutMs`. */
  waitFor<T extends NodeFrame>(mark: number, match: (f: NodeFrame) => f is T, timeoutMs?: number): Promise<T>;
  waitFor(mark: number, match: (f: NodeFrame) => boolean, timeoutMs?: number): Promise<NodeFrame>;
  waitFor(mark: number, match: (f: NodeFrame) => boolean, timeoutMs = WAIT): Promise<NodeFrame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.since(mark).find(match);
        if (!hit) return;
        this.waiters.delete(check);
        clearTimeout(timer);
        resolve(hit);
      };
      const timer = setTimeout(() => {
        this.waiters.delete(check);
        const seen = this.since(mark).map((f) => JSON.stringify(f));
        reject(new Error(`no matching frame within ${timeoutMs} ms; saw ${seen.length}: ${seen.slice(-15).join(' ')}`));
      }, timeoutMs);
      this.waiters.add(check);
      check();
    });
  }

  async close(): Promise<void> {
    if (this.port.isOpen) await new Promise<void>((r) => this.port.close(() => r()));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const reading = (channel: string) => (f: NodeFrame): f is Extract<NodeFrame, { type: 'R' }> => f.type === 'R' && f.channel === channel;
const frameLine = (body: string) => `${body}*${crcHex(crc16(body))}\n`;

describe('tongxin-node firmware on a simulated Uno', () => {
  let uno: Uno;
  let line: NodeLine;

  beforeAll(async () => {
    const elf = await buildFirmware({ nodeId: NODE_ID, reportMs: REPORT_MS });
    uno = await startUno(elf);
    line = await NodeLine.open(uno.pty);
  }, 120_000);

  afterAll(async () => {
    await line?.close();
    await uno?.stop();
  });

  it('starts with every relay off', async () => {
    for (const pin of [8, 9, 10, 11]) await uno.waitOutput(pin, 0);
    expect([8, 9, 10, 11].map((p) => uno.outputHistory(p))).toEqual([[0], [0], [0], [0]]);
  });

  it('answers Q with its HELLO and the state of every relay', async () => {
    const mark = line.mark();
    line.send({ type: 'Q' });
    await line.waitFor(mark, (f) => f.type === 'S' && f.channel === 'r3');
    const answer = line.since(mark).filter((f) => f.type === 'H' || f.type === 'S');
    expect(answer).toEqual([
      { type: 'H', proto: 1, nodeId: NODE_ID, firmware: '1.0.0' },
      { type: 'S', channel: 'r0', state: 'off' },
      { type: 'S', channel: 'r1', state: 'off' },
      { type: 'S', channel: 'r2', state: 'off' },
      { type: 'S', channel: 'r3', state: 'off' },
    ]);
  }, 30_000);

  it('beats every second, and numbers R and B frames with one counter', async () => {
    const mark = line.mark();
    const start = line.frames.length;
    await sleep(4500);
    const frames = line.frames.slice(start).filter((f) => f.frame.type === 'R' || f.frame.type === 'B');
    const beats = frames.filter((f) => f.frame.type === 'B');
    expect(beats.length).toBeGreaterThanOrEqual(3);
    const uptimes = beats.map((b) => (b.frame as Extract<Frame, { type: 'B' }>).uptime);
    for (let i = 1; i < uptimes.length; i++) expect(uptimes[i]).toBeGreaterThan(uptimes[i - 1] ?? Infinity);
    // The wall-clock gap between beats: a busy machine stretches some, but not the typical one.
    const gaps = beats.slice(1).map((b, i) => b.at - (beats[i]?.at ?? 0)).sort((a, b) => a - b);
    const median = gaps[Math.floor(gaps.length / 2)] ?? 0;
    expect(median).toBeGreaterThan(600);
    expect(median).toBeLessThan(1600);
    // R frames in between, and not one sequence number skipped or repeated.
    expect(frames.some((f) => f.frame.type === 'R')).toBe(true);
    const seqs = frames.map((f) => (f.frame as { seq: number }).seq);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBe(((seqs[i - 1] ?? -2) + 1) % 65536);
    // u1 has had no echo since boot: its sensor-fault may be repeated now and then, nothing else.
    expect(line.since(mark).filter((f) => f.type === 'E' && f.code !== 'sensor-fault')).toEqual([]);
  }, 30_000);

  it('reports the soil probes as ADC counts of the millivolts on A0-A3', async () => {
    uno.setMillivolts(0, 2500);
    uno.setMillivolts(1, 5000);
    uno.setMillivolts(2, 0);
    uno.setMillivolts(3, 1234);
    await sleep(100);
    const mark = line.mark();
    const [m0, m1, m2, m3] = await Promise.all(['m0', 'm1', 'm2', 'm3'].map((ch) => line.waitFor(mark, reading(ch))));
    expect(m0?.raw).toBeGreaterThanOrEqual(505);
    expect(m0?.raw).toBeLessThanOrEqual(518);
    expect(m1?.raw).toBeGreaterThanOrEqual(1015);
    expect(m2?.raw).toBeLessThanOrEqual(3);
    expect(m3?.raw).toBeGreaterThanOrEqual(246);
    expect(m3?.raw).toBeLessThanOrEqual(258);
    // Counts are integers; the probes are averaged, not summed.
    for (const r of [m0, m1, m2, m3]) expect(Number.isInteger(r?.raw)).toBe(true);
  }, 30_000);

  it('reports the bin levels in cm from the echo length, and a missing echo as a sensor fault', async () => {
    uno.setEcho(4, 5, 2900); // 50 cm
    uno.setEcho(6, 7, 1160); // 20 cm
    await sleep(100);
    let mark = line.mark();
    const [u0, u1] = await Promise.all([line.waitFor(mark, reading('u0')), line.waitFor(mark, reading('u1'))]);
    expect(u0.raw).toBeGreaterThan(49);
    expect(u0.raw).toBeLessThan(51.5);
    expect(u1.raw).toBeGreaterThan(19);
    expect(u1.raw).toBeLessThan(21);

    uno.setEcho(4, 5, 0);
    await sleep(100);
    mark = line.mark();
    const fault = await line.waitFor(mark, (f) => f.type === 'E' && f.detail === 'u0');
    expect(fault).toEqual({ type: 'E', code: 'sensor-fault', detail: 'u0' });
    // No echo is no reading: u1 goes on, u0 does not.
    await line.waitFor(line.mark(), reading('u1'));
    expect(line.since(mark).filter(reading('u0'))).toEqual([]);
    uno.setEcho(4, 5, 2900);
  }, 40_000);

  /** Drives beam pins one step at a time, each held well past the sketch's debounce. */
  async function walk(steps: [pin: number, broken: boolean][]): Promise<void> {
    for (const [pin, broken] of steps) {
      uno.setPin(pin, broken ? 0 : 1); // beam broken = LOW
      await sleep(150);
    }
  }
  const passage = (f: NodeFrame) => f.type === 'R' && /^f[01](in|out)$/.test(f.channel);

  it('counts a person walking in (outer beam, then inner) and out (inner, then outer)', async () => {
    let mark = line.mark();
    await walk([[2, true], [3, true], [2, false], [3, false]]);
    expect(await line.waitFor(mark, passage)).toMatchObject({ type: 'R', channel: 'f0in', raw: 1 });

    mark = line.mark();
    await walk([[3, true], [2, true], [3, false], [2, false]]);
    expect(await line.waitFor(mark, passage)).toMatchObject({ type: 'R', channel: 'f0out', raw: 1 });

    // Door 1 is on A4/A5 used as digital pins 18/19; both beams clearing in the other order counts too.
    mark = line.mark();
    await walk([[18, true], [19, true], [19, false], [18, false]]);
    expect(await line.waitFor(mark, passage)).toMatchObject({ type: 'R', channel: 'f1in', raw: 1 });
    await sleep(500);
    expect(line.since(mark).filter(passage)).toHaveLength(1);
  }, 40_000);

  it('does not count someone who breaks one beam and steps back', async () => {
    const mark = line.mark();
    await walk([[2, true], [2, false], [3, true], [3, false]]);
    // Heartbeats prove the node kept talking while nothing was counted.
    await line.waitFor(mark, (f) => f.type === 'B');
    await sleep(1000);
    expect(line.since(mark).filter(passage)).toEqual([]);
  }, 30_000);

  it('switches a relay on a C command and acks it, once, even when the command is repeated', async () => {
    let mark = line.mark();
    line.send({ type: 'C', cmd: 41, channel: 'r0', state: 'on' });
    await uno.waitOutput(8, 1);
    expect(await line.waitFor(mark, (f) => f.type === 'A')).toEqual({ type: 'A', cmd: 41, channel: 'r0', state: 'on' });

    // The bridge's retry after a lost ack: same cmd, acked again, not applied again.
    mark = line.mark();
    line.send({ type: 'C', cmd: 41, channel: 'r0', state: 'on' });
    expect(await line.waitFor(mark, (f) => f.type === 'A')).toEqual({ type: 'A', cmd: 41, channel: 'r0', state: 'on' });
    expect(uno.outputHistory(8)).toEqual([0, 1]);

    mark = line.mark();
    line.send({ type: 'C', cmd: 42, channel: 'r0', state: 'off' });
    expect(await line.waitFor(mark, (f) => f.type === 'A')).toEqual({ type: 'A', cmd: 42, channel: 'r0', state: 'off' });
    await uno.waitOutput(8, 0);
    expect(uno.outputHistory(8)).toEqual([0, 1, 0]);
    // The other relays never moved.
    expect([9, 10, 11].map((p) => uno.outputHistory(p))).toEqual([[0], [0], [0]]);
  }, 30_000);

  it('refuses a command for an unknown channel or state, and moves nothing', async () => {
    let mark = line.mark();
    line.send({ type: 'C', cmd: 43, channel: 'r7', state: 'on' });
    expect(await line.waitFor(mark, (f) => f.type === 'N')).toEqual({ type: 'N', cmd: 43, reason: 'unknown-channel' });

    mark = line.mark();
    line.sendRaw(frameLine('C,44,r1,open'));
    expect(await line.waitFor(mark, (f) => f.type === 'N')).toEqual({ type: 'N', cmd: 44, reason: 'bad-state' });

    mark = line.mark();
    line.sendRaw(frameLine('C,45,r1'));
    expect(await line.waitFor(mark, (f) => f.type === 'N')).toEqual({ type: 'N', cmd: 45, reason: 'bad-field' });
    expect([8, 9, 10, 11].map((p) => uno.output(p))).toEqual([0, 0, 0, 0]);
  }, 30_000);

  it('answers a line with a bad CRC with E,bad-crc and does not act on it', async () => {
    const body = 'C,46,r2,on';
    const good = crcHex(crc16(body));
    const bad = crcHex(crc16(body) ^ 0x0001);
    expect(bad).not.toBe(good);
    const mark = line.mark();
    line.sendRaw(`${body}*${bad}\n`);
    expect(await line.waitFor(mark, (f) => f.type === 'E')).toMatchObject({ type: 'E', code: 'bad-crc' });
    await sleep(300);
    expect(uno.outputHistory(10)).toEqual([0]);
    expect(line.since(mark).filter((f) => f.type === 'A' || f.type === 'N')).toEqual([]);
  }, 30_000);
});

describe('StandardFirmata (prebuilt, from avrgirl-arduino) on a simulated Uno', () => {
  let uno: Uno | undefined;
  let port: SerialPort | undefined;

  afterAll(async () => {
    if (port?.isOpen) await new Promise<void>((r) => port?.close(() => r()));
    await uno?.stop();
  });

  it('loads and answers a report-version request', async () => {
    uno = await startUno(await standardFirmataHex());
    const p = new SerialPort({ path: uno.pty, baudRate: 57600, autoOpen: false });
    port = p;
    await new Promise<void>((resolve, reject) => p.open((err) => (err ? reject(err) : resolve())));
    let received = Buffer.alloc(0);
    p.on('data', (d: Buffer) => (received = Buffer.concat([received, d])));
    await new Promise<void>((resolve, reject) => p.flush((err) => (err ? reject(err) : resolve())));
    await sleep(300);
    received = Buffer.alloc(0);
    p.write(Buffer.from([0xf9])); // REPORT_VERSION
    const deadline = Date.now() + 15_000;
    let at = -1;
    while ((at = received.indexOf(0xf9)) < 0 || received.length < at + 3) {
      if (Date.now() > deadline) throw new Error(`no version report; got ${received.toString('hex')}`);
      await sleep(50);
    }
    // Firmata protocol 2.x: 0xF9, major, minor.
    expect(received[at + 1]).toBe(2);
    expect(received[at + 2]).toBeGreaterThanOrEqual(3);
  }, 120_000);
});
