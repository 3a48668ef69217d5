import { useEffect, useState } from 'preact/hooks';
import { fetchHealthEvents, type HealthEvent } from '../../api/health.js';
import { pick, useLang } from '../../app/i18n.js';
import { useSite } from '../../app/settings.js';
import { Button } from '../../ui/Button.js';
import { Pager } from '../../ui/Pager.js';
import { localDay, timeRange } from './event-time.js';
import { HealthFrame } from './HealthFrame.js';
import { Places } from './Places.js';
import { noteServerNow, serverNow } from './server-time.js';
import { useHealthStrings } from './strings.js';
import { useCompact } from './use-compact.js';
import { useFit } from './use-fit.js';

/** Places change as neighbours sign up at home on their phones: read again this often while shown. */
const REFRESH_MS = 30_000;
const RETRY_MS = 5_000;

type Loaded = { state: 'loading' } | { state: 'failed' } | { state: 'ok'; events: HealthEvent[] };

/** The coming events, a page at a time, each with its places left; a tap opens one. */
export function EventList(props: { onOpen: (event: HealthEvent) => void }) {
  const s = useHealthStrings();
  const compact = useCompact();
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  // The pager's ▲▼ row is 64 px and its margin 12; rows are 12 px apart (shell.css).
  const { ref, fits } = useFit<HTMLDivElement>('.event-row', compact ? 2 : 3, 76, 12);

  useEffect(() => {
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      try {
        const r = await fetchHealthEvents(abort.signal);
        noteServerNow(r.now);
        // Events that already started are for check-in only; they stay until they end.
        setLoaded({ state: 'ok', events: [...r.events].sort((a, b) => a.startsAt - b.startsAt || a.id - b.id) });
        timer = setTimeout(load, REFRESH_MS);
      } catch {
        if (abort.signal.aborted) return;
        setLoaded((l) => (l.state === 'ok' ? l : { state: 'failed' }));
        timer = setTimeout(load, RETRY_MS);
      }
    };
    void load();
    return () => {
      abort.abort();
      clearTimeout(timer);
    };
  }, []);

  return (
    <HealthFrame title={s.title} testid="screen-health">
      <div class="health-list" data-testid="health-list" ref={ref}>
        {loaded.state === 'ok' && loaded.events.length > 0 && <p class="health-hint">{s.hint}</p>}
        {loaded.state === 'loading' && <p class="health-status">{s.loading}</p>}
        {loaded.state === 'failed' && (
          <p class="health-status" role="status">
            {s.loadFailed}
          </p>
        )}
        {loaded.state === 'ok' && loaded.events.length === 0 && (
          <p class="health-status" data-testid="health-none">
            {s.none}
          </p>
        )}
        {loaded.state === 'ok' && loaded.events.length > 0 && (
          <Pager items={loaded.events} pageSize={fits} testid="health-events" render={(e) => <EventRow key={e.id} event={e} onOpen={props.onOpen} />} />
        )}
      </div>
    </HealthFrame>
  );
}

function EventRow(props: { event: HealthEvent; onOpen: (event: HealthEvent) => void }) {
  const s = useHealthStrings();
  const lang = useLang();
  const site = useSite();
  const e = props.event;
  const day = localDay(e.startsAt, site.timezone, serverNow());
  return (
    <li class="event-row">
      <Button class="event-card" testid={`health-event-${e.id}`} onClick={() => props.onOpen(e)}>
        <span class="event-main">
          <span class="event-when">
            {s.date(day)} {timeRange(e.startsAt, e.endsAt, site.timezone)}
          </span>
          <span class="event-title">{pick(e.title, lang)}</span>
          <span class="event-where">
            {pick(e.place, lang)}
            <span class="event-host"> · {s.host(e.host)}</span>
          </span>
        </span>
        <Places event={e} />
      </Button>
    </li>
  );
}
