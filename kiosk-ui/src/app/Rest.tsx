import { AttractScreen } from '../ui/AttractScreen.js';
import { NightScreen } from '../ui/NightScreen.js';
import { isOpenAt } from './hours.js';
import { useNow } from './live.js';
import { useSite } from './settings.js';

/**
 * The resting kiosk (after idle time, back on its home screen): the attract screen in the lounge's
 * opening hours, the dimmed night screen outside them, by the site's clock and zone. Re-decided every
 * second, so closing time turns the one into the other.
 */
export function Rest(props: { onWake: () => void }) {
  const site = useSite();
  const now = useNow();
  return isOpenAt(now, site.timezone, site.lounge.hours) ? <AttractScreen onWake={props.onWake} /> : <NightScreen onWake={props.onWake} />;
}
