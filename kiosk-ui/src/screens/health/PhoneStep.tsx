import { Button } from '../../ui/Button.js';
import { Keypad } from '../../ui/Keypad.js';
import { checkPhone, groupPhone, PHONE_DIGITS } from '../../ui/phone.js';
import { useHealthStrings } from './strings.js';

/**
 * The phone number on the on-screen keypad, checked digit by digit: what is wrong is said in plain
 * words as soon as it is typed. Shown in full while typing (the resident must see what they typed),
 * masked from the next step on.
 */
export function PhoneStep(props: { phone: string; onPhone: (p: string) => void; onNext: () => void }) {
  const s = useHealthStrings();
  const check = checkPhone(props.phone);
  const message =
    check.state === 'empty' ? s.phoneEmpty : check.state === 'typing' ? s.phoneMissing(check.missing) : check.state === 'complete' ? s.phoneComplete : s.phoneProblem(check.problem);
  return (
    <div class="entry-step">
      <div class="entry-side">
        <h2 class="flow-question">{s.phoneQ}</h2>
        <p class="flow-hint">{s.phoneHint}</p>
        <div class={`entry-field phone-field is-${check.state}`} data-testid="phone-field" aria-label={s.phoneLabel}>
          {props.phone === '' ? <span class="entry-placeholder" aria-hidden="true">1__ ____ ____</span> : groupPhone(props.phone)}
        </div>
        <p class={`entry-message is-${check.state}`} data-testid="phone-message" data-state={check.state} aria-live="polite">
          {check.state === 'wrong' && (
            <>
              <span class="glyph" aria-hidden="true">⚠</span>{' '}
            </>
          )}
          {message}
        </p>
        <div class="flow-actions">
          <Button kind="primary" testid="flow-next" disabled={check.state !== 'complete'} onClick={props.onNext}>
            {s.next} <span aria-hidden="true">▶</span>
          </Button>
        </div>
      </div>
      <Keypad value={props.phone} onChange={props.onPhone} maxLength={PHONE_DIGITS} label={s.keypad} />
    </div>
  );
}
