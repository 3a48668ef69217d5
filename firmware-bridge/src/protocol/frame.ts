import { crc16, crcHex } from './crc16.js';

/**
 * The line protocol's frames (PROTOCOL.md): one typed object per frame, and one line of text per
 * frame, `<body>*HHHH\n`. Both directions live here because the bridge's tests play the node and the
 * node's sketch is tested against the same vectors (firmware-bridge/protocol/vectors.txt).
 */
export type OnOff = 'on' | 'off';
export type NodeFrame =
  | { type: 'H'; proto: number; nodeId: string; firmware: string }
  | { type: 'R'; seq: number; channel: string; raw: number }
  | { type: 'B'; seq: number; uptime: number }
  | { type: 'S'; channel: string; state: OnOff }
  | { type: 'A'; cmd: number; channel: string; state: OnOff }
  | { type: 'N'; cmd: number; reason: string }
  | { type: 'E'; code: string; detail: string };
export type BridgeFrame = { type: 'Q' } | { type: 'C'; cmd: number; channel: string; state: OnOff };
export type Frame = NodeFrame | BridgeFrame;
export type FrameReject = 'too-long' | 'bad-char' | 'no-crc' | 'bad-crc' | 'unknown-type' | 'bad-field';
export type DecodeResult = { ok: true; frame: Frame } | { ok: false; reason: FrameReject; detail: string };

export const MAX_LINE = 96; // bytes including the '\n'

type Kind = 'seq' | 'cmd' | 'proto' | 'count' | 'id' | 'text' | 'number' | 'state';
type Layout = { readonly [T in Frame['type']]: readonly (readonly [Exclude<keyof Extract<Frame, { type: T }>, 'type'>, Kind])[] };

/** Each type's fields after the type letter, in wire order. Decoding and encoding both walk this. */
const LAYOUT: Layout = {
  H: [['proto', 'proto'], ['nodeId', 'id'], ['firmware', 'text']],
  R: [['seq', 'seq'], ['channel', 'id'], ['raw', 'number']],
  B: [['seq', 'seq'], ['uptime', 'count']],
  S: [['channel', 'id'], ['state', 'state']],
  A: [['cmd', 'cmd'], ['channel', 'id'], ['state', 'state']],
  N: [['cmd', 'cmd'], ['reason', 'id']],
  E: [['code', 'id'], ['detail', 'text']],
  Q: [],
  C: [['cmd', 'cmd'], ['channel', 'id'], ['state', 'state']],
};

const INT = /^-?[0-9]{1,10}$/;
const NUMBER = /^-?[0-9]{1,10}(?:\.[0-9]{1,6})?$/;
const ID = /^[A-Za-z0-9_-]{1,16}$/;
// Printable ASCII without '*' (0x2A, it starts the CRC) and ',' (0x2C, it separates fields).
const TEXT = /^[\x20-\x29\x2B\x2D-\x7E]{0,40}$/;
const BAD_CHAR = /[^\x20-\x7E]/;
const HEX4 = /^[0-9A-F]{4}$/;

// The int grammar allows 10 digits; each int field narrows it to the range that means something.
const RANGE: Record<'seq' | 'cmd' | 'proto' | 'count', readonly [number, number]> = {
  seq: [0, 65535],
  cmd: [1, 65535],
  proto: [1, 9_999_999_999],
  count: [0, 9_999_999_999],
};
const SHAPE: Record<Kind, string> = {
  seq: 'an int 0-65535',
  cmd: 'an int 1-65535',
  proto: 'a positive int',
  count: 'an int >= 0',
  id: 'an id (1-16 of A-Z a-z 0-9 _ -)',
  text: "a text (0-40 printable, no ',' or '*')",
  number: 'a number (-?[0-9]{1,10} with up to 6 decimals)',
  state: "'on' or 'off'",
};

/** "-0" is a legal int on the wire; -0 in JS fails Object.is against 0, so it never leaves here. */
function noNegativeZero(n: number): number {
  return n === 0 ? 0 : n;
}

function parseField(kind: Kind, s: string): string | number | undefined {
  switch (kind) {
    case 'id':
      return ID.test(s) ? s : undefined;
    case 'text':
      return TEXT.test(s) ? s : undefined;
    case 'state':
      return s === 'on' || s === 'off' ? s : undefined;
    case 'number':
      return NUMBER.test(s) ? noNegativeZero(Number(s)) : undefined;
    default: {
      if (!INT.test(s)) return undefined;
      const n = noNegativeZero(Number(s));
      const [lo, hi] = RANGE[kind];
      return n >= lo && n <= hi ? n : undefined;
    }
  }
}

