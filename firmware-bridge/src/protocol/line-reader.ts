import { MAX_LINE } from './frame.js';

/**
 * Bytes to lines, for the line protocol (PROTOCOL.md, Framing): a pure transform that knows nothing
 * of ports, like serialport's DelimiterParser, but with the protocol's limits built in so that a
 * noisy or hostile line cannot make the bridge buffer without bound.
 *
 * - A line is returned without its '\n' and without a '\r' just before it, as a latin1 string (one
 *   char per byte; every char is printable ASCII by then).
 * - At most `maxLine - 1` bytes are kept (the '\n' makes `maxLine`). A longer line is discarded up to
 *   the next '\n' and reported once, at that '\n', as `too-long`: the same moment the node's C reader
 *   reports it, so both sides count a bad line in the same place.
 * - A byte outside 0x20-0x7E (other than that final '\r') makes the line `bad-char`; too-long wins
 *   over bad-char because the bytes past the limit were never looked at.
 * - Empty lines (and a bare "\r\n") are ignored: a serial monitor sends them.
 */
export type LineEvent = { line: string } | { reject: 'too-long' | 'bad-char'; detail: string };

const LF = 0x0a;
const CR = 0x0d;

export class LineReader {
  private readonly buf: Buffer;
  private len = 0;
  /** Bytes seen in the current line so far, kept or not: only for the too-long detail. */
  private seen = 0;
  private overflowed = false;

  constructor(private readonly maxLine: number = MAX_LINE) {
    if (!Number.isInteger(maxLine) || maxLine < 2) throw new RangeError(`LineReader: maxLine must be an integer >= 2, not ${maxLine}`);
    this.buf = Buffer.alloc(maxLine - 1);
  }

  push(chunk: Buffer): LineEvent[] {
    const events: LineEvent[] = [];
    for (const byte of chunk) {
      if (byte === LF) {
        const ev = this.endLine();
        if (ev) events.push(ev);
        continue;
      }
      this.seen++;
      if (this.overflowed) continue;
      if (this.len >= this.buf.length) {
        this.overflowed = true;
        continue;
      }
      this.buf[this.len++] = byte;
    }
    return events;
  }

  /** Forgets a partial line (the port closed or reopened: its tail will never come). */
  reset(): void {
    this.len = 0;
    this.seen = 0;
    this.overflowed = false;
  }

  private endLine(): LineEvent | undefined {
    const { len, seen, overflowed } = this;
    this.reset();
    if (overflowed) return { reject: 'too-long', detail: `${seen + 1} bytes, at most ${this.maxLine}` };
    const end = len > 0 && this.buf[len - 1] === CR ? len - 1 : len;
    for (let i = 0; i < end; i++) {
      const b = this.buf[i] ?? 0;
      if (b < 0x20 || b > 0x7e) return { reject: 'bad-char', detail: `byte 0x${b.toString(16).toUpperCase().padStart(2, '0')} at column ${i}` };
    }
    if (end === 0) return undefined;
    return { line: this.buf.toString('latin1', 0, end) };
  }
}
