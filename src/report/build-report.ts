import { CATEGORY_IDS } from '../concerns/categories.js';
import { ALERT_KINDS } from '../contract/payloads.js';
import { EVENT_KINDS, volunteerHours } from '../health/rules.js';
import { localParts } from '../waste/local-time.js';
import { durations, rate } from './stats.js';
import type { DropoffRow, MonthFigures, MonthlyReport, PeopleCount, PickupRow, Text } from './types.js';

/**
 * The monthly report for the street committee, as a pure function of the month's figures and `now`
 * (the queries in queries.ts gather them). Every count is restricted to the month here again, so a
 * query that fetched a little more (a slot judged just after midnight) cannot leak into it.
 */
const MINUTE = 60_000;
const DAY = 86_400_000;

function visitors(f: MonthFigures): MonthlyReport['visitors'] {
  const { from, to, dates, timezone } = f.month;
  const rows = (f.footfall ?? []).filter((r) => r.hourStart >= from && r.hourStart < to && r.entries > 0);
  const perDay = new Map(dates.map((d) => [d, 0]));
  const perHour = new Map<number, number>();
  const perDoor = new Map<string, number>();
  for (const r of rows) {
    const local = localParts(r.hourStart, timezone);
    perDay.set(local.date, (perDay.get(local.date) ?? 0) + r.entries);
    const hour = Math.floor(local.minutes / 60);
    perHour.set(hour, (perHour.get(hour) ?? 0) + r.entries);
    perDoor.set(r.doorId, (perDoor.get(r.doorId) ?? 0) + r.entries);
  }
  // Ties go to the earlier day and hour: a stable answer, whatever order the rows came in.
  const days = [...perDay].map(([date, entries]) => ({ date, entries }));
  const busiestDay = days.reduce<{ date: string; entries: number } | null>((best, d) => (d.entries > (best?.entries ?? 0) ? d : best), null);
  const hours = [...perHour].map(([hour, entries]) => ({ hour, entries })).sort((a, b) => a.hour - b.hour);
  const busiestHour = hours.reduce<{ hour: number; entries: number } | null>((best, h) => (h.entries > (best?.entries ?? 0) ? h : best), null);
  const names = new Map(f.doors.map((d) => [d.id, d.name]));
  return {
    // A site without door counters has no footfall to report: say so rather than print zeros.
    available: f.footfall !== null && (f.doors.length > 0 || rows.length > 0),
    total: days.reduce((s, d) => s + d.entries, 0),
    perDay: days,
    byDoor: [...perDoor].map(([doorId, entries]) => ({ doorId, name: names.get(doorId) ?? null, entries })).sort((a, b) => a.doorId.localeCompare(b.doorId)),
    busiestDay,
    busiestHour,
  };
}

function healthHours(f: MonthFigures): MonthlyReport['healthHours'] {
  const events = f.events.filter((e) => e.startsAt >= f.month.from && e.startsAt < f.month.to);
  // Held means it took place: not cancelled and over. Hours given, not promised.
  const held = events.filter((e) => !e.cancelled && e.endsAt <= f.now);
  const heldIds = new Set(held.map((e) => e.id));
  // A cancelled event's sign-ups say nothing about attendance: they are left out.
  const live = new Set(events.filter((e) => !e.cancelled).map((e) => e.id));
  const signups = f.signups.filter((s) => live.has(s.eventId));
  const count = (pick: (s: (typeof signups)[number]) => boolean): PeopleCount => {
    const chosen = signups.filter(pick);
    return { signups: chosen.length, people: chosen.reduce((n, s) => n + s.people, 0) };
  };
  const hosts = volunteerHours(held);
  return {
    events: {
      scheduled: events.length,
      held: held.length,
      cancelled: events.filter((e) => e.cancelled).length,
      upcoming: events.filter((e) => !e.cancelled && e.endsAt > f.now).length,
    },
    byKind: EVENT_KINDS.map((kind) => ({ kind, held: held.filter((e) => e.kind === kind).length })).filter((k) => k.held > 0),
    attendance: {
      signedUp: count(() => true),
      cancelledByResident: count((s) => s.status === 'cancelled'),
      confirmed: count((s) => s.status === 'confirmed'),
      waitlisted: count((s) => s.status === 'waitlisted'),
      promoted: count((s) => s.promoted),
      // A waiter who came anyway and was let in by staff attended too.
      checkedIn: count((s) => s.status !== 'cancelled' && s.checkedIn),
      noShows: count((s) => heldIds.has(s.eventId) && s.status === 'confirmed' && !s.checkedIn),
    },
    volunteerHours: { hosts, totalHours: Math.round((hosts.reduce((m, h) => m + h.minutes, 0) / 60) * 100) / 100 },
  };
}

