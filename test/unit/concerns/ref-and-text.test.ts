import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { newRefCode, normaliseRef, REF_ALPHABET, REF_LENGTH, REF_PATTERN } from '../../../src/concerns/ref-code.js';
import { cleanBilingual, looksLikePhone } from '../../../src/concerns/text.js';

describe('reference codes', () => {
  it('are 6 characters without 0, O, 1 or I, and what a person types in either case matches the pattern', () => {
    expect(REF_ALPHABET).toHaveLength(32);
    expect(REF_ALPHABET).not.toMatch(/[01OI]/);
    const pattern = new RegExp(REF_PATTERN);
    fc.assert(
      fc.property(fc.array(fc.nat({ max: REF_ALPHABET.length - 1 }), { minLength: REF_LENGTH, maxLength: REF_LENGTH }), (picks) => {
        let i = 0;
        const code = newRefCode(() => picks[i++] as number);
        expect(code).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
        expect(code).toMatch(pattern);
        expect(code.toLowerCase()).toMatch(pattern);
        expect(normaliseRef(` ${code.toLowerCase()} `)).toBe(code);
      }),
    );
    for (const bad of ['ABC0EF', 'ABCOEF', 'ABC1EF', 'ABCIEF', 'abcief', 'ABCDE', 'ABCDEFG', '']) expect(bad).not.toMatch(pattern);
  });

  it('are random', () => {
    expect(new Set(Array.from({ length: 200 }, () => newRefCode())).size).toBe(200);
  });
});

describe('free text on the public board', () => {
  it.each([
    ['请联系我 13812345678', true],
    ['138 1234 5678', true],
    ['138-1234-5678', true],
    ['+86 13812345678', true],
    ['138****5678', true],
    ['路灯坏了三天', false],
    ['2026-01-10 14:00', false],
    ['1380013800', false], // ten digits
    ['123812345678', false], // twelve digits
    ['021-62345678', false], // a landline (an office number is public)
    ['12812345678', false], // not a mobile prefix
  ])('%s → %s', (text, expected) => {
    expect(looksLikePhone(text)).toBe(expected);
  });

  it('a committee text needs at least one language', () => {
    expect(cleanBilingual({ zh: '  ', en: '' })).toBeUndefined();
    expect(cleanBilingual({ zh: ' 好 ' })).toEqual({ zh: '好' });
    expect(cleanBilingual({ zh: 'a', en: 'b ' })).toEqual({ zh: 'a', en: 'b' });
  });
});
