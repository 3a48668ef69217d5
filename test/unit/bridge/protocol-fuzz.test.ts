import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16, crcHex } from '../../../firmware-bridge/src/protocol/crc16.js';
import { decodeLine, encodeFrame, MAX_LINE, type Frame, type FrameReject } from '../../../firmware-bridge/src/protocol/frame.js';
import { LineReader } from '../../../firmware-bridge/src/protocol/line-reader.js';

/**
 * A noisy serial line, simulated: valid frames and their mutations (flipped bits, inserted and
 * deleted bytes, truncations, over-long runs, random bytes, re-framed corrupt bodies), all in one
 * stream pushed through LineReader + decodeLine in random chunks. Every line must come out as
 * exactly one outcome, the same one decodeLine gives the whole line, and nothing may throw.
 *
 * Seeded so a failure reproduces: TONGXIN_FUZZ_SEED picks another stream, TONGXIN_FUZZ_RUNS raises
 * the number of lines (never below 10,000: the every-reason check below relies on that many), and
 * TONGXIN_LONG=1 runs 200,000.
 */
const RUNS = Math.max(10_000 * (process.env.TONGXIN_LONG === '1' ? 20 : 1), Number(process.env.TONGXIN_FUZZ_RUNS ?? 0) || 0);
const SEED = Number(process.env.TONGXIN_FUZZ_SEED ?? 0x7047) >>> 0;

/** mulberry32: small, fast, and the same stream on every machine. */
function rng(seed: number) {
  let s = seed;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return { int, pick: <T>(xs: readonly T[]): T => xs[int(xs.length)] as T, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof rng>;

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';
const TEXT_CHARS = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)).filter((c) => c !== ',' && c !== '*');

function chars(r: Rng, from: readonly string[] | string, min: number, max: number): string {
  let s = '';
  for (let n = min + r.int(max - min + 1); n > 0; n--) s += from[r.int(from.length)];
  return s;
}
const edgy = (r: Rng, edges: number[], lo: number, hi: number) => (r.chance(0.2) ? r.pick(edges) : lo + r.int(hi - lo + 1));

/** A raw of at most 15 significant digits (what a double holds), so the round trip is exact. */
function raw(r: Rng): number {
  const int = chars(r, '0123456789', 1, 10);
  const frac = chars(r, '0123456789', 0, Math.min(6, 15 - int.length));
  const n = Number(`${r.chance(0.3) ? '-' : ''}${int}${frac ? `.${frac}` : ''}`);
  return n === 0 ? 0 : n;
}

function frame(r: Rng): Frame {
  const id = () => chars(r, ID_CHARS, 1, 16);
  const text = () => chars(r, TEXT_CHARS, 0, 40);
  const seq = () => edgy(r, [0, 65535], 0, 65535);
  const cmd = () => edgy(r, [1, 65535], 1, 65535);
  const state = () => r.pick(['on', 'off'] as const);
  const big = (lo: number) => edgy(r, [lo, 9_999_999_999], lo, 9_999_999_999);
  switch (r.int(9)) {
    case 0: return { type: 'H', proto: big(1), nodeId: id(), firmware: text() };
    case 1: return { type: 'R', seq: seq(), channel: id(), raw: raw(r) };
    case 2: return { type: 'B', seq: seq(), uptime: big(0) };
    case 3: return { type: 'S', channel: id(), state: state() };
    case 4: return { type: 'A', cmd: cmd(), channel: id(), state: state() };
    case 5: return { type: 'N', cmd: cmd(), reason: id() };
    case 6: return { type: 'E', code: id(), detail: text() };
    case 7: return { type: 'Q' };
    default: return { type: 'C', cmd: cmd(), channel: id(), state: state() };
  }
}

const MUTATIONS = ['valid', 'crlf', 'flip', 'insert', 'delete', 'truncate', 'overlong', 'random', 'reframe'] as const;
type Mutation = (typeof MUTATIONS)[number];
const byte = (r: Rng) => (r.chance(0.5) ? 0x20 + r.int(95) : r.int(256));

/** The line's bytes (with its '\n') after one mutation of a valid frame's line. */
function mutate(r: Rng, kind: Mutation, line: string): Buffer {
  const b = [...Buffer.from(line.slice(0, -1), 'latin1')];
  const at = r.int(b.length);
  switch (kind) {
    case 'crlf': b.push(0x0d); break;
    case 'flip': b[at] = (b[at] ?? 0) ^ (1 << r.int(8)); break;
    case 'insert': b.splice(r.int(b.length + 1), 0, byte(r)); break;
    case 'delete': b.splice(at, 1); break;
    case 'truncate': b.length = at; break;
    case 'overlong': b.splice(at, 0, ...Buffer.from(chars(r, TEXT_CHARS, MAX_LINE, 300), 'latin1')); break;
    case 'random': return Buffer.from([...Array.from({ length: r.int(120) }, () => byte(r)), 0x0a]);
    case 'reframe': {
      // Corrupt the body, then give it a correct CRC: this reaches the field checks, not the CRC's.
      const fields = line.slice(0, -6).split(',');
      const i = r.int(fields.length);
      const junk = chars(r, `${ID_CHARS}.-, *|`, 0, 20);
      const roll = r.int(4);
      if (roll === 0) fields[0] = chars(r, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 1, 1); // often a type nobody knows
      else if (roll === 1) fields.splice(i, 1);
      else if (roll === 2) fields.splice(i, 0, junk);
      else fields[i] = r.chance(0.5) ? junk : (fields[i] ?? '').toLowerCase();
      const body = fields.join(',');
      return Buffer.from(`${body}*${crcHex(crc16(body))}\n`, 'latin1');
    }
    default: break;
  }
  return Buffer.from([...b, 0x0a]);
}

