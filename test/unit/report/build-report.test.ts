import { describe, expect, it } from 'vitest';
import { buildMonthlyReport } from '../../../src/report/build-report.js';
import { reportMonth } from '../../../src/report/month.js';
import type { MonthFigures } from '../../../src/report/types.js';

/** The pure monthly report: one month's figures in, the committee's numbers out. */
const SH = 'Asia/Shanghai';
const MIN = 60_000;
const H = 60 * MIN;
const NOV = reportMonth('2026-11', SH);
/** Local wall time in Shanghai (UTC+8, no DST) as epoch ms. */
const local = (day: number, hour: number, minute = 0, month = 10) => Date.UTC(2026, month, day, hour - 8, minute);
const AFTER = local(2, 9, 0, 11); // 2 December: November is over

function figures(over: Partial<MonthFigures> = {}): MonthFigures {
  return {
    site: { id: 'demo', name: { zh: '示例', en: 'Sample' } },
    month: NOV,
    now: AFTER,
    footfall: [],
    doors: [{ id: 'door-main', name: { zh: '正门', en: 'Main door' } }],
    events: [],
    signups: [],
    slots: [],
    dropoffs: [],
    points: [
      { id: 'p1', name: { zh: '一号', en: 'Point 1' }, bins: [{ id: 'p1-wet', category: 'wet' }, { id: 'p1-dry', category: 'dry' }] },
      { id: 'p2', name: { zh: '二号', en: 'Point 2' }, bins: [{ id: 'p2-wet', category: 'wet' }] },
    ],
    alerts: [],
    concerns: [],
    ...over,
  };
}

