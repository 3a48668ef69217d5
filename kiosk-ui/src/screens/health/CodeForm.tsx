import { useState } from 'preact/hooks';
import { cancelSignup, checkIn, type CancelResult, type CheckInResult, type HealthEvent } from '../../api/health.js';
import { pick, useLang } from '../../app/i18n.js';
import { Button } from '../../ui/Button.js';
import { Keypad } from '../../ui/Keypad.js';
import { HealthFrame } from './HealthFrame.js';
import { refusalText } from './refusal.js';
import { useHealthStrings } from './strings.js';
import { useReveal } from './use-reveal.js';

type Field = 'lastFour' | 'code';
const LENGTH: Record<Field, { min: number; max: number }> = { lastFour: { min: 4, max: 4 }, code: { min: 4, max: 8 } };

/**
 * Cancel or check in: the last four digits of the phone and the sign-up code, both on the keypad —
 * what the server asks for (POST …/cancel and …/checkin). The whole number is not needed, so it is
 * not asked for. Two big fields; a tap picks which one the keypad types into, and a full "last four"
 * moves on to the code by itself.
 */
export function CodeForm(props: {
  mode: 'cancel' | 'checkin';
  event: HealthEvent;
  onBack: () => void;
  onCancelled: (r: CancelResult) => void;
  onCheckedIn: (r: CheckInResult) => void;
}) {
  const s = useHealthStrings();
  const lang = useLang();
  const [values, setValues] = useState<Record<Field, string>>({ lastFour: '', code: '' });
  const [active, setActive] = useState<Field>('lastFour');
  const [sending, setSending] = useState(false);
  // The failure itself, not its words: a change of language then changes them too.
  const [error, setError] = useState<{ failure: unknown } | null>(null);
  const errorRef = useReveal<HTMLParagraphElement>(error);

  const type = (value: string) => {
    setError(null);
    setValues((v) => ({ ...v, [active]: value }));
    if (active === 'lastFour' && value.length === LENGTH.lastFour.max) setActive('code');
  };
  const ready = values.lastFour.length === 4 && values.code.length >= LENGTH.code.min;

  const submit = async () => {
    if (!ready || sending) return;
    setSending(true);
    setError(null);
    try {
      if (props.mode === 'cancel') props.onCancelled(await cancelSignup(props.event.id, values));
      else props.onCheckedIn(await checkIn(props.event.id, values));
    } catch (err) {
      setError({ failure: err });
      setSending(false);
    }
  };

  const field = (f: Field, label: string) => {
    const v = values[f];
    const missing = LENGTH[f].min - v.length;
    return (
      <Button class={`code-field ${active === f ? 'is-active' : ''}`} testid={`field-${f}`} pressed={active === f} onClick={() => setActive(f)}>
        <span class="code-field-label">{label}</span>
        <span class="code-field-value" data-testid={`value-${f}`}>
          {v || <span class="entry-placeholder">{'_'.repeat(LENGTH[f].min)}</span>}
        </span>
        {missing > 0 && <span class="code-field-missing">{s.fieldMissing(missing)}</span>}
      </Button>
    );
  };

  return (
    <HealthFrame title={props.mode === 'cancel' ? s.cancelTitle : s.checkInTitle} testid="screen-health" onBack={props.onBack}>
      <div class="entry-step" data-testid={`health-${props.mode}`}>
        <div class="entry-side">
          <p class="flow-hint code-event">{pick(props.event.title, lang)}</p>
          <div class="code-fields">
            {field('lastFour', s.lastFour)}
            {field('code', s.code)}
          </div>
          <p class="flow-hint code-hint">{s.codeHint}</p>
          {error && (
            <p class="flow-error" role="alert" data-testid="health-refusal" ref={errorRef}>
              <span class="glyph" aria-hidden="true">⚠</span>{' '}
              {refusalText(error.failure, lang, s)}
            </p>
          )}
          <div class="flow-actions">
            <Button kind="primary" testid="code-submit" disabled={!ready || sending} onClick={() => void submit()}>
              {sending ? s.sending : props.mode === 'cancel' ? s.cancelSubmit : s.checkInSubmit}
            </Button>
          </div>
        </div>
        <Keypad value={values[active]} onChange={type} maxLength={LENGTH[active].max} label={s.keypad} />
      </div>
    </HealthFrame>
  );
}
