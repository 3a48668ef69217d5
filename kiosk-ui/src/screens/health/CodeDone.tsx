import type { HealthEvent } from '../../api/health.js';
import { pick, useLang } from '../../app/i18n.js';
import { Button } from '../../ui/Button.js';
import { HealthFrame } from './HealthFrame.js';
import { useHealthStrings } from './strings.js';

/** After cancelling or checking in: what happened, in one big line, and the way back. */
export function CodeDone(props: { kind: 'cancelled' | 'checked-in' | 'already'; event: HealthEvent; people: number; onDone: () => void }) {
  const s = useHealthStrings();
  const lang = useLang();
  const cancelled = props.kind === 'cancelled';
  const status = cancelled ? s.cancelledDone : props.kind === 'already' ? s.alreadyCheckedIn : s.checkedIn;
  return (
    <HealthFrame title={cancelled ? s.cancelTitle : s.checkInTitle} testid="screen-health" onBack={props.onDone}>
      <div class="health-done code-done" data-testid={cancelled ? 'cancel-done' : 'checkin-done'} data-kind={props.kind}>
        <h2 class="done-status" data-testid="code-done-status">
          <span class="glyph" aria-hidden="true">✓</span>{' '}
          {status}
        </h2>
        <p class="done-line">{pick(props.event.title, lang)}</p>
        <p class="done-line">{cancelled ? s.cancelledNote : s.welcome(props.people)}</p>
        <div class="flow-actions">
          <Button kind="primary" testid="health-done" onClick={props.onDone}>
            {s.done}
          </Button>
        </div>
      </div>
    </HealthFrame>
  );
}
