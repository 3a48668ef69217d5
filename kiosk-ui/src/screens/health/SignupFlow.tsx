import { useState } from 'preact/hooks';
import { signUp, signupLimits, type HealthEvent, type SignupResult } from '../../api/health.js';
import { useLang } from '../../app/i18n.js';
import { useSite } from '../../app/settings.js';
import { isMobile } from '../../ui/phone.js';
import { ConsentStep } from './ConsentStep.js';
import { HealthFrame } from './HealthFrame.js';
import { PeopleStep } from './PeopleStep.js';
import { PhoneStep } from './PhoneStep.js';
import { refusalText } from './refusal.js';
import { useHealthStrings } from './strings.js';

type Stage = 'people' | 'phone' | 'consent';

/**
 * Sign-up (or joining the waitlist) in three small steps: how many people, the phone number on the
 * keypad, then consent and submit. Nothing is sent before the tick; the number is held only here
 * and dropped when this flow closes.
 */
export function SignupFlow(props: { event: HealthEvent; onBack: () => void; onDone: (r: SignupResult) => void }) {
  const s = useHealthStrings();
  const lang = useLang();
  const site = useSite();
  const e = props.event;
  const limits = signupLimits(site);
  // A group larger than the whole event could never get in: the server refuses it, so never offer it.
  const maxPeople = Math.max(1, Math.min(limits.maxPeople, e.capacity));
  const stages: Stage[] = maxPeople > 1 ? ['people', 'phone', 'consent'] : ['phone', 'consent'];
  const [stage, setStage] = useState<Stage>(stages[0] as Stage);
  const [people, setPeople] = useState(1);
  const [phone, setPhone] = useState('');
  const [agreed, setAgreed] = useState(false);
  const [sending, setSending] = useState(false);
  // The failure itself, not its words: a change of language then changes them too.
  const [error, setError] = useState<{ failure: unknown } | 'tick-first' | null>(null);

  const waitlist = e.placesLeft < people;
  const index = stages.indexOf(stage);
  const back = () => {
    setError(null);
    if (index > 0) setStage(stages[index - 1] as Stage);
    else props.onBack();
  };
  const next = () => setStage(stages[index + 1] as Stage);

  const submit = async () => {
    if (sending) return;
    if (!agreed) {
      setError('tick-first');
      return;
    }
    if (!isMobile(phone)) {
      setStage('phone');
      return;
    }
    setSending(true);
    setError(null);
    try {
      props.onDone(await signUp(e.id, { phone, people, consent: true }));
    } catch (err) {
      setError({ failure: err });
      setSending(false);
    }
  };

  return (
    <HealthFrame title={e.placesLeft <= 0 ? s.waitlistTitle : s.signupTitle} testid="screen-health" onBack={back}>
      <div class="health-flow" data-testid={`health-${stage}`}>
        <p class="flow-step">{s.stepOf(index + 1, stages.length)}</p>
        {stage === 'people' && <PeopleStep people={people} max={maxPeople} placesLeft={e.placesLeft} onPeople={setPeople} onNext={next} />}
        {stage === 'phone' && <PhoneStep phone={phone} onPhone={setPhone} onNext={next} />}
        {stage === 'consent' && (
          <ConsentStep
            event={e}
            people={people}
            phone={phone}
            agreed={agreed}
            onAgreed={(on) => {
              setAgreed(on);
              if (on) setError(null);
            }}
            waitlist={waitlist}
            retentionDays={limits.retentionDays}
            sending={sending}
            error={error === null ? null : error === 'tick-first' ? s.tickFirst : refusalText(error.failure, lang, s)}
            onSubmit={() => void submit()}
          />
        )}
      </div>
    </HealthFrame>
  );
}
