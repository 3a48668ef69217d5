import { Button } from '../../ui/Button.js';
import { Keypad } from '../../ui/Keypad.js';
import { groupPhone, PHONE_DIGITS } from '../../ui/phone.js';
import { phoneCheck, setPhone, type Draft } from './draft.js';
import { useConcernsStrings } from './strings.js';

/**
 * The optional phone for a call back, on the 3×4 keypad, checked digit by digit. It is shown in full
 * only while typed (the resident is checking it); the review and the confirmation show it masked.
 */
export function PhoneStep(props: { draft: Draft; onChange: (d: Draft) => void; onNext: () => void }) {
  const s = useConcernsStrings();
  const phone = props.draft.phone;
  const check = phoneCheck(props.draft);
  const status =
    check.state === 'typing' ? s.phoneTyping(check.missing) : check.state === 'complete' ? s.phoneOk : check.state === 'wrong' ? s.phoneWrong[check.problem] : '';
  return (
    <div class="cn-phone">
      <Keypad value={phone} onChange={(v) => props.onChange(setPhone(props.draft, v))} maxLength={PHONE_DIGITS} testid="phone-key" label={s.phoneLabel} />
      <div class="cn-phone-side">
        <div class="cn-phone-display" role="textbox" aria-readonly="true" aria-label={s.phoneLabel} data-testid="phone-display">
          {phone === '' ? <span class="kbd-placeholder">{s.phoneLabel}</span> : groupPhone(phone)}
        </div>
        <p class={check.state === 'wrong' ? 'cn-phone-status is-wrong' : 'cn-phone-status'} aria-live="polite" data-testid="phone-status">
          {check.state === 'wrong' && <span aria-hidden="true">⚠ </span>}
          {check.state === 'complete' && <span aria-hidden="true">✓ </span>}
          {status}
        </p>
        <p class="cn-phone-hint">{s.phoneHint}</p>
        <Button kind="primary" testid="raise-next" disabled={check.state === 'typing' || check.state === 'wrong'} onClick={props.onNext}>
          {phone === '' ? s.skip : s.next} <span aria-hidden="true">▶</span>
        </Button>
      </div>
    </div>
  );
}
