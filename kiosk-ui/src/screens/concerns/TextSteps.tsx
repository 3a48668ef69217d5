import { PLACE_OTHER_MAX, WORDS_MAX } from '../../api/concerns.js';
import { Button } from '../../ui/Button.js';
import { TextKeyboard } from '../../ui/TextKeyboard.js';
import { looksLikePhone, type Draft } from './draft.js';
import { useConcernsStrings } from './strings.js';
import { CONCERN_WORDS, PLACE_WORDS } from './words.js';

/**
 * The steps typed on the on-screen keyboard. Ready-made words come first (KIOSK.md: Chinese typing
 * on a kiosk is hard); the limits are the server's. A phone number typed into text that the public
 * board shows is stopped here, as the server would refuse it.
 */
function Warning(props: { text: string | null }) {
  return props.text ? (
    <p class="cn-warn" role="alert" data-testid="raise-warning">
      <span aria-hidden="true">⚠ </span>
      {props.text}
    </p>
  ) : null;
}

export function WhereStep(props: { draft: Draft; onChange: (d: Draft) => void; onNext: () => void }) {
  const s = useConcernsStrings();
  const value = props.draft.placeOther;
  const phone = looksLikePhone(value);
  return (
    <>
      <TextKeyboard
        layout="text"
        value={value}
        onChange={(placeOther) => props.onChange({ ...props.draft, placeOther })}
        maxLength={PLACE_OTHER_MAX}
        words={PLACE_WORDS}
        label={s.whereLabel}
        testid="where-keyboard"
        action={
          <Button kind="primary" class="cn-kbd-next" testid="raise-next" disabled={value.trim() === '' || phone} onClick={props.onNext}>
            {s.next} <span aria-hidden="true">▶</span>
          </Button>
        }
      />
      <Warning text={phone ? s.problems['where-phone'] : null} />
    </>
  );
}

export function WordsStep(props: { draft: Draft; onChange: (d: Draft) => void; onNext: () => void }) {
  const s = useConcernsStrings();
  const value = props.draft.words;
  const phone = looksLikePhone(value);
  return (
    <>
      <TextKeyboard
        layout="text"
        value={value}
        onChange={(words) => props.onChange({ ...props.draft, words })}
        maxLength={WORDS_MAX}
        words={CONCERN_WORDS}
        label={s.wordsLabel}
        testid="words-keyboard"
        action={
          <Button kind="primary" class="cn-kbd-next" testid="raise-next" disabled={phone} onClick={props.onNext}>
            {value.trim() === '' ? s.skip : s.next} <span aria-hidden="true">▶</span>
          </Button>
        }
      />
      <Warning text={phone ? s.problems['words-phone'] : null} />
    </>
  );
}
