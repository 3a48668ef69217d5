import { useLive } from '../app/live.js';
import { defineStrings } from '../app/i18n.js';
import { useSite } from '../app/settings.js';
import { hhmm } from '../format.js';
import { Icon } from './Icon.js';

const useS = defineStrings({
  zh: { notLive: (t: string | null) => (t ? `实时数据已中断，最后更新 ${t}` : '实时数据已中断') },
  en: { notLive: (t: string | null) => (t ? `Not live since ${t}` : 'Not live') },
});

/**
 * "Not live since HH:MM", on every screen while the live stream (or the whole service) is lost, so
 * that old numbers are not taken as current (KIOSK.md §Trust). The numbers themselves are greyed by
 * the shell's `not-live` class; the stream reconnects by itself (api/live.ts) and the banner goes.
 */
export function LiveBanner() {
  const { model } = useLive();
  const site = useSite();
  const s = useS();
  if (model.live !== 'down') return null;
  return (
    <div class="live-banner" role="alert" data-testid="live-banner">
      <Icon name="alert" class="icon live-banner-icon" />
      <span>{s.notLive(model.lastEventAt === null ? null : hhmm(model.lastEventAt, site.timezone))}</span>
    </div>
  );
}
