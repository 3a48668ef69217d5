import type { LoungeEvent } from '../../api/lounge.js';
import { isOpenAt, nextOpening } from '../../app/hours.js';
import { defineStrings, pick, useLang } from '../../app/i18n.js';
import { useLive, useNow } from '../../app/live.js';
import { useSite } from '../../app/settings.js';
import { hhmm } from '../../format.js';
import { Frame } from '../../ui/Frame.js';
import { Icon, type IconName } from '../../ui/Icon.js';
import { Pager } from '../../ui/Pager.js';
import { eventPhase, eventsToShow } from './lounge-events.js';
import './lounge.css';

const useS = defineStrings({
  zh: {
    title: '客厅今天',
    inside: '现在在场',
    visitsToday: '今天来访',
    people: '人',
    events: '今天的活动',
    noEvents: '今天没有活动',
    eventBefore: '还没开始',
    eventDuring: (n: number) => `已来 ${n} 人`,
    eventAfter: (n: number) => `共来 ${n} 人`,
    hours: (open: string, close: string) => `开放时间 ${open}–${close}`,
    openNow: '现在开放',
    closedNow: '现在关闭',
    opens: (day: 'today' | 'tomorrow', t: string) => `${day === 'today' ? '今天' : '明天'} ${t} 开门`,
  },
  en: {
    title: 'Lounge today',
    inside: 'Inside now',
    visitsToday: 'Visitors today',
    people: '',
    events: "Today's events",
    noEvents: 'No events today',
    eventBefore: 'Not started yet',
    eventDuring: (n: number) => `${n} came so far`,
    eventAfter: (n: number) => `${n} came`,
    hours: (open: string, close: string) => `Open ${open}–${close}`,
    openNow: 'Open now',
    closedNow: 'Closed now',
    opens: (day: 'today' | 'tomorrow', t: string) => `opens ${day === 'today' ? 'today' : 'tomorrow'} at ${t}`,
  },
});

/** Events listed a page at a time (▲ ▼), so each line keeps its large text. */
const EVENTS_PER_PAGE = 3;

function Stat(props: { icon: IconName; caption: string; value: number | null; unit: string; testid: string }) {
  return (
    <article class="lounge-stat tile">
      <p class="lounge-stat-caption">
        <Icon name={props.icon} class="icon" />
        <span>{props.caption}</span>
      </p>
      <p class="lounge-stat-value">
        <span class="num" data-testid={props.testid}>
          {props.value === null ? '—' : String(props.value)}
        </span>
        {props.value !== null && props.unit && <span class="unit">{props.unit}</span>}
      </p>
    </article>
  );
}

function EventLine(props: { event: LoungeEvent; now: number }) {
  const { event: e, now } = props;
  const site = useSite();
  const lang = useLang();
  const s = useS();
  const phase = eventPhase(e, now);
  const n = e.attendance.counted;
  // A count the server no longer keeps is left out rather than shown as a low number.
  const count = phase === 'before' ? s.eventBefore : n === null ? '' : phase === 'during' ? s.eventDuring(n) : s.eventAfter(n);
  return (
    <li class="lounge-event" data-testid={`event-${e.id}`} data-phase={phase}>
      <span class="lounge-event-time">{`${hhmm(e.startsAt, site.timezone)}–${hhmm(e.endsAt, site.timezone)}`}</span>
      <span class="lounge-event-title">{pick(e.title, lang)}</span>
      {count && <span class="lounge-event-count">{count}</span>}
      <span class="lounge-event-place">
        <Icon name="pin" class="icon" />
        <span>{pick(e.place, lang)}</span>
      </span>
    </li>
  );
}

/**
 * The lounge: how many people are inside now and came today (door counts, live), today's events with
 * how many came to each (counted at the doors, not signed up), and whether it is open, with its hours.
 */
export function LoungeScreen() {
  const s = useS();
  const site = useSite();
  const { model } = useLive();
  const now = useNow();
  const { open, close } = site.lounge.hours;
  const isOpen = isOpenAt(now, site.timezone, site.lounge.hours);
  const next = isOpen ? null : nextOpening(now, site.timezone, site.lounge.hours);
  const events = eventsToShow(model.events, now);
  return (
    <Frame title={s.title} testid="screen-lounge">
      <div class="lounge-screen">
        <p class={`lounge-hours${isOpen ? ' is-open' : ''}`} data-testid="open-state" data-open={String(isOpen)}>
          <Icon name={isOpen ? 'door' : 'moon'} class="icon" />
          <span class="lounge-open-word">{isOpen ? s.openNow : s.closedNow}</span>
          {next && <span>{s.opens(next.day, next.time)}</span>}
          <span class="lounge-hours-range">{s.hours(open, close)}</span>
        </p>
        <div class="lounge-stats">
          <Stat icon="users" caption={s.inside} value={model.occupancy?.inside ?? null} unit={s.people} testid="people-inside" />
          <Stat icon="door" caption={s.visitsToday} value={model.occupancy?.visitsToday ?? null} unit={s.people} testid="visits-today" />
        </div>
        <section class="lounge-events tile" data-testid="lounge-events" aria-labelledby="lounge-events-title">
          <h2 class="lounge-events-title" id="lounge-events-title">
            <Icon name="calendar" class="icon" />
            <span>{s.events}</span>
          </h2>
          {events.length === 0 ? (
            <p class="lounge-no-events">{s.noEvents}</p>
          ) : (
            <Pager items={events} pageSize={EVENTS_PER_PAGE} testid="lounge-event-pages" render={(e) => <EventLine key={e.id} event={e} now={now} />} />
          )}
        </section>
      </div>
    </Frame>
  );
}
