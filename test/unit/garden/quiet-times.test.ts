import { describe, expect, it } from 'vitest';
import { quietTimeAt, type QuietTime } from '../../../src/garden/quiet-times.js';
import { at, calendar } from '../waste/fixtures.js';

// 2026-11-28 is a Saturday; 2026-02-14 a Saturday that is a make-up workday (调休); 2026-10-01 a holiday.
const saturdayClass: QuietTime = { from: '09:00', to: '11:30', days: ['sat'], reason: { zh: '周六户外课堂', en: 'Saturday outdoor class' } };
const overnight: QuietTime = { from: '22:00', to: '06:00', days: ['fri'] };
const workdayLunch: QuietTime = { from: '12:00', to: '13:00', days: ['workday'] };
const restdayMorning: QuietTime = { from: '08:00', to: '10:00', days: ['restday'] };
const everyDay: QuietTime = { from: '19:00', to: '19:30' };

describe('quiet times', () => {
  it.each([
    { name: 'Saturday class, inside', q: saturdayClass, when: at('2026-11-28', '09:00'), expected: true },
    { name: 'Saturday class, its end is not quiet', q: saturdayClass, when: at('2026-11-28', '11:30'), expected: false },
    { name: 'Saturday class on a Sunday', q: saturdayClass, when: at('2026-11-29', '10:00'), expected: false },
    { name: 'Friday night, past midnight into Saturday', q: overnight, when: at('2026-11-28', '01:00'), expected: true },
    { name: 'Friday night before it starts', q: overnight, when: at('2026-11-27', '21:59'), expected: false },
    { name: 'Thursday night is not Friday night', q: overnight, when: at('2026-11-27', '01:00'), expected: false },
    { name: 'workday lunch on a Monday', q: workdayLunch, when: at('2026-11-30', '12:30'), expected: true },
    { name: 'workday lunch on a make-up Saturday (调休)', q: workdayLunch, when: at('2026-02-14', '12:30'), expected: true },
    { name: 'workday lunch on National Day (a Thursday)', q: workdayLunch, when: at('2026-10-01', '12:30'), expected: false },
    { name: 'restday morning on National Day', q: restdayMorning, when: at('2026-10-01', '09:00'), expected: true },
    { name: 'restday morning on a make-up Saturday', q: restdayMorning, when: at('2026-02-14', '09:00'), expected: false },
    { name: 'no days: every day', q: everyDay, when: at('2026-11-25', '19:10'), expected: true },
  ])('$name → $expected', ({ q, when, expected }) => {
    expect(quietTimeAt([q], when, calendar) !== undefined).toBe(expected);
  });

  it('returns the quiet time that holds, for its reason', () => {
    expect(quietTimeAt([everyDay, saturdayClass], at('2026-11-28', '10:00'), calendar)?.reason?.en).toBe('Saturday outdoor class');
    expect(quietTimeAt([], at('2026-11-28', '10:00'), calendar)).toBeUndefined();
  });
});
