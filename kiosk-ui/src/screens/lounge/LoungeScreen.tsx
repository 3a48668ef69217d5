import { defineStrings } from '../../app/i18n.js';
import { Frame } from '../../ui/Frame.js';

const useS = defineStrings({ zh: { title: 'lounge' }, en: { title: 'lounge' } });

/** Placeholder until the screen is built. */
export function LoungeScreen() {
  const s = useS();
  return (
    <Frame title={s.title} testid="screen-lounge">
      <p>…</p>
    </Frame>
  );
}
