import { useEffect, useState } from 'preact/hooks';
import { fetchConcernCategories, fetchConcernPlaces, raiseConcern, type ConcernCategory, type ConcernPlace, type RaiseResult } from '../../api/concerns.js';
import { Button } from '../../ui/Button.js';
import { Frame } from '../../ui/Frame.js';
import { Confirmation } from './Confirmation.js';
import { chooseCategory, choosePlace, EMPTY_DRAFT, nextStep, previousStep, problem, raiseBody, stepsFor, type Draft, type Step } from './draft.js';
import { CategoryStep, PhraseStep, PlaceStep } from './PickSteps.js';
import { PhoneStep } from './PhoneStep.js';
import { ReviewStep } from './ReviewStep.js';
import { useConcernsStrings } from './strings.js';
import { WhereStep, WordsStep } from './TextSteps.js';

type Lists = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; categories: ConcernCategory[]; places: ConcernPlace[] };

/**
 * Raising a concern, one question per screen with a big Back: category (pictures), phrases, place,
 * the words for "somewhere else", optional words, optional phone, then a check and Send. After
 * sending, the draft (and the phone in it) is dropped; only the code and the masked number stay.
 */
export function RaiseFlow(props: { onExit: () => void; onBoard: () => void }) {
  const s = useConcernsStrings();
  const [lists, setLists] = useState<Lists>({ state: 'loading' });
  const [attempt, setAttempt] = useState(0);
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [step, setStep] = useState<Step>('category');
  const [sending, setSending] = useState(false);
  const [sendFailed, setSendFailed] = useState(false);
  const [done, setDone] = useState<RaiseResult | null>(null);

  useEffect(() => {
    const abort = new AbortController();
    setLists({ state: 'loading' });
    Promise.all([fetchConcernCategories(abort.signal), fetchConcernPlaces(abort.signal)]).then(
      ([categories, places]) => setLists({ state: 'ready', categories, places }),
      () => {
        if (!abort.signal.aborted) setLists({ state: 'failed' });
      },
    );
    return () => abort.abort();
  }, [attempt]);

  if (done) return <Confirmation result={done} onExit={props.onExit} onBoard={props.onBoard} />;

  const steps = stepsFor(draft);
  const title = `${s.steps[step]}  ${s.progress(steps.indexOf(step) + 1, steps.length)}`;
  const back = () => {
    const prev = previousStep(draft, step);
    setSendFailed(false);
    if (prev) setStep(prev);
    else props.onExit();
  };
  /** Moves on from `from` with the draft as it now is (a choice may add or remove the "where" step). */
  const advance = (next: Draft, from: Step = step) => {
    setDraft(next);
    const to = nextStep(next, from);
    if (to) setStep(to);
  };

  if (lists.state !== 'ready') {
    return (
      <Frame title={s.steps.category} testid="screen-concerns" onBack={props.onExit}>
        {lists.state === 'loading' ? (
          <p class="cn-status">{s.loading}</p>
        ) : (
          <div class="cn-status" data-testid="concerns-failed">
            <p>{s.failed}</p>
            <Button kind="primary" testid="concerns-retry" onClick={() => setAttempt((n) => n + 1)}>
              {s.retry}
            </Button>
          </div>
        )}
      </Frame>
    );
  }

  const category = lists.categories.find((c) => c.id === draft.category);
  const send = async () => {
    if (problem(draft) || sending) return;
    setSending(true);
    setSendFailed(false);
    try {
      const result = await raiseConcern(raiseBody(draft));
      setDraft(EMPTY_DRAFT);
      setDone(result);
    } catch {
      setSendFailed(true);
    } finally {
      setSending(false);
    }
  };

  return (
    <Frame title={title} testid="screen-concerns" onBack={back}>
      <div class={`cn-step cn-step-${step}`} data-testid={`raise-step-${step}`}>
        {step === 'category' && <CategoryStep categories={lists.categories} selected={draft.category} onPick={(id) => advance(chooseCategory(draft, id))} />}
        {step === 'phrases' && category && <PhraseStep category={category} draft={draft} onChange={setDraft} onNext={() => advance(draft)} />}
        {step === 'place' && <PlaceStep places={lists.places} selected={draft.place} onPick={(id) => advance(choosePlace(draft, id))} />}
        {step === 'where' && <WhereStep draft={draft} onChange={setDraft} onNext={() => advance(draft)} />}
        {step === 'words' && <WordsStep draft={draft} onChange={setDraft} onNext={() => advance(draft)} />}
        {step === 'phone' && <PhoneStep draft={draft} onChange={setDraft} onNext={() => advance(draft)} />}
        {step === 'review' && category && (
          <ReviewStep draft={draft} category={category} places={lists.places} onChange={setDraft} onSend={() => void send()} sending={sending} failed={sendFailed} />
        )}
      </div>
    </Frame>
  );
}
