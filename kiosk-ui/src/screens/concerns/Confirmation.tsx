import { useConcernsStrings } from './strings.js';
import type { RaiseResult } from '../../api/concerns.js';
import { Button } from '../../ui/Button.js';
import { Frame } from '../../ui/Frame.js';
import { useNav } from '../../app/nav.js';

/**
 * The code, big, to write down or photograph; how to follow the concern with it; the masked phone
 * if one was left. Back leads to the concerns menu, never into the sent form; Done goes home.
 */
export function Confirmation(props: { result: RaiseResult; onExit: () => void; onBoard: () => void }) {
  const s = useConcernsStrings();
  const nav = useNav();
  const { result } = props;
  return (
    <Frame title={s.done.title} testid="screen-concerns" onBack={props.onExit}>
      <div class="cn-done" data-testid="raise-done">
        <div class="cn-ref-box">
          <span class="cn-ref-label">{s.done.refLabel}</span>
          <span class="cn-ref" data-testid="raise-ref" aria-label={[...result.ref].join(' ')}>
            {result.ref}
          </span>
        </div>
        <div class="cn-done-text">
          <p class="cn-done-strong">{s.done.remember}</p>
          <p>{s.done.follow}</p>
          <p>{s.done.board}</p>
          {result.phone && <p data-testid="raise-phone">{s.done.phone(result.phone)}</p>}
          <div class="cn-done-actions">
            <Button testid="raise-to-board" onClick={props.onBoard}>
              {s.done.toBoard}
            </Button>
            <Button kind="primary" testid="raise-finish" onClick={nav.home}>
              {s.done.finish}
            </Button>
          </div>
        </div>
      </div>
    </Frame>
  );
}
