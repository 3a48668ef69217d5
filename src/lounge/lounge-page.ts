import { Type, type Static } from '@sinclair/typebox';
import { esc, REPORT_CSS_PATH } from '../report/html.js';
import { eventKind, hourRange, localTime, type Lang } from '../report/labels.js';
import type { Text } from '../report/types.js';
import { MAX_VISIT_DAYS, type DayWithReset, type EventFigures } from './lounge-figures.js';
import type { HourVisits } from './visits-view.js';

/**
 * The staff page for footfall (`/reports/lounge`): the admin side of what the kiosk shows, rendered
 * on the server from the same figures as the lounge API (lounge-figures.ts). Like the monthly report
 * it runs under the strict CSP: no script, no inline style (the report's stylesheet route), nothing
 * from elsewhere. Counts only, never a person: event hosts and sign-up phones stay out of it.
 */
export const LOUNGE_PAGE_PATH = '/reports/lounge';
/** The widest text bar, in characters: fits an A4 column next to the figures. */
const BAR_WIDTH = 30;

export const LoungePageQuery = Type.Object({
  days: Type.Integer({ minimum: 1, maximum: MAX_VISIT_DAYS, default: 7, description: 'today and the days before it' }),
  lang: Type.Union([Type.Literal('zh'), Type.Literal('en')], { default: 'zh', description: 'language of the page' }),
});
export type LoungePageQuery = Static<typeof LoungePageQuery>;

export interface LoungePage {
  site: Text;
  timezone: string;
  generatedAt: number;
  open: boolean;
  inside: number;
  visitsToday: number;
  doors: { id: string; name: Text }[];
  attendanceMinutes: number;
  from: string;
  to: string;
  days: DayWithReset[];
  events: EventFigures[];
}

const t = (zh: string, en: string): Text => ({ zh, en });
const P = {
  title: t('客厅客流', 'Lounge footfall'),
  generatedAt: t('生成时间', 'Generated at'),
  monthly: t('返回月报', 'Back to the monthly report'),
  days: t('天数', 'Days'),
  show: t('查看', 'Show'),
  now: t('现在', 'Now'),
  insideNow: t('客厅内人数', 'People inside now'),
  visitorsToday: t('今日访客', 'Visitors today'),
  status: t('状态', 'Status'),
  open: t('开放中', 'open'),
  closed: t('已闭馆', 'closed'),
  perDay: t('每日访客', 'Visitors per day'),
  date: t('日期', 'Date'),
  visitors: t('访客人次', 'Visitors'),
  busiestHour: t('最忙的时段', 'Busiest hour'),
  total: t('合计', 'Total'),
  perHour: t('今日每小时访客', 'Today’s visitors per hour'),
  hour: t('时段', 'Hour'),
  noVisitsToday: t('今天还没有访客', 'No visitors yet today'),
  hoursNote: t('只列出有人进出的时段。', 'Only hours with someone passing a door are listed.'),
  events: t('健康YI小时活动', 'Health-hour events'),
  noEvents: t('这段时间没有活动', 'No events in these days'),
  time: t('时间', 'Time'),
  event: t('活动', 'Event'),
  signedUp: t('报名人数', 'Signed up'),
  checkedIn: t('签到人数', 'Checked in'),
  counted: t('门口计数', 'Counted at the door'),
  soFar: t('（进行中）', ' (so far)'),
  cancelled: t('（已取消）', ' (cancelled)'),
  notKept: t('无数据', 'not kept'),
  drift: t('闭馆清零（计数偏差）', 'Closing-time resets (counter drift)'),
  noResets: t('这段时间没有闭馆清零记录', 'No closing-time resets in these days'),
  closedAt: t('闭馆时间', 'Closed at'),
  insideAtClose: t('闭馆时仍计为在内', 'Still counted inside'),
  missedEntries: t('漏计进入', 'Missed entries'),
  leftAfterClose: t('闭馆后离开', 'Left after closing'),
  driftCol: t('偏差', 'Drift'),
  driftNote: t(
    '闭馆时计数归零。偏差＝闭馆时仍计为在内－闭馆后离开：长期偏高说明有出门没有计到；漏计进入是出门时计数已为零的人次，说明有进门没有计到。',
    'At closing time the count is set back to 0. Drift = still counted inside − left after closing: high over weeks means exits are being missed; missed entries are exits that found nobody counted inside, so entries are being missed.',
  ),
} as const;

/** Explains the door count of an event, with the configured lead time in it. */
const countedNote = (minutes: number): Text =>
  t(`门口计数：活动开始前 ${minutes} 分钟至结束时从各门进入的人次。`, `Counted at the door: people coming in through any door from ${minutes} minutes before the start until the end.`);

/** A cell: a figure or text (escaped), or markup already built here with a class of its own. */
type Cell = string | number | null | { html: string; cls: string };

const td = (c: Cell) => (c !== null && typeof c === 'object' ? `<td${c.cls ? ` class="${c.cls}"` : ''}>${c.html}</td>` : `<td class="num">${esc(c)}</td>`);

function table(headers: string[], rows: Cell[][], total?: Cell[]): string {
  const head = headers.length === 0 ? '' : `<thead><tr>${headers.map((x, i) => `<th${i > 0 ? ' class="num"' : ''}>${esc(x)}</th>`).join('')}</tr></thead>`;
  const tr = (row: Cell[], cls = '') => `<tr${cls}>${row.map((c, i) => (i === 0 ? `<th scope="row">${esc(c as string | number | null)}</th>` : td(c))).join('')}</tr>`;
  return `<table>${head}<tbody>${rows.map((r) => tr(r)).join('')}${total ? tr(total, ' class="total"') : ''}</tbody></table>`;
}

