import type { LoungeEvent } from '../api/lounge.js';
import { hhmm, isOpen } from '../format.js';
import { pick, strings } from '../i18n.js';
import { eventPhase, eventsToShow } from '../lounge-events.js';
import { lastReadingAt, type Model } from '../model.js';
import { h, icon, setText } from './dom.js';
import { section, type Part } from './section.js';

/** A count of people: what it is, then the number big ("现在在场 12 人"), or — before the server has told. */
function countTile(caption: string, unit: string, testid: string) {
  const num = h('span', { class: 'num', testid, text: '—' });
  const unitEl = h('span', { class: 'unit', text: unit, hidden: true });
  const el = h('article', { class: 'tile stat' }, [h('p', { class: 'caption', text: caption }), h('p', { class: 'big' }, [num, unitEl])]);
  return {
    el,
    set(n: number | null) {
      setText(num, n === null ? '—' : String(n));
      unitEl.hidden = n === null || unit === '';
    },
  };
}

/** One event: its time, its name and how many came in at the doors (counted, not signed up). */
function eventItem(model: Model, e: LoungeEvent) {
  const tz = model.site.timezone;
  const count = h('span', { class: 'event-count' });
  const el = h('li', { class: 'event', testid: `event-${e.id}` }, [
    h('span', { class: 'event-time', text: `${hhmm(e.startsAt, tz)}–${hhmm(e.endsAt, tz)}` }),
    h('span', { class: 'event-title', text: pick(e.title, model.lang) }),
    count,
  ]);
  return {
    el,
    update(m: Model, now: number) {
      const t = strings(m.lang);
      const phase = eventPhase(e, now);
      const n = e.attendance.counted;
      // A count the server no longer keeps is left out rather than shown as a low number.
      const text = phase === 'before' ? t.eventBefore : n === null ? '' : phase === 'during' ? t.eventDuring(n) : t.eventAfter(n);
      setText(count, text);
      count.hidden = text === '';
      el.dataset.phase = phase;
    },
  };
}

/**
 * The lounge: how many people are inside now and came today (door counts), today's events with their
 * attendance, when data last came in, and the opening hours.
 */
export function loungePanel(model: Model): Part {
  const t = strings(model.lang);
  const { open, close } = model.site.lounge.hours;
  const inside = countTile(t.inside, t.people, 'people-inside');
  const visits = countTile(t.visitsToday, t.people, 'visits-today');
  const last = h('span', { class: 'num', testid: 'last-update', text: '—' });
  const openState = h('span', { class: 'open-state', testid: 'open-state' });
  // The hours sit beside the title: when the lounge is open is part of what the panel is.
  const hours = h('p', { class: 'panel-sub hours' }, [h('span', { text: `${t.hours} ${open}–${close}` }), openState]);
  const list = h('ul', { class: 'event-list', attrs: { 'aria-label': t.events } });
  // Plain lines rather than another tile: the panel stays low enough for the waste tiles above it.
  const eventsTile = h('div', { class: 'events', testid: 'lounge-events', hidden: true }, [
    h('p', { class: 'caption events-head' }, [icon('calendar', 'icon'), h('span', { text: t.events })]),
    list,
  ]);
  const el = section(
    'lounge',
    t.lounge,
    h('div', { class: 'lounge-body' }, [
      h('div', { class: 'stats' }, [
        inside.el,
        visits.el,
        h('article', { class: 'tile stat' }, [h('p', { class: 'caption', text: t.lastUpdate }), h('p', { class: 'big' }, [last])]),
      ]),
      eventsTile,
    ]),
    hours,
  );

  let items: { key: string; parts: ReturnType<typeof eventItem>[] } = { key: '', parts: [] };

  return {
    el,
    update(m, now) {
      const s = strings(m.lang);
      inside.set(m.occupancy?.inside ?? null);
      visits.set(m.occupancy?.visitsToday ?? null);
      const at = lastReadingAt(m);
      setText(last, at === null ? s.never : hhmm(at, m.site.timezone));
      setText(openState, isOpen(now, m.site.timezone, open, close) ? s.openNow : s.closedNow);

      const shown = eventsToShow(m.events, now);
      // The list is rebuilt only when which events (or their counts) change; nothing in it is tappable.
      const key = JSON.stringify(shown.map((e) => [e.id, e.startsAt, e.endsAt, e.title, e.attendance]));
      if (key !== items.key) {
        items = { key, parts: shown.map((e) => eventItem(m, e)) };
        list.replaceChildren(...items.parts.map((p) => p.el));
      }
      for (const p of items.parts) p.update(m, now);
      eventsTile.hidden = shown.length === 0;
    },
  };
}
