import { useEffect, useState } from 'preact/hooks';
import { fetchHealthEvent, type HealthEvent } from '../../api/health.js';
import { pick, useLang } from '../../app/i18n.js';
import { useSite } from '../../app/settings.js';
import { Button } from '../../ui/Button.js';
import { cancelOffered, checkInOffered, localDay, timeRange } from './event-time.js';
import { HealthFrame } from './HealthFrame.js';
import { Places } from './Places.js';
import { serverNow } from './server-time.js';
import { useHealthStrings } from './strings.js';

/**
 * One event: when, where, who, the places left in big numbers, and what a resident can do now. A
 * full event offers "Join the waitlist", plainly, never "Sign up".
 */
export function EventDetail(props: {
  event: HealthEvent;
  onBack: () => void;
  onSignUp: (e: HealthEvent) => void;
  onCancel: (e: HealthEvent) => void;
  onCheckIn: (e: HealthEvent) => void;
}) {
  const s = useHealthStrings();
  const lang = useLang();
  const site = useSite();
  // The list may be half a minute old: the places shown here are read again.
  const [e, setEvent] = useState(props.event);
  useEffect(() => {
    const abort = new AbortController();
    fetchHealthEvent(props.event.id, abort.signal).then(setEvent, () => undefined);
    return () => abort.abort();
  }, [props.event.id]);

  const now = serverNow();
  const full = e.placesLeft <= 0;
  const description = pick(e.description, lang);
  return (
    <HealthFrame title={s.detailTitle} testid="screen-health" onBack={props.onBack}>
      <div class="health-detail" data-testid="health-detail">
        <div class="detail-info">
          <h2 class="detail-title" data-testid="detail-title">
            {pick(e.title, lang)}
          </h2>
          <p class="detail-line" data-testid="detail-when">
            {s.date(localDay(e.startsAt, site.timezone, now))} {timeRange(e.startsAt, e.endsAt, site.timezone)}
          </p>
          <p class="detail-line">{pick(e.place, lang)}</p>
          <p class="detail-line">{s.host(e.host)}</p>
          {description && <p class="detail-description">{description}</p>}
        </div>
        <div class="detail-places">
          <Places event={e} big />
          <span class="detail-small">
            {s.capacity(e.capacity)}
            {e.waitlistedPeople > 0 && ` · ${s.waiting(e.waitlistedPeople)}`}
          </span>
        </div>
        <div class="detail-actions">
          {e.signup.open && !e.cancelled && (
            <Button kind="primary" testid={full ? 'health-join-waitlist' : 'health-sign-up'} onClick={() => props.onSignUp(e)}>
              {full ? s.joinWaitlist : s.signUp}
            </Button>
          )}
          {checkInOffered(e, now) && (
            <Button kind={e.signup.open ? 'secondary' : 'primary'} testid="health-check-in" onClick={() => props.onCheckIn(e)}>
              {s.checkIn}
            </Button>
          )}
          {cancelOffered(e, now) && (
            <Button testid="health-cancel" onClick={() => props.onCancel(e)}>
              {s.cancelMine}
            </Button>
          )}
        </div>
      </div>
    </HealthFrame>
  );
}
