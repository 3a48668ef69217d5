import { defineStrings } from '../../app/i18n.js';
import { Frame } from '../../ui/Frame.js';

const useS = defineStrings({ zh: { title: 'concerns' }, en: { title: 'concerns' } });

/** Placeholder until the screen is built. */
export function ConcernsScreen() {
  const s = useS();
  return (
    <Frame title={s.title} testid="screen-concerns">
      <p>…</p>
    </Frame>
  );
}
