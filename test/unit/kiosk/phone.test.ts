import { describe, expect, it } from 'vitest';
import { checkPhone, groupPhone, isMobile, lastFour, maskPhone, PHONE_DIGITS } from '../../../kiosk-ui/src/ui/phone.js';
import { maskPhone as serverMask, normalisePhone } from '../../../src/core/phone.js';

/** The kiosk's phone check as typed on the keypad: names the wrong digit at once, agrees with the server. */
describe('checkPhone (as typed)', () => {
  it.each([
    ['', { state: 'empty' }],
    ['1', { state: 'typing', missing: 10 }],
    ['13', { state: 'typing', missing: 9 }],
    ['1381234567', { state: 'typing', missing: 1 }],
    ['13812345678', { state: 'complete' }],
    ['19912345678', { state: 'complete' }],
  ])('%j → %j', (typed, expected) => {
    expect(checkPhone(typed)).toEqual(expected);
  });

  it('says a wrong first digit as soon as it is typed, not after eleven', () => {
    expect(checkPhone('2')).toEqual({ state: 'wrong', problem: 'first-digit' });
    expect(checkPhone('0138')).toEqual({ state: 'wrong', problem: 'first-digit' });
  });

  it('says a second digit of 0, 1 or 2 is wrong at the second digit', () => {
    for (const d of ['0', '1', '2']) expect(checkPhone(`1${d}`)).toEqual({ state: 'wrong', problem: 'second-digit' });
    for (const d of ['3', '4', '5', '6', '7', '8', '9']) expect(checkPhone(`1${d}`).state).toBe('typing');
    expect(checkPhone('12812345678')).toEqual({ state: 'wrong', problem: 'second-digit' });
  });

  it('refuses more than eleven digits and anything but digits', () => {
    expect(checkPhone('138123456789')).toEqual({ state: 'wrong', problem: 'too-long' });
    expect(checkPhone('138 1234')).toEqual({ state: 'wrong', problem: 'not-digits' });
    expect(checkPhone('+8613812345678')).toEqual({ state: 'wrong', problem: 'not-digits' });
  });

  it('accepts exactly what the server accepts, for every first two digits', () => {
    for (let a = 0; a <= 9; a++) {
      for (let b = 0; b <= 9; b++) {
        const n = `${a}${b}012345678`;
        expect(n).toHaveLength(PHONE_DIGITS);
        expect(isMobile(n), n).toBe(normalisePhone(n) === n);
      }
    }
  });
});

describe('masking and grouping', () => {
  it('masks like the server: first three and last four', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('13812345678')).toBe(serverMask('13812345678'));
    expect(maskPhone('1381234')).toBe('****');
    expect(maskPhone('')).toBe('****');
  });

  it('groups 3-4-4 while typing', () => {
    expect(groupPhone('')).toBe('');
    expect(groupPhone('138')).toBe('138');
    expect(groupPhone('1381')).toBe('138 1');
    expect(groupPhone('13812345')).toBe('138 1234 5');
    expect(groupPhone('13812345678')).toBe('138 1234 5678');
  });

  it('gives the last four digits the cancel and check-in routes ask for', () => {
    expect(lastFour('13812345678')).toBe('5678');
  });
});
