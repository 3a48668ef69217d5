import { pick, useLang } from '../../app/i18n.js';
import type { ConcernCategory, ConcernPlace } from '../../api/concerns.js';
import { Button } from '../../ui/Button.js';
import { Pager } from '../../ui/Pager.js';
import { togglePhrase, type Draft } from './draft.js';
import { CategoryPicture } from './pictograms.js';
import { useConcernsStrings } from './strings.js';

/** The steps done by tapping: a category (a tap moves on), phrases (any number, then Next), a place (a tap moves on). */
export function CategoryStep(props: { categories: readonly ConcernCategory[]; selected: string | null; onPick: (id: string) => void }) {
  const lang = useLang();
  return (
    <div class="cn-categories">
      {props.categories.map((c) => (
        <Button key={c.id} kind="tile" class="cn-category" testid={`concern-category-${c.id}`} pressed={props.selected === c.id} onClick={() => props.onPick(c.id)}>
          <CategoryPicture id={c.id} class="cn-category-picture" />
          <span class="cn-category-name">{pick(c.label, lang)}</span>
        </Button>
      ))}
    </div>
  );
}

export function PhraseStep(props: { category: ConcernCategory; draft: Draft; onChange: (d: Draft) => void; onNext: () => void }) {
  const s = useConcernsStrings();
  const lang = useLang();
  const chosen = props.draft.phrases;
  return (
    <>
      <div class="cn-phrases">
        {props.category.phrases.map((p) => {
          const on = chosen.includes(p.id);
          return (
            <Button key={p.id} class="cn-phrase" testid={`phrase-${p.id}`} pressed={on} onClick={() => props.onChange(togglePhrase(props.draft, p.id))}>
              <span class="cn-tick" aria-hidden="true">
                {on ? '☑' : '☐'}
              </span>
              <span>{pick(p.text, lang)}</span>
            </Button>
          );
        })}
      </div>
      <div class="cn-step-actions">
        <span class="cn-step-note" data-testid="phrases-picked">
          {s.picked(chosen.length)}
        </span>
        <Button kind="primary" testid="raise-next" onClick={props.onNext}>
          {s.next} <span aria-hidden="true">▶</span>
        </Button>
      </div>
    </>
  );
}

export function PlaceStep(props: { places: readonly ConcernPlace[]; selected: string | null; onPick: (id: string) => void }) {
  const lang = useLang();
  return (
    <div class="cn-places">
      <Pager
        items={props.places}
        pageSize={8}
        testid="concern-places"
        render={(p) => (
          <li key={p.id}>
            <Button class="cn-place" testid={`place-${p.id}`} pressed={props.selected === p.id} onClick={() => props.onPick(p.id)}>
              <span class="cn-place-name">{pick(p.name, lang)}</span>
              {p.where && <span class="cn-place-where">{pick(p.where, lang)}</span>}
            </Button>
          </li>
        )}
      />
    </div>
  );
}
