import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc16, crcHex } from '../../../firmware-bridge/src/protocol/crc16.js';
import { decodeLine, encodeFrame, MAX_LINE, type Frame, type FrameReject } from '../../../firmware-bridge/src/protocol/frame.js';
import { LineReader } from '../../../firmware-bridge/src/protocol/line-reader.js';

/**
 * The TypeScript codec against firmware-bridge/protocol/vectors.txt, the vectors the node's C header
 * is held to as well (protocol-host.test.ts), then against itself: encode/decode round trips.
 */
const VECTORS = new URL('../../../firmware-bridge/protocol/vectors.txt', import.meta.url);
const REASONS: FrameReject[] = ['too-long', 'bad-char', 'no-crc', 'bad-crc', 'unknown-type', 'bad-field'];

/** The file's escapes: \n \r \t \\ \xHH; anything else after a backslash is a broken file. */
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\' };
function unescape(s: string): Buffer {
  const text = s.replace(/\\(x[0-9A-Fa-f]{2}|.?)/g, (_, e: string) => {
    if (e.length === 3) return String.fromCharCode(parseInt(e.slice(1), 16));
    const c = ESCAPES[e];
    if (c === undefined) throw new Error(`bad escape \\${e} in ${s}`);
    return c;
  });
  return Buffer.from(text, 'latin1');
}

type Outcome = Frame | FrameReject;
/** `expected` is [] for a line the reader ignores; `encode` is null for a line that is no frame. */
type LineVector = { name: string; input: Buffer; framing: string; expected: Outcome[]; encode: string | null };

function loadVectors() {
  const crcs: { name: string; data: Buffer; crc: string }[] = [];
  const lines: LineVector[] = [];
  for (const row of readFileSync(VECTORS, 'latin1').split('\n')) {
    if (row === '' || row.startsWith('#')) continue;
    const col = row.split('\t');
    const [kind, name = '?'] = col;
    if (kind === 'crc' && col.length === 4) crcs.push({ name, data: unescape(col[2] ?? ''), crc: col[3] ?? '' });
    else if (kind === 'vec' && col.length === 7) {
      const [, , input = '', framing = '', , decode = '', encode = ''] = col;
      const outcome = decode.startsWith('{') ? (JSON.parse(decode) as Frame) : (decode as FrameReject);
      const bytes = unescape(input);
      const enc = encode === '-' ? null : encode === '=' ? bytes.toString('latin1') : unescape(encode).toString('latin1');
      lines.push({ name, input: bytes, framing, expected: decode === 'none' ? [] : [outcome], encode: enc });
    } else throw new Error(`malformed vector row: ${row}`);
  }
  return { crcs, lines };
}

const { crcs, lines } = loadVectors();
const latin1 = (b: Buffer) => b.toString('latin1');

/** Bytes through LineReader and decodeLine: one outcome per line, as the serial link counts them. */
function readAll(chunks: Buffer[], reader = new LineReader()): Outcome[] {
  const out: Outcome[] = [];
  for (const chunk of chunks)
    for (const ev of reader.push(chunk)) {
      if ('reject' in ev) out.push(ev.reject);
      else {
        const d = decodeLine(ev.line);
        out.push(d.ok ? d.frame : d.reason);
      }
    }
  return out;
}

