import { stringify } from 'csv-stringify/sync';
import { alertKind, eventKind, L, concernCategory, hourRange, localTime, wasteCategory, type Lang } from './labels.js';
import type { Durations } from './stats.js';
import type { MonthlyReport, PeopleCount, Text } from './types.js';

/**
 * The report as one rectangular CSV table — section, item, detail, value — so that it sorts, filters
 * and pivots in Excel like any list, in the language asked for. As in the sign-up export, a BOM lets
 * Excel read the UTF-8; a figure that does not exist (the median of nothing) is an empty cell, never 0.
 */
type Cell = string | number | null;
export type Line = [section: string, item: string, detail: string, value: Cell];

const HEADINGS: Record<Lang, string[]> = {
  zh: ['部分', '项目', '细分', '数值'],
  en: ['section', 'item', 'detail', 'value'],
};

export function reportLines(r: MonthlyReport, lang: Lang): Line[] {
  const w = (x: Text) => x[lang];
  const lines: Line[] = [];
  const section = (title: Text) => (item: Text | string, detail: Text | string, value: Cell) =>
    lines.push([w(title), typeof item === 'string' ? item : w(item), typeof detail === 'string' ? detail : w(detail), value]);

  const head = section(L.report);
  head(L.site, r.site.id, w(r.site.name));
  head(L.month, '', r.month);
  head(L.timezone, '', r.timezone);
  head(L.generatedAt, '', localTime(r.generatedAt, r.timezone));
  head(L.complete, '', w(r.complete ? L.yes : L.no));

  const v = section(L.visitors);
  if (!r.visitors.available) v(L.noFootfall, '', null);
  v(L.totalEntries, '', r.visitors.total);
  v(L.busiestDay, r.visitors.busiestDay?.date ?? '', r.visitors.busiestDay?.entries ?? null);
  v(L.busiestHour, r.visitors.busiestHour ? hourRange(r.visitors.busiestHour.hour) : '', r.visitors.busiestHour?.entries ?? null);
  for (const d of r.visitors.perDay) v(L.entriesPerDay, d.date, d.entries);
  for (const d of r.visitors.byDoor) v(L.entriesPerDoor, d.name ? w(d.name) : d.doorId, d.entries);

  const h = section(L.health);
  const ev = r.healthHours.events;
  h(L.eventsScheduled, '', ev.scheduled);
  h(L.eventsHeld, '', ev.held);
  h(L.eventsCancelled, '', ev.cancelled);
  h(L.eventsUpcoming, '', ev.upcoming);
  for (const k of r.healthHours.byKind) h(L.heldByKind, eventKind(k.kind), k.held);
  const a = r.healthHours.attendance;
  const people = (item: Text, c: PeopleCount) => {
    h(item, L.signups, c.signups);
    h(item, L.people, c.people);
  };
  people(L.signedUp, a.signedUp);
  people(L.cancelledByResident, a.cancelledByResident);
  people(L.confirmed, a.confirmed);
  people(L.waitlisted, a.waitlisted);
  people(L.promoted, a.promoted);
  people(L.checkedIn, a.checkedIn);
  people(L.noShows, a.noShows);
  // Hosts are doctors and volunteers named on the public kiosk: their names are not personal data here.
  for (const host of r.healthHours.volunteerHours.hosts) h(L.volunteerHours, host.host, host.hours);
  h(L.totalHours, '', r.healthHours.volunteerHours.totalHours);

  const k = section(L.windows);
  const where = (x: { point: Text; category: string }) => `${w(x.point)} · ${w(wasteCategory(x.category))}`;
  const { pickups, dropoffs } = r.windowsKept;
  for (const row of [...pickups.rows.map((x) => ({ ...x, label: where(x) })), { ...pickups.total, label: w(L.total) }]) {
    const item = (what: Text) => `${w(L.pickups)}: ${w(what)}`;
    k(item(L.collected), row.label, row.collected);
    k(item(L.missed), row.label, row.missed);
    k(item(L.nothingToCollect), row.label, row.nothingToCollect);
    k(item(L.notJudged), row.label, row.notJudged);
    k(item(L.keptPercent), row.label, row.keptPercent);
  }
  for (const row of [...dropoffs.rows.map((x) => ({ ...x, label: where(x) })), { ...dropoffs.total, label: w(L.total) }]) {
    const item = (what: Text) => `${w(L.dropoffs)}: ${w(what)}`;
    k(item(L.inWindow), row.label, row.inWindow);
    k(item(L.outOfWindow), row.label, row.outOfWindow);
    k(item(L.keptPercent), row.label, row.keptPercent);
  }

  const al = section(L.alerts);
  al(L.raised, '', r.alerts.raised);
  al(L.acked, '', r.alerts.acked);
  al(L.resolved, '', r.alerts.resolved);
  al(L.escalated, '', r.alerts.escalated);
  al(L.stillOpen, '', r.alerts.stillOpen);
  for (const x of r.alerts.byKind) {
    al(L.raised, alertKind(x.kind), x.raised);
    al(L.acked, alertKind(x.kind), x.acked);
    al(L.resolved, alertKind(x.kind), x.resolved);
  }
  const dist = (add: typeof al, item: Text, d: Durations) => {
    add(item, L.count, d.count);
    add(item, L.median, d.median);
    add(item, L.p90, d.p90);
  };
  dist(al, L.minutesToAck, r.alerts.minutesToAck);
  dist(al, L.minutesToResolve, r.alerts.minutesToResolve);

  const c = section(L.concerns);
  c(L.raised, '', r.concerns.raised);
  c(L.resolved, '', r.concerns.resolved);
  c(L.declined, '', r.concerns.declined);
  c(L.openAtMonthEnd, '', r.concerns.openAtMonthEnd);
  for (const x of r.concerns.byCategory) {
    c(L.raised, concernCategory(x.category), x.raised);
    c(L.resolved, concernCategory(x.category), x.resolved);
    c(L.declined, concernCategory(x.category), x.declined);
  }
  dist(c, L.daysToResolve, r.concerns.daysToResolve);
  return lines;
}

export function reportCsv(r: MonthlyReport, lang: Lang): string {
  return stringify(reportLines(r, lang), { bom: true, header: true, columns: HEADINGS[lang] });
}
