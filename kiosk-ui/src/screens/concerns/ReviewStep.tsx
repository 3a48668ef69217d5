import { pick, useLang } from '../../app/i18n.js';
import type { ConcernCategory, ConcernPlace } from '../../api/concerns.js';
import { Button } from '../../ui/Button.js';
import { maskPhone } from '../../ui/phone.js';
import { needsConsent, problem, type Draft } from './draft.js';
import { CategoryPicture } from './pictograms.js';
import { useConcernsStrings } from './strings.js';

/**
 * Everything once more before it goes, the phone masked; the consent tick only when a phone was
 * given (it is the one personal datum). Send stays off until nothing stops the concern.
 */
export function ReviewStep(props: {
  draft: Draft;
  category: ConcernCategory;
  places: readonly ConcernPlace[];
  onChange: (d: Draft) => void;
  onSend: () => void;
  sending: boolean;
  failed: boolean;
}) {
  const s = useConcernsStrings();
  const lang = useLang();
  const { draft } = props;
  const place = props.places.find((p) => p.id === draft.place);
  const phrases = props.category.phrases.filter((p) => draft.phrases.includes(p.id)).map((p) => pick(p.text, lang));
  const placeText = [place ? pick(place.name, lang) : '', draft.placeOther.trim()].filter(Boolean).join(lang === 'zh' ? '：' : ': ');
  const blocked = problem(draft);
  const rows: [string, string, string][] = [
    ['phrases', s.review.phrases, phrases.length > 0 ? phrases.join(lang === 'zh' ? '；' : '; ') : s.review.none],
    ['place', s.review.place, placeText || s.review.none],
    ['words', s.review.words, draft.words.trim() || s.review.none],
    ...(draft.phone ? [['phone', s.review.phone, maskPhone(draft.phone)] as [string, string, string]] : []),
  ];
  return (
    <div class="cn-review" data-testid="raise-review">
      <dl class="cn-summary">
        <div class="cn-summary-row" data-testid="review-category">
          <dt>{s.review.category}</dt>
          <dd>
            <CategoryPicture id={props.category.id} />
            {pick(props.category.label, lang)}
          </dd>
        </div>
        {rows.map(([key, label, text]) => (
          <div class="cn-summary-row" key={key} data-testid={`review-${key}`}>
            <dt>{label}</dt>
            <dd>{text}</dd>
          </div>
        ))}
      </dl>
      {needsConsent(draft) && (
        <Button class="cn-consent" testid="raise-consent" pressed={draft.consent} onClick={() => props.onChange({ ...draft, consent: !draft.consent })}>
          <span class="cn-tick" aria-hidden="true">
            {draft.consent ? '☑' : '☐'}
          </span>
          <span>{s.consent}</span>
        </Button>
      )}
      <div class="cn-step-actions">
        <span class={blocked || props.failed ? 'cn-step-note is-wrong' : 'cn-step-note'} role="status" data-testid="raise-status">
          {props.failed ? s.sendFailed : blocked && blocked !== 'consent' ? s.problems[blocked] : props.sending ? s.sending : ''}
        </span>
        <Button kind="primary" class="cn-send" testid="raise-send" disabled={blocked !== null || props.sending} onClick={props.onSend}>
          {s.send} <span aria-hidden="true">▶</span>
        </Button>
      </div>
    </div>
  );
}
