import { hhmm } from '../format.js';
import { strings } from '../i18n.js';
import type { Model } from '../model.js';
import { h, icon, setText } from './dom.js';
import type { Part } from './section.js';

/** "Not live since HH:MM": shown only while the live stream is down, so old numbers are not taken as current. */
export function banner(model: Model): Part {
  const text = h('span', { class: 'banner-text' });
  const el = h('div', { class: 'banner', testid: 'live-banner', attrs: { role: 'alert' }, hidden: true }, [icon('alert', 'icon banner-icon'), text]);
  const part: Part = {
    el,
    update(m) {
      const down = m.live === 'down';
      el.hidden = !down;
      if (down) setText(text, strings(m.lang).notLive(m.lastEventAt === null ? null : hhmm(m.lastEventAt, m.site.timezone)));
    },
  };
  part.update(model, Date.now());
  return part;
}
