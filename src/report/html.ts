import { alertKind, eventKind, L, concernCategory, hourRange, localTime, wasteCategory, type Lang } from './labels.js';
import type { Durations } from './stats.js';
import type { MonthlyReport, Text } from './types.js';

/**
 * The printable page of the monthly report, rendered on the server. It runs under the site's strict
 * CSP: no script at all, no inline style (the stylesheet is its own route, report-css.ts), nothing
 * from elsewhere. Everything printed comes through esc(), including the site file's own names.
 */
export const REPORT_CSS_PATH = '/reports/monthly.css';

type Cell = string | number | null;

export function esc(value: Cell): string {
  if (value === null) return '—';
  return String(value).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

function table(headers: string[], rows: Cell[][], opts: { total?: Cell[] } = {}): string {
  const head = `<thead><tr>${headers.map((x, i) => `<th${i > 0 ? ' class="num"' : ''}>${esc(x)}</th>`).join('')}</tr></thead>`;
  const tr = (row: Cell[], cls = '') => `<tr${cls}>${row.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td class="num">${esc(c)}</td>`)).join('')}</tr>`;
  const body = rows.map((r) => tr(r)).join('');
  return `<table>${head}<tbody>${body}${opts.total ? tr(opts.total, ' class="total"') : ''}</tbody></table>`;
}

function section(title: string, content: string): string {
  return `<section><h2>${esc(title)}</h2>${content}</section>`;
}

function visitors(r: MonthlyReport, w: (t: Text) => string): string {
  const v = r.visitors;
  if (!v.available) return section(w(L.visitors), `<p class="note">${esc(w(L.noFootfall))}</p>`);
  const summary = table(
    ['', w(L.entries)],
    [
      [w(L.totalEntries), v.total],
      [`${w(L.busiestDay)}${v.busiestDay ? `: ${v.busiestDay.date}` : ''}`, v.busiestDay?.entries ?? null],
      [`${w(L.busiestHour)}${v.busiestHour ? `: ${hourRange(v.busiestHour.hour)}` : ''}`, v.busiestHour?.entries ?? null],
    ],
  );
  const doors = v.byDoor.length > 0 ? table([w(L.door), w(L.entries)], v.byDoor.map((d) => [d.name ? w(d.name) : d.doorId, d.entries])) : '';
  const days = table([w(L.date), w(L.entries)], v.perDay.map((d) => [d.date, d.entries]));
  return section(w(L.visitors), `${summary}${doors}<h3>${esc(w(L.entriesPerDay))}</h3>${days}`);
}

function health(r: MonthlyReport, w: (t: Text) => string): string {
  const { events, byKind, attendance: a, volunteerHours } = r.healthHours;
  const evs = table(
    [w(L.events), w(L.count)],
    [[w(L.eventsScheduled), events.scheduled], [w(L.eventsHeld), events.held], [w(L.eventsCancelled), events.cancelled], [w(L.eventsUpcoming), events.upcoming], ...byKind.map((k) => [`${w(L.heldByKind)}: ${w(eventKind(k.kind))}`, k.held])],
  );
  const rows: [Text, { signups: number; people: number }][] = [
    [L.signedUp, a.signedUp], [L.cancelledByResident, a.cancelledByResident], [L.confirmed, a.confirmed], [L.waitlisted, a.waitlisted],
    [L.promoted, a.promoted], [L.checkedIn, a.checkedIn], [L.noShows, a.noShows],
  ];
  const att = table([w(L.attendance), w(L.signups), w(L.people)], rows.map(([label, c]) => [w(label), c.signups, c.people]));
  const hosts = table(
    [w(L.host), w(L.events), w(L.hours)],
    volunteerHours.hosts.map((x) => [x.host, x.events, x.hours]),
    { total: [w(L.total), volunteerHours.hosts.reduce((n, x) => n + x.events, 0), volunteerHours.totalHours] },
  );
  return section(w(L.health), `${evs}${att}<h3>${esc(w(L.volunteerHours))}</h3>${hosts}`);
}

function windows(r: MonthlyReport, w: (t: Text) => string): string {
  const { pickups, dropoffs } = r.windowsKept;
  const where = (x: { point: Text }) => w(x.point);
  const p = pickups.rows.length === 0 ? `<p class="note">${esc(w(L.noData))}</p>` : table(
    [w(L.point), w(L.category), w(L.collected), w(L.missed), w(L.nothingToCollect), w(L.notJudged), w(L.keptPercent)],
    pickups.rows.map((x) => [where(x), w(wasteCategory(x.category)), x.collected, x.missed, x.nothingToCollect, x.notJudged, x.keptPercent]),
    { total: [w(L.total), '', pickups.total.collected, pickups.total.missed, pickups.total.nothingToCollect, pickups.total.notJudged, pickups.total.keptPercent] },
  );
  const d = dropoffs.rows.length === 0 ? `<p class="note">${esc(w(L.noData))}</p>` : table(
    [w(L.point), w(L.category), w(L.inWindow), w(L.outOfWindow), w(L.keptPercent)],
    dropoffs.rows.map((x) => [where(x), w(wasteCategory(x.category)), x.inWindow, x.outOfWindow, x.keptPercent]),
    { total: [w(L.total), '', dropoffs.total.inWindow, dropoffs.total.outOfWindow, dropoffs.total.keptPercent] },
  );
  return section(w(L.windows), `<p class="note">${esc(w(L.windowsNote))}</p><h3>${esc(w(L.pickups))}</h3>${p}<h3>${esc(w(L.dropoffs))}</h3>${d}`);
}

const distRow = (label: string, d: Durations): Cell[] => [label, d.count, d.median, d.p90];

function alerts(r: MonthlyReport, w: (t: Text) => string): string {
  const a = r.alerts;
  const counts = table(
    [w(L.kind), w(L.raised), w(L.acked), w(L.resolved)],
    a.byKind.map((k) => [w(alertKind(k.kind)), k.raised, k.acked, k.resolved]),
    { total: [w(L.total), a.raised, a.acked, a.resolved] },
  );
  const more = `<p>${esc(w(L.escalated))}: ${a.escalated} · ${esc(w(L.stillOpen))}: ${a.stillOpen}</p>`;
  const times = table(['', w(L.count), w(L.median), w(L.p90)], [distRow(w(L.minutesToAck), a.minutesToAck), distRow(w(L.minutesToResolve), a.minutesToResolve)]);
  return section(w(L.alerts), `${counts}${more}${times}`);
}

function concerns(r: MonthlyReport, w: (t: Text) => string): string {
  const c = r.concerns;
  const cats = table(
    [w(L.category), w(L.raised), w(L.resolved), w(L.declined)],
    c.byCategory.map((x) => [w(concernCategory(x.category)), x.raised, x.resolved, x.declined]),
    { total: [w(L.total), c.raised, c.resolved, c.declined] },
  );
  const open = `<p>${esc(w(L.openAtMonthEnd))}: ${c.openAtMonthEnd}</p>`;
  const times = table(['', w(L.count), w(L.median), w(L.p90)], [distRow(w(L.daysToResolve), c.daysToResolve)]);
  return section(w(L.concerns), `${cats}${open}${times}`);
}

export function reportHtml(r: MonthlyReport, lang: Lang): string {
  const w = (t: Text) => t[lang];
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  const q = (l: Lang) => `month=${encodeURIComponent(r.month)}&amp;lang=${l}`;
  const nav = `<nav class="noprint">
    <a href="/reports/monthly?${q(other)}" lang="${other === 'zh' ? 'zh-CN' : 'en'}">${other === 'zh' ? '中文' : 'English'}</a>
    <a href="/api/reports/monthly.csv?${q(lang)}">CSV</a>
    <a href="/reports/lounge?days=7&amp;lang=${lang}">${esc(w({ zh: '客厅客流（近7天）', en: 'Lounge footfall (last 7 days)' }))}</a>
    <form method="get" action="/reports/monthly"><label>${esc(w(L.month))} <input type="month" name="month" value="${esc(r.month)}" required></label><input type="hidden" name="lang" value="${lang}"><button type="submit">${esc(w(L.show))}</button></form>
  </nav>`;
  const status = r.complete ? '' : `<p class="note partial">${esc(w(L.partial))}</p>`;
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${w(L.title)} ${r.month} · ${w(r.site.name)}`)}</title>
<link rel="stylesheet" href="${REPORT_CSS_PATH}">
</head>
<body>
<header><h1>${esc(w(L.title))} · ${esc(r.month)}</h1><p>${esc(w(r.site.name))} · ${esc(w(L.generatedAt))} ${esc(localTime(r.generatedAt, r.timezone))} (${esc(r.timezone)})</p>${status}${nav}</header>
<main>
${visitors(r, w)}
${health(r, w)}
${windows(r, w)}
${alerts(r, w)}
${concerns(r, w)}
</main>
</body>
</html>
`;
}
