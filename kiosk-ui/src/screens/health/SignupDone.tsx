import type { SignupResult } from '../../api/health.js';
import { pick, useLang } from '../../app/i18n.js';
import { useSite } from '../../app/settings.js';
import { Button } from '../../ui/Button.js';
import { localDay, timeRange } from './event-time.js';
import { HealthFrame } from './HealthFrame.js';
import { serverNow } from './server-time.js';
import { useHealthStrings } from './strings.js';

/**
 * The confirmation: signed up or on the waitlist (with the place in the queue), the masked number,
 * and the short code in very large digits to remember or photograph.
 */
export function SignupDone(props: { result: SignupResult; onDone: () => void }) {
  const s = useHealthStrings();
  const lang = useLang();
  const site = useSite();
  const r = props.result;
  const waiting = r.status === 'waitlisted';
  return (
    <HealthFrame title={waiting ? s.waitlistTitle : s.signupTitle} testid="screen-health" onBack={props.onDone}>
      <div class="health-done" data-testid="signup-done" data-status={r.status}>
        <div class="done-info">
          <h2 class="done-status" data-testid="signup-status">
            {!waiting && (
              <>
                <span class="glyph" aria-hidden="true">✓</span>{' '}
              </>
            )}
            {waiting ? s.waitlisted(r.waitlistPosition ?? 1) : s.confirmed}
          </h2>
          <p class="done-line done-event">
            {pick(r.event.title, lang)} · {s.date(localDay(r.event.startsAt, site.timezone, serverNow()))} {timeRange(r.event.startsAt, r.event.endsAt, site.timezone)}
          </p>
          <p class="done-line">
            <span class="done-phone" data-testid="signup-phone">
              {r.phone}
            </span>
            {' · '}
            <span data-testid="signup-people">{s.people(r.people)}</span>
          </p>
          {waiting && <p class="done-note">{s.waitlistNote}</p>}
          <p class="done-remember">{s.remember}</p>
        </div>
        <div class="done-code-box">
          <span class="done-code-label">{s.yourCode}</span>
          <span class="done-code" data-testid="signup-code">
            {r.code}
          </span>
          <Button kind="primary" testid="health-done" onClick={props.onDone}>
            {s.done}
          </Button>
        </div>
      </div>
    </HealthFrame>
  );
}
