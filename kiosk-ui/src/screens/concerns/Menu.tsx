import { Button } from '../../ui/Button.js';
import { Frame } from '../../ui/Frame.js';
import { MenuIcon } from './pictograms.js';
import { useConcernsStrings } from './strings.js';

export type MenuChoice = 'raise' | 'board' | 'follow';
const CHOICES: readonly MenuChoice[] = ['raise', 'board', 'follow'];

/** Three big doors: raise, read the board, follow one's own. */
export function Menu(props: { onChoose: (choice: MenuChoice) => void }) {
  const s = useConcernsStrings();
  return (
    <Frame title={s.title} testid="screen-concerns">
      <div class="cn-menu">
        {CHOICES.map((c) => (
          <Button key={c} kind="tile" class="cn-menu-tile" testid={`concerns-${c}`} onClick={() => props.onChoose(c)}>
            <MenuIcon name={c} class="cn-menu-icon" />
            <span class="cn-menu-name">{s.menu[c]}</span>
            <span class="cn-menu-hint">{s.menu[`${c}Hint`]}</span>
          </Button>
        ))}
      </div>
    </Frame>
  );
}
