import { describe, expect, it } from 'vitest';
import { backspace, charCount, codeRows, DIGIT_ROWS, fits, LETTER_ROWS, tail, typeKey, wordRows } from '../../../kiosk-ui/src/ui/text-keyboard.js';
import { REF_ALPHABET } from '../../../kiosk-ui/src/api/concerns.js';
import { REF_ALPHABET as SERVER_REF_ALPHABET } from '../../../src/concerns/ref-code.js';

/** The on-screen keyboard's text editing: what a key does to the text, within the server's length. */
describe('typeKey', () => {
  it('appends letters, digits and whole words', () => {
    let v = '';
    for (const k of ['路灯', '坏了', ' ', 'B', '2']) v = typeKey(v, k, 500);
    expect(v).toBe('路灯坏了 B2');
  });

  it('never starts with a space nor doubles one', () => {
    expect(typeKey('', ' ', 10)).toBe('');
    expect(typeKey('A ', ' ', 10)).toBe('A ');
    expect(typeKey('A', ' ', 10)).toBe('A ');
  });

  it('refuses a key that does not fit whole: a word is never cut in half', () => {
    expect(typeKey('12345678', '电动车', 10)).toBe('12345678');
    expect(typeKey('12345678', '路灯', 10)).toBe('12345678路灯');
    expect(typeKey('1234567890', 'A', 10)).toBe('1234567890');
    expect(fits('12345678', '电动车', 10)).toBe(false);
    expect(fits('12345678', '路灯', 10)).toBe(true);
  });

  it('counts characters as the server does (code points), so an emoji-like pair is one', () => {
    expect(charCount('路灯')).toBe(2);
    expect(charCount('𠀀A')).toBe(2);
    expect(typeKey('𠀀', 'A', 2)).toBe('𠀀A');
  });
});

describe('backspace', () => {
  it('removes the last character, whole', () => {
    expect(backspace('路灯 B2')).toBe('路灯 B');
    expect(backspace('A𠀀')).toBe('A');
    expect(backspace('')).toBe('');
  });
});

describe('tail', () => {
  it('shows short texts whole and the end of long ones', () => {
    expect(tail('晚上太吵', 24)).toBe('晚上太吵');
    expect(tail('0123456789', 5)).toBe('…6789');
    expect(charCount(tail('路'.repeat(100), 24))).toBe(24);
  });
});

describe('layouts', () => {
  it('has the 26 capital letters and 10 digits, each once', () => {
    expect(LETTER_ROWS.flat().sort().join('')).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    expect((DIGIT_ROWS[0] ?? []).join('')).toBe('1234567890');
  });

  it('has every character of a reference code and no other (no 0/O, no 1/I), as the server defines them', () => {
    expect(REF_ALPHABET).toBe(SERVER_REF_ALPHABET);
    const rows = codeRows(REF_ALPHABET);
    expect(rows.flat().sort().join('')).toBe([...SERVER_REF_ALPHABET].sort().join(''));
    expect(rows.flat()).not.toContain('0');
    expect(rows.flat()).not.toContain('O');
    expect(rows.map((r) => r.length)).toEqual([8, 12, 12]);
  });

  it('puts words in rows in their order', () => {
    expect(wordRows(['a', 'b', 'c', 'd', 'e'], 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });
});
