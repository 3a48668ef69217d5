import { nextOpening } from '../app/hours.js';
import { defineStrings } from '../app/i18n.js';
import { useNow } from '../app/live.js';
import { useSite } from '../app/settings.js';
import { hhmm } from '../format.js';
import { Icon } from './Icon.js';
import { drift } from './drift.js';

const useS = defineStrings({
  zh: {
    label: '夜间模式，轻触屏幕唤醒',
    closed: '客厅已关门',
    opens: (day: 'today' | 'tomorrow', time: string) => `${day === 'today' ? '今天' : '明天'} ${time} 开门`,
    wake: '轻触屏幕继续使用',
  },
  en: {
    label: 'Night mode: touch the screen to wake it',
    closed: 'The lounge is closed',
    opens: (day: 'today' | 'tomorrow', time: string) => `Opens ${day === 'today' ? 'today' : 'tomorrow'} at ${time}`,
    wake: 'Touch the screen to use it',
  },
});

/**
 * Night: outside the lounge's hours, once idle, the screen goes dark and shows only the clock and the
 * next opening (KIOSK.md §Home). The text drifts a little every minute so nothing burns into the panel.
 * The waking tap is taken by this layer (on `click`, after the finger lifts), so it never presses a
 * button underneath.
 */
export function NightScreen(props: { onWake: () => void }) {
  const site = useSite();
  const s = useS();
  const now = useNow();
  const next = nextOpening(now, site.timezone, site.lounge.hours);
  return (
    <div class="overlay night" role="dialog" aria-modal="true" aria-label={s.label} data-testid="night-screen" onClick={props.onWake}>
      <div class="night-body" style={drift(now)}>
        <p class="night-clock" data-testid="night-clock">
          {hhmm(now, site.timezone)}
        </p>
        <p class="night-line">
          <Icon name="moon" class="icon" />
          <span>{s.closed}</span>
        </p>
        {next && (
          <p class="night-line" data-testid="night-opens">
            <Icon name="door" class="icon" />
            <span>{s.opens(next.day, next.time)}</span>
          </p>
        )}
        <p class="night-hint">
          <Icon name="hand" class="icon" />
          <span>{s.wake}</span>
        </p>
      </div>
    </div>
  );
}
