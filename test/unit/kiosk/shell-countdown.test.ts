import { describe, expect, it } from 'vitest';
import { duration, secondsLeft } from '../../../kiosk-ui/src/app/countdown.js';

const MIN = 60_000;

describe('kiosk countdowns', () => {
  it('counts whole minutes, rounded up, never below zero', () => {
    expect(duration(30_000)).toEqual({ hours: null, minutes: 1 });
    expect(duration(MIN)).toEqual({ hours: null, minutes: 1 });
    expect(duration(MIN + 1)).toEqual({ hours: null, minutes: 2 });
    expect(duration(0)).toEqual({ hours: null, minutes: 0 });
    expect(duration(-5 * MIN)).toEqual({ hours: null, minutes: 0 });
    expect(duration(99 * MIN)).toEqual({ hours: null, minutes: 99 });
  });

  it('switches to hours and minutes from 100 minutes (or where asked)', () => {
    expect(duration(100 * MIN)).toEqual({ hours: 1, minutes: 40 });
    expect(duration(9 * 60 * MIN + 14 * MIN)).toEqual({ hours: 9, minutes: 14 });
    expect(duration(120 * MIN)).toEqual({ hours: 2, minutes: 0 });
    expect(duration(61 * MIN, 60)).toEqual({ hours: 1, minutes: 1 });
  });

  it('gives the seconds left of a prompt, rounded up', () => {
    expect(secondsLeft(10_000, 0)).toBe(10);
    expect(secondsLeft(10_000, 9_001)).toBe(1);
    expect(secondsLeft(10_000, 10_000)).toBe(0);
    expect(secondsLeft(10_000, 12_000)).toBe(0);
  });
});