describe('the monthly report builder', () => {
  it('an empty month: zeros where something is counted, null where nothing could be measured', () => {
    const r = buildMonthlyReport(figures({ footfall: null }));
    expect(r).toMatchObject({ month: '2026-11', from: NOV.from, to: NOV.to, complete: true, generatedAt: AFTER });
    expect(r.visitors).toMatchObject({ available: false, total: 0, busiestDay: null, busiestHour: null, byDoor: [] });
    expect(r.visitors.perDay).toHaveLength(30);
    expect(r.visitors.perDay.every((d) => d.entries === 0)).toBe(true);
    expect(r.healthHours.events).toEqual({ scheduled: 0, held: 0, cancelled: 0, upcoming: 0 });
    expect(r.healthHours.attendance.noShows).toEqual({ signups: 0, people: 0 });
    expect(r.healthHours.volunteerHours).toEqual({ hosts: [], totalHours: 0 });
    expect(r.windowsKept.pickups).toEqual({ rows: [], total: { collected: 0, missed: 0, nothingToCollect: 0, notJudged: 0, keptPercent: null } });
    expect(r.windowsKept.dropoffs.total.keptPercent).toBeNull();
    expect(r.alerts.minutesToAck).toEqual({ count: 0, median: null, p90: null });
    expect(r.alerts.byKind).toEqual([]);
    expect(r.concerns).toEqual({ raised: 0, resolved: 0, declined: 0, byCategory: [], openAtMonthEnd: 0, daysToResolve: { count: 0, median: null, p90: null } });
    expect(buildMonthlyReport(figures({ now: local(15, 12) })).complete).toBe(false);
    // A table but no door counters configured and nothing counted: no footfall data either.
    expect(buildMonthlyReport(figures({ doors: [] })).visitors.available).toBe(false);
    expect(buildMonthlyReport(figures()).visitors.available).toBe(true);
  });

  it('visitors: entries per local day, the busiest day and hour; hours outside the month are left out', () => {
    const r = buildMonthlyReport(figures({
      footfall: [
        { doorId: 'door-main', hourStart: local(31, 23, 0, 9), entries: 500 }, // 31 Oct local: not November
        { doorId: 'door-main', hourStart: local(1, 0), entries: 2 }, // midnight of 1 Nov local (16:00 UTC on 31 Oct)
        { doorId: 'door-main', hourStart: local(3, 15), entries: 10 },
        { doorId: 'door-garden', hourStart: local(3, 15), entries: 5 },
        { doorId: 'door-main', hourStart: local(4, 9), entries: 12 },
        { doorId: 'door-main', hourStart: local(30, 23), entries: 1 },
        { doorId: 'door-main', hourStart: local(1, 0, 0, 11), entries: 900 }, // 1 Dec: not November
      ],
    }));
    expect(r.visitors.total).toBe(30);
    expect(r.visitors.perDay.find((d) => d.date === '2026-11-01')?.entries).toBe(2);
    expect(r.visitors.perDay.find((d) => d.date === '2026-11-03')?.entries).toBe(15);
    expect(r.visitors.perDay.find((d) => d.date === '2026-11-30')?.entries).toBe(1);
    expect(r.visitors.busiestDay).toEqual({ date: '2026-11-03', entries: 15 });
    expect(r.visitors.busiestHour).toEqual({ hour: 15, entries: 15 });
    expect(r.visitors.byDoor).toEqual([
      { doorId: 'door-garden', name: null, entries: 5 },
      { doorId: 'door-main', name: { zh: '正门', en: 'Main door' }, entries: 25 },
    ]);
  });

  it('health hours: held, cancelled and upcoming events; attendance and no-shows; volunteer hours of held events only', () => {
    const ev = (id: number, over: Partial<MonthFigures['events'][number]> = {}) => ({ id, kind: 'lecture' as const, host: 'Dr Li', startsAt: local(10, 10), endsAt: local(10, 12), cancelled: false, ...over });
    const now = local(20, 12);
    const r = buildMonthlyReport(figures({
      now,
      events: [
        ev(1),
        ev(2, { host: 'Ms Wang', kind: 'digital-skills', startsAt: local(12, 14), endsAt: local(12, 15, 30) }),
        ev(3, { cancelled: true }),
        ev(4, { startsAt: local(25, 10), endsAt: local(25, 11) }), // still to come
        ev(5, { startsAt: local(28, 10, 0, 9), endsAt: local(28, 11, 0, 9) }), // October
      ],
      signups: [
        { eventId: 1, people: 2, status: 'confirmed', promoted: false, checkedIn: true },
        { eventId: 1, people: 1, status: 'confirmed', promoted: true, checkedIn: false }, // promoted, then did not come
        { eventId: 1, people: 3, status: 'waitlisted', promoted: false, checkedIn: true }, // let in by staff
        { eventId: 1, people: 1, status: 'cancelled', promoted: false, checkedIn: false },
        { eventId: 3, people: 4, status: 'confirmed', promoted: false, checkedIn: false }, // cancelled event: left out
        { eventId: 4, people: 1, status: 'confirmed', promoted: false, checkedIn: false }, // not held yet: no no-show
      ],
    }));
    expect(r.complete).toBe(false);
    expect(r.healthHours.events).toEqual({ scheduled: 4, held: 2, cancelled: 1, upcoming: 1 });
    expect(r.healthHours.byKind).toEqual([{ kind: 'lecture', held: 1 }, { kind: 'digital-skills', held: 1 }]);
    expect(r.healthHours.attendance).toEqual({
      signedUp: { signups: 5, people: 8 },
      cancelledByResident: { signups: 1, people: 1 },
      confirmed: { signups: 3, people: 4 },
      waitlisted: { signups: 1, people: 3 },
      promoted: { signups: 1, people: 1 },
      checkedIn: { signups: 2, people: 5 },
      noShows: { signups: 1, people: 1 },
    });
    expect(r.healthHours.volunteerHours).toEqual({
      hosts: [{ host: 'Dr Li', events: 1, minutes: 120, hours: 2 }, { host: 'Ms Wang', events: 1, minutes: 90, hours: 1.5 }],
      totalHours: 3.5,
    });
  });

  it('windows kept: per point and category in the site file’s order; nothing-to-collect is neither kept nor missed', () => {
    const r = buildMonthlyReport(figures({
      slots: [
        { pointId: 'p2', category: 'wet', outcome: 'missed' },
        { pointId: 'p1', category: 'wet', outcome: 'collected' },
        { pointId: 'p1', category: 'wet', outcome: 'collected' },
        { pointId: 'p1', category: 'wet', outcome: 'collected' },
        { pointId: 'p1', category: 'wet', outcome: 'missed' },
        { pointId: 'p1', category: 'wet', outcome: 'nothing-to-collect' },
        { pointId: 'p1', category: 'wet', outcome: 'clock-untrusted' },
        { pointId: 'p9', category: 'dry', outcome: 'collected' }, // a point since removed from the site file
      ],
      dropoffs: [
        { binId: 'p1-dry', inWindow: 9, outOfWindow: 1 },
        { binId: 'p1-wet', inWindow: 3, outOfWindow: 1 },
        { binId: 'gone', inWindow: 0, outOfWindow: 2 },
      ],
    }));
    const { pickups, dropoffs } = r.windowsKept;
    expect(pickups.rows.map((x) => [x.pointId, x.category, x.collected, x.missed, x.nothingToCollect, x.notJudged, x.keptPercent])).toEqual([
      ['p1', 'wet', 3, 1, 1, 1, 75],
      ['p2', 'wet', 0, 1, 0, 0, 0],
      ['p9', 'dry', 1, 0, 0, 0, 100],
    ]);
    expect(pickups.rows[0]?.point).toEqual({ zh: '一号', en: 'Point 1' });
    expect(pickups.total).toEqual({ collected: 4, missed: 2, nothingToCollect: 1, notJudged: 1, keptPercent: 66.7 });
    expect(dropoffs.rows.map((x) => [x.pointId, x.category, x.inWindow, x.outOfWindow, x.keptPercent])).toEqual([
      ['p1', 'wet', 3, 1, 75],
      ['p1', 'dry', 9, 1, 90],
      ['unknown', 'unknown', 0, 2, 0],
    ]);
    expect(dropoffs.total).toEqual({ inWindow: 12, outOfWindow: 4, keptPercent: 75 });
  });

  it('alerts: counts by kind and the crews’ median and 90th-percentile times to ack and resolve', () => {
    const a = (kind: 'bin-full' | 'pickup-missed', raisedAt: number, ackMin: number | null, resolveMin: number | null, escalated = false) => ({
      kind, raisedAt, ackedAt: ackMin === null ? null : raisedAt + ackMin * MIN, escalatedAt: escalated ? raisedAt + MIN : null, resolvedAt: resolveMin === null ? null : raisedAt + resolveMin * MIN,
    });
    const r = buildMonthlyReport(figures({
      alerts: [
        a('bin-full', local(2, 8), 4, 30),
        a('bin-full', local(3, 8), 10, 60, true),
        a('bin-full', local(4, 8), null, 20), // emptied before anyone acked
        a('pickup-missed', local(5, 10), 2, null),
        a('pickup-missed', local(31, 10, 0, 9), 1, 1), // October
      ],
    }));
    expect(r.alerts).toMatchObject({ raised: 4, acked: 3, resolved: 3, escalated: 1, stillOpen: 1 });
    expect(r.alerts.byKind).toEqual([{ kind: 'bin-full', raised: 3, acked: 2, resolved: 3 }, { kind: 'pickup-missed', raised: 1, acked: 1, resolved: 0 }]);
    expect(r.alerts.minutesToAck).toEqual({ count: 3, median: 4, p90: 8.8 });
    expect(r.alerts.minutesToResolve).toEqual({ count: 3, median: 30, p90: 54 });
  });

  it('alerts of a kind this release does not know are still counted, after the known ones', () => {
    const old = { kind: 'bin-jammed' as 'bin-full', raisedAt: local(8, 8), ackedAt: null, escalatedAt: null, resolvedAt: null };
    const known = { ...old, kind: 'bin-full' as const };
    const r = buildMonthlyReport(figures({ alerts: [old, known] }));
    expect(r.alerts.byKind.map((k) => [k.kind, k.raised])).toEqual([['bin-full', 1], ['bin-jammed', 1]]);
  });

  it('concerns: raised, resolved and declined in the month by category; open at month end; days to resolve', () => {
    const c = (category: 'waste' | 'noise' | 'lighting', raisedAt: number, resolvedAt: number | null = null, declinedAt: number | null = null) => ({ category, raisedAt, resolvedAt, declinedAt });
    const r = buildMonthlyReport(figures({
      concerns: [
        c('waste', local(20, 10, 0, 9), local(3, 10)), // raised in October, resolved in November after 14 days
        c('waste', local(2, 10), local(6, 10)), // 4 days
        c('noise', local(5, 10), null, local(6, 10)), // declined
        c('noise', local(10, 10)), // open
        c('lighting', local(28, 10, 0, 9)), // raised in October, still open
        c('lighting', local(29, 10), local(3, 10, 0, 11)), // resolved in December: open at the end of November
      ],
    }));
    expect(r.concerns).toMatchObject({ raised: 4, resolved: 2, declined: 1, openAtMonthEnd: 3 });
    expect(r.concerns.byCategory).toEqual([
      { category: 'waste', raised: 1, resolved: 2, declined: 0 },
      { category: 'noise', raised: 2, resolved: 0, declined: 1 },
      { category: 'lighting', raised: 1, resolved: 0, declined: 0 },
    ]);
    expect(r.concerns.daysToResolve).toEqual({ count: 2, median: 9, p90: 13 });
  });
});
