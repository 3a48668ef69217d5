import { defineStrings } from '../../app/i18n.js';
import { Frame } from '../../ui/Frame.js';

const useS = defineStrings({ zh: { title: 'services' }, en: { title: 'services' } });

/** Placeholder until the screen is built. */
export function ServicesScreen() {
  const s = useS();
  return (
    <Frame title={s.title} testid="screen-services">
      <p>…</p>
    </Frame>
  );
}
