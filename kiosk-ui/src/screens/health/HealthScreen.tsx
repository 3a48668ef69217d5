import { useState } from 'preact/hooks';
import type { CancelResult, CheckInResult, HealthEvent, SignupResult } from '../../api/health.js';
import { CodeDone } from './CodeDone.js';
import { CodeForm } from './CodeForm.js';
import { EventDetail } from './EventDetail.js';
import { EventList } from './EventList.js';
import { SignupDone } from './SignupDone.js';
import { SignupFlow } from './SignupFlow.js';
import './health.css';

/**
 * Health hours: the coming events, and for each one sign-up (or the waitlist), cancel and check-in.
 * Each step is a whole screen of its own (one idea per screen); Back goes one step back. Everything
 * typed lives in the steps' component state only: leaving a step, or the kiosk's idle reset (which
 * remounts this screen), forgets it; results keep only the masked number.
 */
export type HealthStep =
  | { at: 'list' }
  | { at: 'event'; event: HealthEvent }
  | { at: 'signup'; event: HealthEvent }
  | { at: 'signed'; event: HealthEvent; result: SignupResult }
  | { at: 'cancel'; event: HealthEvent }
  | { at: 'cancelled'; event: HealthEvent; result: CancelResult }
  | { at: 'checkin'; event: HealthEvent }
  | { at: 'checked-in'; event: HealthEvent; result: CheckInResult };

export function HealthScreen() {
  const [step, setStep] = useState<HealthStep>({ at: 'list' });
  const list = () => setStep({ at: 'list' });
  const open = (event: HealthEvent) => setStep({ at: 'event', event });
  switch (step.at) {
    case 'list':
      return <EventList onOpen={open} />;
    case 'event':
      return (
        <EventDetail
          event={step.event}
          onBack={list}
          onSignUp={(event) => setStep({ at: 'signup', event })}
          onCancel={(event) => setStep({ at: 'cancel', event })}
          onCheckIn={(event) => setStep({ at: 'checkin', event })}
        />
      );
    case 'signup':
      return <SignupFlow event={step.event} onBack={() => open(step.event)} onDone={(result) => setStep({ at: 'signed', event: step.event, result })} />;
    case 'signed':
      return <SignupDone result={step.result} onDone={list} />;
    case 'cancel':
    case 'checkin': {
      const mode = step.at;
      return (
        <CodeForm
          mode={mode}
          event={step.event}
          onBack={() => open(step.event)}
          onCancelled={(result) => setStep({ at: 'cancelled', event: step.event, result })}
          onCheckedIn={(result) => setStep({ at: 'checked-in', event: step.event, result })}
        />
      );
    }
    case 'cancelled':
      return <CodeDone kind="cancelled" event={step.event} people={step.result.people} onDone={list} />;
    case 'checked-in':
      return <CodeDone kind={step.result.alreadyCheckedIn ? 'already' : 'checked-in'} event={step.event} people={step.result.people} onDone={list} />;
  }
}