describe('the shared vectors', () => {
  it('hold at least 40 line vectors, each input one line, covering every frame type and every reason', () => {
    expect(lines.length).toBeGreaterThanOrEqual(40);
    expect(new Set(lines.map((v) => v.name)).size).toBe(lines.length);
    for (const v of lines) expect(v.input.indexOf(0x0a), v.name).toBe(v.input.length - 1);
    const seen = new Set(lines.flatMap((v) => v.expected.map((o) => (typeof o === 'string' ? o : o.type))));
    for (const t of ['H', 'R', 'B', 'S', 'A', 'N', 'E', 'Q', 'C', ...REASONS]) expect(seen, t).toContain(t);
    expect(lines.some((v) => v.expected.length === 0)).toBe(true);
    expect(lines.some((v) => v.input.length === MAX_LINE && v.framing === 'line')).toBe(true);
    expect(lines.some((v) => v.input.length === MAX_LINE + 1 && v.framing === 'too-long')).toBe(true);
  });

  it('CRC-16/CCITT-FALSE gives the check value and every crc vector', () => {
    expect(crc16('123456789')).toBe(0x29b1);
    expect(crc16(Buffer.from('123456789'))).toBe(0x29b1);
    expect(crcHex(0x0967)).toBe('0967');
    expect(crcs.length).toBeGreaterThanOrEqual(2);
    for (const v of crcs) expect(crcHex(crc16(v.data)), v.name).toBe(v.crc);
  });

  it.each(lines.map((v) => [v.name, v] as const))('%s: LineReader + decodeLine, and decodeLine alone', (_name, v) => {
    expect(readAll([v.input])).toEqual(v.expected);
    // The framing column is the C reader's outcome: the reader's own rejects, or a line passed on.
    const events = new LineReader().push(v.input);
    if (v.framing === 'too-long' || v.framing === 'bad-char') expect(events).toMatchObject([{ reject: v.framing }]);
    else if (v.framing === 'none') expect(events).toEqual([]);
    else expect(events).toMatchObject([{ line: expect.any(String) }]);
    if (v.framing === 'no-crc' || v.framing === 'bad-crc') expect(v.expected).toEqual([v.framing]);
    const [outcome] = v.expected;
    if (outcome !== undefined) {
      const d = decodeLine(latin1(v.input.subarray(0, -1)));
      expect(d.ok ? d.frame : d.reason).toEqual(outcome);
      if (!d.ok) expect(d.detail.length).toBeGreaterThan(0);
    }
  });

  it('every vector torn at every byte boundary, and fed one byte at a time, reads the same', () => {
    let reads = 0;
    for (const v of lines) {
      for (let i = 1; i < v.input.length; i++) {
        expect(readAll([v.input.subarray(0, i), v.input.subarray(i)]), `${v.name} split at ${i}`).toEqual(v.expected);
        reads++;
      }
      expect(readAll([...v.input].map((b) => Buffer.from([b]))), `${v.name} byte by byte`).toEqual(v.expected);
    }
    expect(reads).toBeGreaterThan(lines.length * 10);
  });

  it('all vectors as one stream, in random chunks, through one reader: each line judged alone', () => {
    const stream = Buffer.concat(lines.map((v) => v.input));
    const expected = lines.flatMap((v) => v.expected);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: stream.length }), { maxLength: 40 }), (cuts) => {
        const points = [0, ...new Set(cuts)].sort((a, b) => a - b);
        const chunks = points.map((p, i) => stream.subarray(p, points[i + 1] ?? stream.length));
        expect(readAll(chunks)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('encodeFrame gives each decoded frame back as the vector says', () => {
    const withFrames = lines.filter((v) => v.encode !== null);
    expect(withFrames.length).toBeGreaterThanOrEqual(20);
    for (const v of withFrames) expect(encodeFrame(v.expected[0] as Frame), v.name).toBe(v.encode);
  });
});

const TEXT_CHARS = Array.from({ length: 95 }, (_, i) => String.fromCharCode(0x20 + i)).filter((c) => c !== ',' && c !== '*');
const id = fc.stringMatching(/^[A-Za-z0-9_-]{1,16}$/);
const text = fc.string({ unit: fc.constantFrom(...TEXT_CHARS), maxLength: 40 });
const state = fc.constantFrom('on' as const, 'off' as const);
const seq = fc.integer({ min: 0, max: 65535 });
const cmd = fc.integer({ min: 1, max: 65535 });
const upTo10Digits = (min: bigint) => fc.bigInt({ min, max: 9_999_999_999n }).map(Number);
// At most 15 significant digits: what a double holds exactly, so the round trip can be exact.
const raw = fc
  .tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,10}$/), fc.stringMatching(/^[0-9]{0,6}$/))
  .map(([neg, int, frac]) => {
    const f = frac.slice(0, 15 - int.length);
    const n = Number(`${neg ? '-' : ''}${int}${f ? `.${f}` : ''}`);
    return n === 0 ? 0 : n; // -0 is sent as "0" and reads back as 0
  });
const frame: fc.Arbitrary<Frame> = fc.oneof(
  fc.record({ type: fc.constant('H' as const), proto: upTo10Digits(1n), nodeId: id, firmware: text }),
  fc.record({ type: fc.constant('R' as const), seq, channel: id, raw }),
  fc.record({ type: fc.constant('B' as const), seq, uptime: upTo10Digits(0n) }),
  fc.record({ type: fc.constant('S' as const), channel: id, state }),
  fc.record({ type: fc.constant('A' as const), cmd, channel: id, state }),
  fc.record({ type: fc.constant('N' as const), cmd, reason: id }),
  fc.record({ type: fc.constant('E' as const), code: id, detail: text }),
  fc.constant({ type: 'Q' as const }),
  fc.record({ type: fc.constant('C' as const), cmd, channel: id, state }),
);

