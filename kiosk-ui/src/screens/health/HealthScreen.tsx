import { defineStrings } from '../../app/i18n.js';
import { Frame } from '../../ui/Frame.js';

const useS = defineStrings({ zh: { title: 'health' }, en: { title: 'health' } });

/** Placeholder until the screen is built. */
export function HealthScreen() {
  const s = useS();
  return (
    <Frame title={s.title} testid="screen-health">
      <p>…</p>
    </Frame>
  );
}
