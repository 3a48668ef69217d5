import { defineStrings } from '../../app/i18n.js';
import { Frame } from '../../ui/Frame.js';

const useS = defineStrings({ zh: { title: 'waste' }, en: { title: 'waste' } });

/** Placeholder until the screen is built. */
export function WasteScreen() {
  const s = useS();
  return (
    <Frame title={s.title} testid="screen-waste">
      <p>…</p>
    </Frame>
  );
}
