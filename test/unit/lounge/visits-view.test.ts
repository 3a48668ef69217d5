import { describe, expect, it } from 'vitest';
import { dateRange, visitsByDay } from '../../../src/lounge/visits-view.js';
import { localToEpoch } from '../../../src/waste/local-time.js';

const SH = 'Asia/Shanghai';
const hour = (date: string, h: number) => localToEpoch(date, h * 60, SH);

describe('visits by day and hour', () => {
  it('lists every day of the range, oldest first', () => {
    expect(dateRange('2026-12-01', 3)).toEqual(['2026-11-29', '2026-11-30', '2026-12-01']);
  });

  it('sums per day and per hour, in total and per door, by the local day', () => {
    const rows = [
      { doorId: 'door-main', start: hour('2026-11-30', 9), entries: 3, exits: 1 },
      { doorId: 'door-garden', start: hour('2026-11-30', 9), entries: 2, exits: 0 },
      { doorId: 'door-main', start: hour('2026-11-30', 0), entries: 1, exits: 1 }, // 16:00 UTC the day before
      { doorId: 'door-main', start: hour('2026-12-01', 10), entries: 5, exits: 4 },
      { doorId: 'door-main', start: hour('2026-11-20', 10), entries: 9, exits: 9 }, // outside the range
    ];
    const days = visitsByDay(rows, ['2026-11-29', '2026-11-30', '2026-12-01'], SH, ['door-main', 'door-garden']);
    expect(days.map((d) => [d.date, d.entries, d.exits])).toEqual([
      ['2026-11-29', 0, 0],
      ['2026-11-30', 6, 2],
      ['2026-12-01', 5, 4],
    ]);
    const nov30 = days[1]!;
    expect(nov30.doors).toEqual({ 'door-main': { entries: 4, exits: 2 }, 'door-garden': { entries: 2, exits: 0 } });
    expect(nov30.hours.map((h) => [h.hour, h.entries, h.exits])).toEqual([
      ['00:00', 1, 1],
      ['09:00', 5, 1],
    ]);
    expect(nov30.hours[1]!.doors).toEqual({ 'door-main': { entries: 3, exits: 1 }, 'door-garden': { entries: 2, exits: 0 } });
    expect(days[0]!.hours).toEqual([]);
  });
});
