import { defineStrings } from '../../app/i18n.js';
import { Frame } from '../../ui/Frame.js';

const useS = defineStrings({ zh: { title: 'garden' }, en: { title: 'garden' } });

/** Placeholder until the screen is built. */
export function GardenScreen() {
  const s = useS();
  return (
    <Frame title={s.title} testid="screen-garden">
      <p>…</p>
    </Frame>
  );
}