/** Rows in the site file's order of points and bins; data for a point or bin no longer configured comes last. */
function windowsKept(f: MonthFigures): MonthlyReport['windowsKept'] {
  const order: { pointId: string; point: Text; category: string }[] = [];
  const binsTo = new Map<string, { pointId: string; category: string }>();
  for (const p of f.points) {
    for (const b of p.bins) {
      binsTo.set(b.id, { pointId: p.id, category: b.category });
      if (!order.some((o) => o.pointId === p.id && o.category === b.category)) order.push({ pointId: p.id, point: p.name, category: b.category });
    }
  }
  const key = (pointId: string, category: string) => `${pointId}\u0000${category}`;
  const rowFor = <T extends object>(rows: Map<string, T>, pointId: string, category: string, empty: T) => {
    const k = key(pointId, category);
    if (!rows.has(k)) rows.set(k, { ...empty });
    return rows.get(k) as T;
  };
  const pickups = new Map<string, { collected: number; missed: number; nothingToCollect: number; notJudged: number }>();
  for (const s of f.slots) {
    const r = rowFor(pickups, s.pointId, s.category, { collected: 0, missed: 0, nothingToCollect: 0, notJudged: 0 });
    if (s.outcome === 'collected') r.collected++;
    else if (s.outcome === 'missed') r.missed++;
    else if (s.outcome === 'nothing-to-collect') r.nothingToCollect++;
    else r.notJudged++; // clock-untrusted: nobody can say
  }
  const drops = new Map<string, { inWindow: number; outOfWindow: number }>();
  for (const d of f.dropoffs) {
    const where = binsTo.get(d.binId) ?? { pointId: 'unknown', category: 'unknown' };
    const r = rowFor(drops, where.pointId, where.category, { inWindow: 0, outOfWindow: 0 });
    r.inWindow += d.inWindow;
    r.outOfWindow += d.outOfWindow;
  }
  const ordered = <T>(rows: Map<string, T>) => {
    const known = order.filter((o) => rows.has(key(o.pointId, o.category)));
    const extra = [...rows.keys()]
      .filter((k) => !order.some((o) => key(o.pointId, o.category) === k))
      .sort()
      .map((k) => {
        const [pointId = '', category = ''] = k.split('\u0000');
        return { pointId, point: { zh: pointId, en: pointId }, category };
      });
    return [...known, ...extra].map((o) => ({ ...o, ...(rows.get(key(o.pointId, o.category)) as T) }));
  };
  const pickupRows: PickupRow[] = ordered(pickups).map((r) => ({ ...r, keptPercent: rate(r.collected, r.collected + r.missed) }));
  const dropRows: DropoffRow[] = ordered(drops).map((r) => ({ ...r, keptPercent: rate(r.inWindow, r.inWindow + r.outOfWindow) }));
  const sum = <T extends object>(rows: T[], field: keyof T) => rows.reduce((n, r) => n + (r[field] as number), 0);
  const p = { collected: sum(pickupRows, 'collected'), missed: sum(pickupRows, 'missed'), nothingToCollect: sum(pickupRows, 'nothingToCollect'), notJudged: sum(pickupRows, 'notJudged') };
  const d = { inWindow: sum(dropRows, 'inWindow'), outOfWindow: sum(dropRows, 'outOfWindow') };
  return {
    pickups: { rows: pickupRows, total: { ...p, keptPercent: rate(p.collected, p.collected + p.missed) } },
    dropoffs: { rows: dropRows, total: { ...d, keptPercent: rate(d.inWindow, d.inWindow + d.outOfWindow) } },
  };
}

function alerts(f: MonthFigures): MonthlyReport['alerts'] {
  const raised = f.alerts.filter((a) => a.raisedAt >= f.month.from && a.raisedAt < f.month.to);
  const acked = raised.filter((a) => a.ackedAt !== null);
  const resolved = raised.filter((a) => a.resolvedAt !== null);
  return {
    raised: raised.length,
    acked: acked.length,
    resolved: resolved.length,
    escalated: raised.filter((a) => a.escalatedAt !== null).length,
    stillOpen: raised.length - resolved.length,
    // Known kinds in the contract's order, then any kind stored by an older or newer release.
    byKind: [...new Set([...ALERT_KINDS, ...raised.map((a) => a.kind)])].map((kind) => {
      const of = raised.filter((a) => a.kind === kind);
      return { kind, raised: of.length, acked: of.filter((a) => a.ackedAt !== null).length, resolved: of.filter((a) => a.resolvedAt !== null).length };
    }).filter((k) => k.raised > 0),
    minutesToAck: durations(acked.map((a) => (a.ackedAt as number) - a.raisedAt), MINUTE),
    minutesToResolve: durations(resolved.map((a) => (a.resolvedAt as number) - a.raisedAt), MINUTE),
  };
}

function concerns(f: MonthFigures): MonthlyReport['concerns'] {
  const { from, to } = f.month;
  const inMonth = (t: number | null) => t !== null && t >= from && t < to;
  const raised = f.concerns.filter((c) => inMonth(c.raisedAt));
  const resolved = f.concerns.filter((c) => inMonth(c.resolvedAt));
  const declined = f.concerns.filter((c) => inMonth(c.declinedAt));
  // For a month still running, "month end" is now.
  const end = Math.min(to, f.now);
  const closedBy = (t: number | null) => t !== null && t < end;
  return {
    raised: raised.length,
    resolved: resolved.length,
    declined: declined.length,
    byCategory: CATEGORY_IDS.map((category) => ({
      category,
      raised: raised.filter((c) => c.category === category).length,
      resolved: resolved.filter((c) => c.category === category).length,
      declined: declined.filter((c) => c.category === category).length,
    })).filter((c) => c.raised + c.resolved + c.declined > 0),
    openAtMonthEnd: f.concerns.filter((c) => c.raisedAt < end && !closedBy(c.resolvedAt) && !closedBy(c.declinedAt)).length,
    daysToResolve: durations(resolved.map((c) => (c.resolvedAt as number) - c.raisedAt), DAY),
  };
}

export function buildMonthlyReport(f: MonthFigures): MonthlyReport {
  return {
    site: f.site,
    month: f.month.month,
    timezone: f.month.timezone,
    from: f.month.from,
    to: f.month.to,
    generatedAt: f.now,
    complete: f.month.to <= f.now,
    visitors: visitors(f),
    healthHours: healthHours(f),
    windowsKept: windowsKept(f),
    alerts: alerts(f),
    concerns: concerns(f),
  };
}
