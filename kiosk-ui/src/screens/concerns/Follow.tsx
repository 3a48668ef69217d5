import { useState } from 'preact/hooks';
import { pick, useLang } from '../../app/i18n.js';
import { useSite } from '../../app/settings.js';
import { ApiError } from '../../api/http.js';
import { fetchByRef, rateConcern, REF_ALPHABET, REF_LENGTH, type ResidentConcern } from '../../api/concerns.js';
import { Button } from '../../ui/Button.js';
import { Frame } from '../../ui/Frame.js';
import { TextKeyboard } from '../../ui/TextKeyboard.js';
import { dayAndTime } from './dates.js';
import { CategoryPicture, StateIcon } from './pictograms.js';
import { StateBadge } from './StateBadge.js';
import { STATE_NAMES } from './states.js';
import { useConcernsStrings } from './strings.js';
import { timeline } from './timeline.js';

type Lookup = { state: 'idle' } | { state: 'looking' } | { state: 'not-found' } | { state: 'failed' } | { state: 'found'; concern: ResidentConcern; thanked?: boolean };

/**
 * Following one's own concern: the code on a keyboard of only the characters a code can have, then
 * the concern, its history as far as the public may know it, and, once resolved, a rating (once).
 */
export function Follow(props: { onExit: () => void }) {
  const s = useConcernsStrings();
  const [code, setCode] = useState('');
  const [lookup, setLookup] = useState<Lookup>({ state: 'idle' });

  const look = async () => {
    if (code.length !== REF_LENGTH) return;
    setLookup({ state: 'looking' });
    try {
      setLookup({ state: 'found', concern: await fetchByRef(code) });
    } catch (err) {
      setLookup({ state: err instanceof ApiError && err.status === 404 ? 'not-found' : 'failed' });
    }
  };

  if (lookup.state === 'found') {
    return (
      <Frame title={s.follow.title} testid="screen-concerns" onBack={() => setLookup({ state: 'idle' })}>
        <FollowResult concern={lookup.concern} thanked={lookup.thanked === true} onRated={(concern) => setLookup({ state: 'found', concern, thanked: true })} />
      </Frame>
    );
  }

  const message = lookup.state === 'not-found' ? s.follow.notFound : lookup.state === 'failed' ? s.follow.failed : lookup.state === 'looking' ? s.follow.looking : '';
  return (
    <Frame title={s.follow.title} testid="screen-concerns" onBack={props.onExit}>
      <div class="cn-follow">
        <TextKeyboard
          layout="code"
          alphabet={REF_ALPHABET}
          value={code}
          onChange={(v) => {
            setCode(v);
            if (lookup.state !== 'looking') setLookup({ state: 'idle' });
          }}
          maxLength={REF_LENGTH}
          label={s.follow.codeLabel}
          testid="code-keyboard"
          action={
            <>
              {/* Beside the code, where the eye is: the small panel has no room for a line of its own. */}
              <p class={lookup.state === 'not-found' || lookup.state === 'failed' ? 'cn-follow-status is-wrong' : 'cn-follow-status'} role="status" data-testid="follow-status">
                {(lookup.state === 'not-found' || lookup.state === 'failed') && <span aria-hidden="true">⚠ </span>}
                {message}
              </p>
              <Button kind="primary" class="cn-kbd-next" testid="follow-look-up" disabled={code.length !== REF_LENGTH || lookup.state === 'looking'} onClick={() => void look()}>
                {s.follow.lookUp} <span aria-hidden="true">▶</span>
              </Button>
            </>
          }
        />
      </div>
    </Frame>
  );
}

function FollowResult(props: { concern: ResidentConcern; thanked: boolean; onRated: (c: ResidentConcern) => void }) {
  const s = useConcernsStrings();
  const lang = useLang();
  const site = useSite();
  const c = props.concern;
  const sep = lang === 'zh' ? '；' : '; ';
  const what = [...c.phrases.map((p) => pick(p.text, lang)), ...(c.words ? [c.words] : [])].join(sep);
  return (
    <div class="cn-result" data-testid="follow-result">
      <div class="cn-result-head">
        <span class="cn-ref cn-ref-small" data-testid="follow-ref">
          {c.ref}
        </span>
        <StateBadge state={c.state} label={c.stateLabel} testid="follow-state" />
        <span class="cn-result-what">
          <CategoryPicture id={c.category.id} />
          <strong>{pick(c.category.label, lang)}</strong>
          <span>{[pick(c.place.name, lang), c.place.other ?? ''].filter(Boolean).join(lang === 'zh' ? '：' : ': ')}</span>
        </span>
      </div>
      {what && <p class="cn-result-words">{what}</p>}
      <div class="cn-result-body">
        <ol class="cn-timeline" aria-label={s.follow.history} data-testid="follow-history">
          {timeline(c).map((e) => (
            <li key={e.state} class="cn-timeline-step" data-state={e.state}>
              <StateIcon state={e.state} />
              <span class="cn-timeline-name">{pick(STATE_NAMES[e.state], lang)}</span>
              <span class="cn-timeline-at">{e.at === null ? s.follow.notYetTimed : dayAndTime(e.at, lang, site.timezone)}</span>
              {e.stars !== undefined && <span class="cn-stars-shown">{s.follow.rated(e.stars)}</span>}
              {e.notes.length > 0 && <span class="cn-timeline-notes">{e.notes.map((n) => pick(n, lang)).join(' — ')}</span>}
            </li>
          ))}
        </ol>
        {c.state === 'resolved' && <Rating code={c.ref} onRated={props.onRated} />}
        {props.thanked && (
          <p class="cn-thanks" role="status" data-testid="follow-thanks">
            {s.follow.thanks}
          </p>
        )}
      </div>
    </div>
  );
}

function Rating(props: { code: string; onRated: (c: ResidentConcern) => void }) {
  const s = useConcernsStrings();
  const [stars, setStars] = useState(0);
  const [sending, setSending] = useState(false);
  const [failed, setFailed] = useState(false);
  const send = async () => {
    setSending(true);
    setFailed(false);
    try {
      props.onRated(await rateConcern(props.code, stars));
    } catch {
      setFailed(true);
    } finally {
      setSending(false);
    }
  };
  return (
    <div class="cn-rating" data-testid="follow-rating">
      <p class="cn-rating-title">{s.follow.rateTitle}</p>
      <div class="cn-stars" role="group" aria-label={s.follow.rateTitle}>
        {[1, 2, 3, 4, 5].map((n) => (
          <Button key={n} class="cn-star" testid={`rate-${n}`} label={s.follow.stars(n)} pressed={stars === n} onClick={() => setStars(n)}>
            <span aria-hidden="true">{n <= stars ? '★' : '☆'}</span>
          </Button>
        ))}
      </div>
      <div class="cn-step-actions">
        <span class={failed ? 'cn-step-note is-wrong' : 'cn-step-note'} role="status">
          {failed ? s.follow.rateFailed : stars > 0 ? s.follow.stars(stars) : ''}
        </span>
        <Button kind="primary" testid="rate-send" disabled={stars === 0 || sending} onClick={() => void send()}>
          {s.follow.rate}
        </Button>
      </div>
    </div>
  );
}
