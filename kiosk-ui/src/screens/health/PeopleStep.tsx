import { Button } from '../../ui/Button.js';
import { useHealthStrings } from './strings.js';

/** How many people: one, or a family, with big − and + buttons (no typing). */
export function PeopleStep(props: { people: number; max: number; placesLeft: number; onPeople: (n: number) => void; onNext: () => void }) {
  const s = useHealthStrings();
  const n = props.people;
  const note = props.placesLeft <= 0 ? s.fullNote : n > props.placesLeft ? s.groupWaits(props.placesLeft, n) : null;
  return (
    <div class="people-step">
      <h2 class="flow-question">{s.peopleQ}</h2>
      <p class="flow-hint">{s.peopleHint(props.max)}</p>
      <div class="stepper-row">
        <div class="stepper">
          <Button class="stepper-btn" testid="people-minus" label={s.fewer} disabled={n <= 1} onClick={() => props.onPeople(Math.max(1, n - 1))}>
            −
          </Button>
          <span class="stepper-value" data-testid="people-count" aria-live="polite">
            {s.people(n)}
          </span>
          <Button class="stepper-btn" testid="people-plus" label={s.more} disabled={n >= props.max} onClick={() => props.onPeople(Math.min(props.max, n + 1))}>
            +
          </Button>
        </div>
        <div class="flow-actions">
          <Button kind="primary" testid="flow-next" onClick={props.onNext}>
            {s.next} <span aria-hidden="true">▶</span>
          </Button>
        </div>
      </div>
      {note && (
        <p class="flow-note" data-testid="people-note">
          {note}
        </p>
      )}
    </div>
  );
}
