import { describe, expect, it } from 'vitest';
import { isOpenAt, minutesOf, nextOpening } from '../../../kiosk-ui/src/app/hours.js';

/** Asia/Shanghai is UTC+8 all year: 2025-03-10 08:30 local is 00:30 UTC. */
const TZ = 'Asia/Shanghai';
const at = (local: string) => Date.parse(`${local}+08:00`);
const DAY = { open: '08:30', close: '20:30' };

describe('kiosk opening hours (night mode)', () => {
  it('reads HH:MM as minutes after midnight', () => {
    expect(minutesOf('00:00')).toBe(0);
    expect(minutesOf('08:30')).toBe(510);
    expect(minutesOf('24:00')).toBe(1440);
  });

  it('is open from the opening minute up to, not including, the closing minute, in the site zone', () => {
    expect(isOpenAt(at('2025-03-10T08:29:59'), TZ, DAY)).toBe(false);
    expect(isOpenAt(at('2025-03-10T08:30:00'), TZ, DAY)).toBe(true);
    expect(isOpenAt(at('2025-03-10T20:29:59'), TZ, DAY)).toBe(true);
    expect(isOpenAt(at('2025-03-10T20:30:00'), TZ, DAY)).toBe(false);
    // 09:00 in London is 17:00 in Shanghai (open); 14:00 in London is 22:00 in Shanghai (closed).
    expect(isOpenAt(Date.parse('2025-03-10T09:00:00Z'), TZ, DAY)).toBe(true);
    expect(isOpenAt(Date.parse('2025-03-10T14:00:00Z'), TZ, DAY)).toBe(false);
    expect(isOpenAt(Date.parse('2025-03-10T14:00:00Z'), 'Europe/London', DAY)).toBe(true);
  });

  it('runs past midnight when it closes before it opens, and never closes when both are equal', () => {
    const late = { open: '20:00', close: '02:00' };
    expect(isOpenAt(at('2025-03-10T23:00:00'), TZ, late)).toBe(true);
    expect(isOpenAt(at('2025-03-11T01:59:00'), TZ, late)).toBe(true);
    expect(isOpenAt(at('2025-03-11T02:00:00'), TZ, late)).toBe(false);
    expect(isOpenAt(at('2025-03-11T12:00:00'), TZ, late)).toBe(false);
    expect(isOpenAt(at('2025-03-11T03:00:00'), TZ, { open: '08:00', close: '08:00' })).toBe(true);
    expect(nextOpening(at('2025-03-11T03:00:00'), TZ, { open: '08:00', close: '08:00' })).toBeNull();
  });

  it('gives the next opening: later today before it, tomorrow after closing', () => {
    expect(nextOpening(at('2025-03-10T06:15:20'), TZ, DAY)).toEqual({ at: at('2025-03-10T08:30:00'), time: '08:30', day: 'today' });
    expect(nextOpening(at('2025-03-10T21:45:00'), TZ, DAY)).toEqual({ at: at('2025-03-11T08:30:00'), time: '08:30', day: 'tomorrow' });
    expect(nextOpening(at('2025-03-10T23:59:59'), TZ, DAY)).toEqual({ at: at('2025-03-11T08:30:00'), time: '08:30', day: 'tomorrow' });
    expect(nextOpening(at('2025-03-11T00:00:00'), TZ, DAY)?.day).toBe('today');
  });
});
