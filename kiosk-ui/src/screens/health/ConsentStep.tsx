import type { HealthEvent } from '../../api/health.js';
import { pick, useLang } from '../../app/i18n.js';
import { useSite } from '../../app/settings.js';
import { Button } from '../../ui/Button.js';
import { maskPhone } from '../../ui/phone.js';
import { localDay, timeRange } from './event-time.js';
import { serverNow } from './server-time.js';
import { useHealthStrings } from './strings.js';
import { useReveal } from './use-reveal.js';

/**
 * What will be sent (the number masked), a plain consent line saying what is kept and for how long,
 * a big tick, and Submit. Refusals from the server appear here, in words.
 */
export function ConsentStep(props: {
  event: HealthEvent;
  people: number;
  phone: string;
  agreed: boolean;
  onAgreed: (on: boolean) => void;
  waitlist: boolean;
  retentionDays: number | null;
  sending: boolean;
  error: string | null;
  onSubmit: () => void;
}) {
  const s = useHealthStrings();
  const lang = useLang();
  const site = useSite();
  const e = props.event;
  const errorRef = useReveal<HTMLParagraphElement>(props.error);
  return (
    <div class="consent-step">
      <dl class="summary" data-testid="signup-summary">
        <div>
          <dt>{s.event}</dt>
          <dd>
            {pick(e.title, lang)} · {s.date(localDay(e.startsAt, site.timezone, serverNow()))} {timeRange(e.startsAt, e.endsAt, site.timezone)}
          </dd>
        </div>
        <div>
          <dt>{s.peopleLabel}</dt>
          <dd data-testid="summary-people">{s.people(props.people)}</dd>
        </div>
        <div>
          <dt>{s.phoneLabel}</dt>
          <dd class="summary-phone" data-testid="summary-phone">
            {maskPhone(props.phone)}
          </dd>
        </div>
      </dl>
      <p class="consent-text" data-testid="consent-text">
        {s.consentText(props.retentionDays)}
      </p>
      <div class="consent-actions">
        <Button class="consent-tick" testid="consent-tick" pressed={props.agreed} onClick={() => props.onAgreed(!props.agreed)}>
          <span class="tick-box" aria-hidden="true">
            {props.agreed ? '✓' : ''}
          </span>
          {s.agree}
        </Button>
        <Button kind="primary" testid="signup-submit" disabled={props.sending} onClick={props.onSubmit}>
          {props.sending ? s.sending : props.waitlist ? s.submitWaitlist : s.submit}
        </Button>
      </div>
      {props.error && (
        <p class="flow-error" role="alert" data-testid="health-refusal" ref={errorRef}>
          <span class="glyph" aria-hidden="true">⚠</span>{' '}
          {props.error}
        </p>
      )}
    </div>
  );
}
