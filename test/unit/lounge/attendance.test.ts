import { describe, expect, it } from 'vitest';
import { attendance, attendanceWindow, countEntries, spanOf, type MinuteEntries } from '../../../src/lounge/attendance.js';

const MIN = 60_000;
// An event 14:30–15:30 local (as epoch ms on a whole minute) with a 30-minute lead: 14:00–15:30.
const T = Date.UTC(2026, 10, 30, 6, 30); // 14:30 in Shanghai
const event = { startsAt: T, endsAt: T + 60 * MIN };
const at = (minutesFromStart: number, entries = 1): MinuteEntries => ({ minuteStart: T + minutesFromStart * MIN, entries });

describe('attendance windows', () => {
  it.each([
    { name: 'the minute the lead-in opens counts', buckets: [at(-30)], lead: 30, expected: 1 },
    { name: 'the minute before it does not', buckets: [at(-31)], lead: 30, expected: 0 },
    { name: 'the last minute of the event counts', buckets: [at(59)], lead: 30, expected: 1 },
    { name: 'the minute the event ends does not', buckets: [at(60)], lead: 30, expected: 0 },
    { name: 'several doors and minutes add up', buckets: [at(-10, 3), at(-10, 2), at(5, 4), at(90, 7)], lead: 30, expected: 9 },
    { name: 'no lead-in: only from the start', buckets: [at(-1, 5), at(0, 2)], lead: 0, expected: 2 },
    { name: 'a long lead-in reaches back', buckets: [at(-59, 5), at(-61, 1)], lead: 60, expected: 5 },
    { name: 'a fractional lead-in is rounded to the millisecond, not to the hour', buckets: [at(-15), at(-16)], lead: 15.5, expected: 1 },
    { name: 'no passages', buckets: [], lead: 30, expected: 0 },
  ])('$name', ({ buckets, lead, expected }) => {
    expect(countEntries(buckets, attendanceWindow(event, lead))).toBe(expected);
  });

  it('says whether the count is final, and unknown when the window is older than the kept minutes', () => {
    const buckets = [at(-5, 4)];
    expect(attendance(event, { attendanceMinutes: 30, buckets, now: T + 10 * MIN, keptSince: 0 })).toEqual({ window: { from: T - 30 * MIN, to: T + 60 * MIN }, counted: 4, complete: false });
    expect(attendance(event, { attendanceMinutes: 30, buckets, now: T + 60 * MIN, keptSince: 0 }).complete).toBe(true);
    expect(attendance(event, { attendanceMinutes: 30, buckets, now: T + 60 * MIN, keptSince: T - 29 * MIN }).counted).toBeNull();
    expect(attendance(event, { attendanceMinutes: 30, buckets, now: T + 60 * MIN, keptSince: T - 30 * MIN }).counted).toBe(4);
  });

  it('reads one span covering every window', () => {
    expect(spanOf([], 30)).toBeUndefined();
    expect(spanOf([event, { startsAt: T + 300 * MIN, endsAt: T + 400 * MIN }], 30)).toEqual({ from: T - 30 * MIN, to: T + 400 * MIN });
  });
});