describe('encode and decode', () => {
  it('every frame encodes to one printable line of at most 96 bytes that decodes to the same frame', () => {
    fc.assert(
      fc.property(frame, fc.nat(), (f, cut) => {
        const line = encodeFrame(f);
        expect(line.length).toBeLessThanOrEqual(MAX_LINE);
        expect(line).toMatch(/^[\x20-\x29\x2B-\x7E]*\*[0-9A-F]{4}\n$/);
        expect(decodeLine(line.slice(0, -1))).toEqual({ ok: true, frame: f });
        expect(decodeLine(`${line.slice(0, -1)}\r`)).toEqual({ ok: true, frame: f });
        const bytes = Buffer.from(line, 'latin1');
        const at = cut % bytes.length;
        expect(readAll([bytes.subarray(0, at), bytes.subarray(at)])).toEqual([f]);
      }),
      { numRuns: 1000 },
    );
  });

  it('a decoded frame re-encodes to the very line it came from when the line was canonical', () => {
    fc.assert(
      fc.property(frame, (f) => {
        const line = encodeFrame(f);
        const d = decodeLine(line.slice(0, -1));
        expect(d.ok && encodeFrame(d.frame)).toBe(line);
      }),
      { numRuns: 300 },
    );
  });

  it('a raw past 6 decimals is rounded to 6, never written in exponent form', () => {
    expect(encodeFrame({ type: 'R', seq: 1, channel: 'm0', raw: 0.1 + 0.2 })).toMatch(/^R,1,m0,0\.3\*/);
    expect(encodeFrame({ type: 'R', seq: 1, channel: 'm0', raw: 1e-7 })).toMatch(/^R,1,m0,0\*/);
    expect(encodeFrame({ type: 'R', seq: 1, channel: 'm0', raw: -1e-7 })).toMatch(/^R,1,m0,0\*/);
    expect(encodeFrame({ type: 'R', seq: 1, channel: 'm0', raw: 2.0000004 })).toMatch(/^R,1,m0,2\*/);
    expect(encodeFrame({ type: 'R', seq: 1, channel: 'm0', raw: 1.23456789 })).toMatch(/^R,1,m0,1\.234568\*/);
  });

  it.each<[string, unknown]>([
    ['an id of 17 chars', { type: 'S', channel: 'abcdefghijklmnopq', state: 'on' }],
    ['an empty id', { type: 'N', cmd: 1, reason: '' }],
    ['a comma in a text', { type: 'E', code: 'x', detail: 'a,b' }],
    ['a star in a text', { type: 'H', proto: 1, nodeId: 'n', firmware: '1*2' }],
    ['a newline in a text', { type: 'E', code: 'x', detail: 'a\nb' }],
    ['a text of 41 chars', { type: 'E', code: 'x', detail: 'y'.repeat(41) }],
    ['seq 65536', { type: 'B', seq: 65536, uptime: 1 }],
    ['a fractional seq', { type: 'B', seq: 1.5, uptime: 1 }],
    ['cmd 0', { type: 'C', cmd: 0, channel: 'r0', state: 'on' }],
    ['proto 0', { type: 'H', proto: 0, nodeId: 'n', firmware: '' }],
    ['a negative uptime', { type: 'B', seq: 1, uptime: -1 }],
    ['a state ON', { type: 'A', cmd: 1, channel: 'r0', state: 'ON' }],
    ['a NaN raw', { type: 'R', seq: 1, channel: 'm0', raw: Number.NaN }],
    ['a raw of 11 integer digits', { type: 'R', seq: 1, channel: 'm0', raw: 1e10 }],
    ['a raw given as a string', { type: 'R', seq: 1, channel: 'm0', raw: '1' }],
    ['a missing field', { type: 'R', seq: 1, channel: 'm0' }],
    ['an unknown type', { type: 'X' }],
    ['a prototype key as type', { type: 'constructor' }],
  ])('encodeFrame throws on %s (a programming error)', (_what, f) => {
    expect(() => encodeFrame(f as Frame)).toThrow(/encodeFrame/);
  });
});

describe('LineReader', () => {
  it('keeps at most MAX_LINE bytes: a line that never ends is one too-long at its newline, then reading goes on', () => {
    const reader = new LineReader();
    const flood = Buffer.alloc(100_000, 'a');
    expect(reader.push(flood)).toEqual([]);
    expect(reader.push(Buffer.from(`\n${encodeFrame({ type: 'Q' })}`))).toEqual([
      { reject: 'too-long', detail: `100001 bytes, at most ${MAX_LINE}` },
      { line: 'Q*AB24' },
    ]);
  });

  it('reset() drops a partial line; a smaller maxLine is honoured; a silly one is refused', () => {
    const reader = new LineReader();
    expect(reader.push(Buffer.from('R,0,m0,4'))).toEqual([]);
    reader.reset();
    expect(reader.push(Buffer.from('Q*AB24\n'))).toEqual([{ line: 'Q*AB24' }]);
    const small = new LineReader(8);
    expect(small.push(Buffer.from('Q*AB24\r\nQ,1*C09B\n'))).toEqual([{ line: 'Q*AB24' }, { reject: 'too-long', detail: '9 bytes, at most 8' }]);
    expect(() => new LineReader(1)).toThrow(RangeError);
  });

  it('names the first bad byte and where it is', () => {
    expect(new LineReader().push(Buffer.from('ab\x07c\n', 'latin1'))).toEqual([{ reject: 'bad-char', detail: 'byte 0x07 at column 2' }]);
    expect(decodeLine('ab\u00e9c')).toEqual({ ok: false, reason: 'bad-char', detail: 'byte 0xE9 at column 2' });
  });
});
