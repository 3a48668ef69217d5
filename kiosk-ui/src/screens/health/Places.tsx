import type { HealthEvent } from '../../api/health.js';
import { useSite } from '../../app/settings.js';
import { hhmm } from '../../format.js';
import { localDay } from './event-time.js';
import { serverNow } from './server-time.js';
import { useHealthStrings } from './strings.js';

/**
 * Where an event stands for a resident, big: the places left as a number, or "Full — waitlist
 * open", or why sign-up is not possible. Words always, never colour alone.
 */
export function Places(props: { event: HealthEvent; big?: boolean }) {
  const s = useHealthStrings();
  const site = useSite();
  const e = props.event;
  const phase = e.cancelled ? 'cancelled' : e.signup.phase;
  const cls = `places ${props.big ? 'places-big' : ''}`;
  if (phase === 'open' && e.placesLeft > 0) {
    return (
      <span class={cls} data-state="open" data-testid={`health-places-${e.id}`}>
        <span class="places-number">{e.placesLeft}</span>
        <span class="places-caption">{s.placesLeft}</span>
      </span>
    );
  }
  if (phase === 'open') {
    return (
      <span class={`${cls} places-full`} data-state="full" data-testid={`health-places-${e.id}`}>
        <span class="places-word">{s.full}</span>
        <span class="places-caption">{s.waitlistOpen}</span>
      </span>
    );
  }
  const opens = e.signup.opensAt;
  const text = phase === 'cancelled' ? s.cancelled : phase === 'closed' ? s.closed : s.notYetOpen;
  return (
    <span class={`${cls} places-shut`} data-state={phase} data-testid={`health-places-${e.id}`}>
      <span class="places-note">{text}</span>
      {phase === 'not-yet-open' && <span class="places-caption">{s.opensAt(`${s.date(localDay(opens, site.timezone, serverNow()))} ${hhmm(opens, site.timezone)}`)}</span>}
    </span>
  );
}
