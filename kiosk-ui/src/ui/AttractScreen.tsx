import { useEffect, useState } from 'preact/hooks';
import { fetchHealthEvents, type HealthEvent } from '../api/health.js';
import { defineStrings, pick, useLang } from '../app/i18n.js';
import { useLive, useNow } from '../app/live.js';
import { useSite } from '../app/settings.js';
import { hhmm, localParts, percent } from '../format.js';
import { bedDisplay } from '../screens/garden/bed-display.js';
import { pointStatus } from '../screens/waste/waste-display.js';
import { Countdown } from './Countdown.js';
import { drift } from './drift.js';
import { Icon } from './Icon.js';

const useS = defineStrings({
  zh: {
    label: '欢迎，轻触屏幕开始',
    welcome: '欢迎！轻触屏幕开始',
    events: '今天的活动',
    noEvents: '今天没有活动',
    placesLeft: (n: number) => `还有 ${n} 个名额`,
    full: '已满，可候补',
    waste: '垃圾投放',
    open: '开放中',
    allDay: '全天开放',
    closes: '后结束',
    opens: '后开放',
    closed: '未开放',
    garden: '口袋花园',
    level: { dry: '偏干', ok: '适中', wet: '偏湿', unknown: '暂无数据' },
    watering: '正在浇水',
  },
  en: {
    label: 'Welcome: touch the screen to start',
    welcome: 'Welcome! Touch the screen to start',
    events: "Today's events",
    noEvents: 'No events today',
    placesLeft: (n: number) => `${n} places left`,
    full: 'Full: join the waiting list',
    waste: 'Waste drop-off',
    open: 'Open',
    allDay: 'Open all day',
    closes: 'left',
    opens: 'to opening',
    closed: 'Closed',
    garden: 'Pocket garden',
    level: { dry: 'Dry', ok: 'OK', wet: 'Wet', unknown: 'No data yet' },
    watering: 'Watering now',
  },
});

const EVENTS_POLL_MS = 5 * 60_000;
const MAX_EVENTS = 3;

/** Today's events that have not ended yet (the site's day), by start. */
function todays(events: readonly HealthEvent[], now: number, tz: string): HealthEvent[] {
  const today = localParts(now, tz).date;
  return events
    .filter((e) => !e.cancelled && e.endsAt > now && localParts(e.startsAt, tz).date === today)
    .sort((a, b) => a.startsAt - b.startsAt)
    .slice(0, MAX_EVENTS);
}

/**
 * What the kiosk shows while nobody uses it in opening hours (KIOSK.md §Home): today's events with
 * places left, which waste points are open and the countdown, the garden's state. It drifts a little
 * every minute so nothing burns into the panel; a tap anywhere starts (and is not passed through).
 */
export function AttractScreen(props: { onWake: () => void }) {
  const s = useS();
  const site = useSite();
  const lang = useLang();
  const { model } = useLive();
  const now = useNow();
  const [events, setEvents] = useState<HealthEvent[] | null>(null);
  useEffect(() => {
    let live = true;
    const load = () =>
      fetchHealthEvents().then(
        (r) => live && setEvents(r.events),
        () => undefined,
      );
    void load();
    const t = setInterval(load, EVENTS_POLL_MS);
    return () => {
      live = false;
      clearInterval(t);
    };
  }, []);
  const shown = events === null ? [] : todays(events, now, site.timezone);
  const waste = model.waste;

  return (
    <div class="overlay attract" role="dialog" aria-modal="true" aria-label={s.label} data-testid="attract-screen" onClick={props.onWake}>
      <div class="attract-body" style={drift(now)}>
        <p class="attract-welcome">
          <Icon name="hand" class="icon" />
          <span>{s.welcome}</span>
        </p>
        <div class="attract-cols">
          <section class="attract-col" aria-label={s.events}>
            <h2 class="attract-head">
              <Icon name="calendar" class="icon" />
              <span>{s.events}</span>
            </h2>
            {events !== null && shown.length === 0 && <p class="attract-line">{s.noEvents}</p>}
            {shown.map((e) => (
              <p key={e.id} class="attract-line attract-event" data-testid={`attract-event-${e.id}`}>
                <span class="attract-strong">{`${hhmm(e.startsAt, site.timezone)} ${pick(e.title, lang)}`}</span>
                <span>{e.placesLeft > 0 ? s.placesLeft(e.placesLeft) : s.full}</span>
              </p>
            ))}
          </section>
          <section class="attract-col" aria-label={s.waste}>
            <h2 class="attract-head">
              <Icon name="recyclable" class="icon" />
              <span>{s.waste}</span>
            </h2>
            {site.points.map((p) => {
              const state = waste?.points.find((x) => x.id === p.id);
              const st = state && waste ? pointStatus(state, waste.offsetMs) : null;
              return (
                <p key={p.id} class="attract-line" data-testid={`attract-point-${p.id}`}>
                  <span class="attract-strong">{pick(p.name, lang)}</span>
                  {st?.kind === 'always' && <span>{s.allDay}</span>}
                  {st?.kind === 'open' && (
                    <span>
                      {s.open} · <Countdown ms={st.closesAt - now} /> {s.closes}
                    </span>
                  )}
                  {st?.kind === 'closed' && (
                    <span>
                      {st.opensAt === null ? (
                        s.closed
                      ) : (
                        <>
                          <Countdown ms={st.opensAt - now} /> {s.opens}
                        </>
                      )}
                    </span>
                  )}
                </p>
              );
            })}
          </section>
          <section class="attract-col" aria-label={s.garden}>
            <h2 class="attract-head">
              <Icon name="sun" class="icon" />
              <span>{s.garden}</span>
            </h2>
            {site.garden.beds.map((b) => {
              const d = bedDisplay(model, b);
              const value = d.problem?.kind === 'untrusted' ? null : d.moisture;
              return (
                <p key={b.id} class="attract-line" data-testid={`attract-bed-${b.id}`}>
                  <span class="attract-strong">{pick(b.name, lang)}</span>
                  <span>
                    {value === null ? s.level.unknown : `${percent(value)}%${d.level === 'unknown' ? '' : ` · ${s.level[d.level]}`}`}
                    {d.watering ? ` · ${s.watering}` : ''}
                  </span>
                </p>
              );
            })}
          </section>
        </div>
      </div>
    </div>
  );
}