/**
 * A raw value in the shortest form that reads back as the same double; past 6 decimals it is rounded
 * to 6 (the protocol's resolution, not an error: a computed reading like 0.1 + 0.2 must still send).
 */
function formatNumber(n: number): string | undefined {
  if (!Number.isFinite(n)) return undefined;
  let s = String(n);
  if (s.includes('e') || (s.split('.')[1]?.length ?? 0) > 6) s = n.toFixed(6).replace(/0+$/, '').replace(/\.$/, '');
  if (s === '-0') s = '0';
  return NUMBER.test(s) ? s : undefined;
}

function formatField(kind: Kind, value: unknown): string | undefined {
  if (kind === 'number') return typeof value === 'number' ? formatNumber(value) : undefined;
  if (kind === 'id' || kind === 'text' || kind === 'state') return typeof value === 'string' && parseField(kind, value) !== undefined ? value : undefined;
  if (!Number.isSafeInteger(value)) return undefined;
  const [lo, hi] = RANGE[kind];
  return (value as number) >= lo && (value as number) <= hi ? String(value) : undefined;
}

function isType(t: string): t is Frame['type'] {
  return Object.hasOwn(LAYOUT, t);
}

/** Returns "<body>*HHHH\n". Throws only when a field breaks the grammar: that is the caller's bug. */
export function encodeFrame(f: Frame): string {
  if (!isType(f.type)) throw new Error(`encodeFrame: unknown frame type ${JSON.stringify(f.type)}`);
  const parts: string[] = [f.type];
  for (const [name, kind] of LAYOUT[f.type]) {
    const value = (f as Record<string, unknown>)[name];
    const text = formatField(kind, value);
    if (text === undefined) throw new Error(`encodeFrame: ${f.type}.${name} = ${JSON.stringify(value)} is not ${SHAPE[kind]}`);
    parts.push(text);
  }
  const body = parts.join(',');
  const line = `${body}*${crcHex(crc16(body))}\n`;
  // The grammar caps every frame at 76 bytes; this guards a future field that forgets the limit.
  if (line.length > MAX_LINE) throw new Error(`encodeFrame: ${line.length} bytes, at most ${MAX_LINE}`);
  return line;
}

function reject(reason: FrameReject, detail: string): DecodeResult {
  return { ok: false, reason, detail };
}

function decodeBody(body: string): DecodeResult {
  const fields = body.split(',');
  const type = fields[0] ?? '';
  // Only a well-formed type letter counts as unknown-type (a newer node's frame); anything else is noise.
  if (!/^[A-Z]$/.test(type)) return reject('bad-field', `type ${JSON.stringify(type)} is not one upper-case letter`);
  if (!isType(type)) return reject('unknown-type', `type ${type}`);
  const layout = LAYOUT[type];
  if (fields.length - 1 !== layout.length) return reject('bad-field', `${type}: ${fields.length - 1} fields, expected ${layout.length}`);
  const frame: Record<string, string | number> = { type };
  for (const [i, [name, kind]] of layout.entries()) {
    const text = fields[i + 1] ?? '';
    const value = parseField(kind, text);
    if (value === undefined) return reject('bad-field', `${type}: ${name} ${JSON.stringify(text)} is not ${SHAPE[kind]}`);
    frame[name] = value;
  }
  // Built from LAYOUT, whose names and kinds are checked against Frame by the Layout type above.
  return { ok: true, frame: frame as unknown as Frame };
}

/**
 * Decodes one line given WITHOUT its '\n' (a trailing '\r' is allowed and ignored), one char per
 * byte as LineReader gives it. The checks run in the order of PROTOCOL.md's error list, so a line
 * that is wrong in several ways is always counted under the same reason. Never throws.
 */
export function decodeLine(line: string): DecodeResult {
  // The '\r' counts towards the limit: it was on the wire.
  const bytes = line.length + 1;
  if (bytes > MAX_LINE) return reject('too-long', `${bytes} bytes, at most ${MAX_LINE}`);
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const bad = BAD_CHAR.exec(text);
  if (bad) return reject('bad-char', `byte 0x${(bad[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(2, '0')} at column ${bad.index}`);
  const star = text.length - 5;
  const hex = text.slice(star + 1);
  if (star < 0 || text[star] !== '*' || !HEX4.test(hex)) return reject('no-crc', `line does not end in '*' and four upper-case hex digits: ${JSON.stringify(text.slice(-8))}`);
  const body = text.slice(0, star);
  const computed = crcHex(crc16(body));
  if (hex !== computed) return reject('bad-crc', `CRC ${hex}, computed ${computed}`);
  return decodeBody(body);
}