type Outcome = Frame | FrameReject;
const outcomeOf = (d: ReturnType<typeof decodeLine>): Outcome => (d.ok ? d.frame : d.reason);
const show = (o: Outcome | undefined) => JSON.stringify(o);
const PRINTABLE_LINE = new RegExp(`^[\\x20-\\x7E]{1,${MAX_LINE - 1}}$`);

describe('the protocol under a noisy line', () => {
  it(`${RUNS} valid and mutated lines (seed ${SEED}): one outcome per line, every bad line counted, no throw`, () => {
    const r = rng(SEED);
    const sent: { kind: Mutation; frame: Frame; bytes: Buffer }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const f = frame(r);
      const kind = MUTATIONS[i % MUTATIONS.length] as Mutation;
      sent.push({ kind, frame: f, bytes: mutate(r, kind, encodeFrame(f)) });
    }

    // The oracle: split the stream at every '\n' and decode each whole line on its own.
    const expected: { outcome: Outcome; from: (typeof sent)[number] }[] = [];
    for (const s of sent) {
      let start = 0;
      for (let nl = s.bytes.indexOf(0x0a); nl >= 0; start = nl + 1, nl = s.bytes.indexOf(0x0a, start)) {
        const line = s.bytes.toString('latin1', start, nl);
        if (line !== '' && line !== '\r') expected.push({ outcome: outcomeOf(decodeLine(line)), from: s });
      }
    }

    // The pipeline: one reader, the whole stream in random chunks of 1 to 300 bytes.
    const stream = Buffer.concat(sent.map((s) => s.bytes));
    const reader = new LineReader();
    const got: Outcome[] = [];
    for (let at = 0; at < stream.length; ) {
      const size = r.chance(0.5) ? 1 + r.int(8) : 1 + r.int(300);
      for (const ev of reader.push(stream.subarray(at, at + size))) got.push('reject' in ev ? ev.reject : outcomeOf(decodeLine(ev.line)));
      at += size;
    }

    expect(got.length, 'outcomes == lines fed').toBe(expected.length);
    const counts = new Map<string, number>();
    for (const [i, e] of expected.entries()) {
      const o = got[i];
      if (show(o) !== show(e.outcome)) expect.fail(`line ${i} (${e.from.kind} of ${show(e.from.frame)}): read ${show(o)}, whole line ${show(e.outcome)}`);
      const key = typeof o === 'string' ? o : 'ok';
      counts.set(key, (counts.get(key) ?? 0) + 1);
      if (e.from.kind === 'valid' || e.from.kind === 'crlf') expect(o, e.from.kind).toEqual(e.from.frame);
      // CRC-16 catches every single-bit error, and a truncated line has lost its CRC.
      if (e.from.kind === 'flip' || e.from.kind === 'truncate') expect(typeof o, `${e.from.kind}: ${e.from.bytes.toString('latin1')}`).toBe('string');
      if (e.from.kind === 'overlong') expect(o).toBe('too-long');
      // Whatever decodes, however it got here, is a frame the encoder can write again.
      if (o !== undefined && typeof o !== 'string') expect(outcomeOf(decodeLine(encodeFrame(o).slice(0, -1)))).toEqual(o);
    }
    const total = [...counts.values()].reduce((a, b) => a + b, 0);
    expect(total).toBe(expected.length);
    expect(expected.length).toBeGreaterThanOrEqual(RUNS - RUNS / 9); // only truncations to nothing and random runs may vanish
    for (const reason of ['ok', 'too-long', 'bad-char', 'no-crc', 'bad-crc', 'unknown-type', 'bad-field']) expect(counts.get(reason) ?? 0, reason).toBeGreaterThan(0);
    expect(counts.get('ok')).toBeGreaterThanOrEqual(Math.floor((2 * RUNS) / MUTATIONS.length));
  });

  it('arbitrary strings and bytes never make decodeLine or LineReader throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const d = decodeLine(s);
        expect(d.ok || d.detail.length > 0).toBe(true);
      }),
      { seed: SEED, numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const reader = new LineReader();
        for (const c of chunks)
          for (const ev of reader.push(Buffer.from(c))) if ('line' in ev) expect(ev.line).toMatch(PRINTABLE_LINE);
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
});