const section = (title: string, content: string) => `<section><h2>${esc(title)}</h2>${content}</section>`;
const para = (text: string) => `<p class="note">${esc(text)}</p>`;
const hourOf = (h: HourVisits) => hourRange(Number(h.hour.slice(0, 2)));

/** The hour with the most entries (the first of equals); undefined on a day nobody came in. */
export function busiestHour(hours: readonly HourVisits[]): HourVisits | undefined {
  let best: HourVisits | undefined;
  for (const h of hours) if (h.entries > 0 && (!best || h.entries > best.entries)) best = h;
  return best;
}

/** A bar of block characters as long as `n` is against `max`; at least one block for anyone at all. */
export function textBar(n: number, max: number): string {
  if (n <= 0 || max <= 0) return '';
  return '█'.repeat(Math.max(1, Math.round((n / max) * BAR_WIDTH)));
}

export function loungePageHtml(p: LoungePage, lang: Lang): string {
  const w = (x: Text) => x[lang];
  const doorName = (d: { id: string; name: Text }) => w(d.name);
  const other: Lang = lang === 'zh' ? 'en' : 'zh';
  const today = p.days[p.days.length - 1];

  const now = table([], [[w(P.insideNow), p.inside], [w(P.visitorsToday), p.visitsToday], [w(P.status), w(p.open ? P.open : P.closed)]]);

  const perDay = table(
    [w(P.date), w(P.visitors), ...p.doors.map(doorName), w(P.busiestHour)],
    p.days.map((d) => {
      const b = busiestHour(d.hours);
      return [d.date, d.entries, ...p.doors.map((x) => d.doors[x.id]?.entries ?? 0), b ? `${hourOf(b)} (${b.entries})` : null];
    }),
    [w(P.total), p.days.reduce((n, d) => n + d.entries, 0), ...p.doors.map((x) => p.days.reduce((n, d) => n + (d.doors[x.id]?.entries ?? 0), 0)), ''],
  );

  const hours = today?.hours ?? [];
  const max = Math.max(0, ...hours.map((h) => h.entries));
  const perHour = hours.length === 0 || max === 0
    ? para(w(P.noVisitsToday))
    : table([w(P.hour), w(P.visitors), ''], hours.map((h) => [hourOf(h), h.entries, { html: esc(textBar(h.entries, max)), cls: 'bar' }])) + para(w(P.hoursNote));

  const events = p.events.length === 0 ? para(w(P.noEvents)) : table(
    [w(P.time), w(P.event), w(P.signedUp), w(P.checkedIn), w(P.counted)],
    p.events.map((e) => {
      const a = e.attendance;
      const counted = !a || a.counted === null ? w(P.notKept) : `${a.counted}${a.complete ? '' : w(P.soFar)}`;
      const title = `${w(e.title)} · ${w(eventKind(e.kind))}${e.cancelled ? w(P.cancelled) : ''}`;
      return [`${localTime(e.startsAt, p.timezone)}–${localTime(e.endsAt, p.timezone).slice(11)}`, { html: esc(title), cls: '' }, e.signedUp, e.checkedIn, counted];
    }),
  ) + para(w(countedNote(p.attendanceMinutes)));

  const resets = p.days.flatMap((d) => (d.reset ? [{ date: d.date, ...d.reset }] : []));
  const sum = (k: 'insideAtClose' | 'missedEntries' | 'leftAfterClose') => resets.reduce((n, r) => n + r[k], 0);
  const drift = resets.length === 0 ? para(w(P.noResets)) : table(
    [w(P.date), w(P.closedAt), w(P.insideAtClose), w(P.missedEntries), w(P.leftAfterClose), w(P.driftCol)],
    resets.map((r) => [r.date, localTime(r.at, p.timezone).slice(11), r.insideAtClose, r.missedEntries, r.leftAfterClose, r.insideAtClose - r.leftAfterClose]),
    [w(P.total), '', sum('insideAtClose'), sum('missedEntries'), sum('leftAfterClose'), sum('insideAtClose') - sum('leftAfterClose')],
  ) + para(w(P.driftNote));

  const q = (l: Lang) => `days=${p.days.length}&amp;lang=${l}`;
  const nav = `<nav class="noprint">
    <a href="${LOUNGE_PAGE_PATH}?${q(other)}" lang="${other === 'zh' ? 'zh-CN' : 'en'}">${other === 'zh' ? '中文' : 'English'}</a>
    <a href="/reports/monthly?month=${esc(p.to.slice(0, 7))}&amp;lang=${lang}">${esc(w(P.monthly))}</a>
    <form method="get" action="${LOUNGE_PAGE_PATH}"><label>${esc(w(P.days))} <input type="number" name="days" min="1" max="${MAX_VISIT_DAYS}" value="${p.days.length}" required></label><input type="hidden" name="lang" value="${lang}"><button type="submit">${esc(w(P.show))}</button></form>
  </nav>`;
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${w(P.title)} ${p.from}–${p.to} · ${w(p.site)}`)}</title>
<link rel="stylesheet" href="${REPORT_CSS_PATH}">
</head>
<body>
<header><h1>${esc(w(P.title))} · ${esc(p.from)}–${esc(p.to)}</h1><p>${esc(w(p.site))} · ${esc(w(P.generatedAt))} ${esc(localTime(p.generatedAt, p.timezone))} (${esc(p.timezone)})</p>${nav}</header>
<main>
${section(w(P.now), now)}
${section(w(P.perDay), perDay)}
${section(w(P.perHour), perHour)}
${section(w(P.events), events)}
${section(w(P.drift), drift)}
</main>
</body>
</html>
`;
}


