import { hhmm, isOpen } from '../format.js';
import { strings } from '../i18n.js';
import { devicesOnline, lastReadingAt, type Model } from '../model.js';
import { h, setText, toggle } from './dom.js';
import { section, type Part } from './section.js';

/** The lounge: devices online, when data last came in, and the opening hours. */
export function loungePanel(model: Model): Part {
  const t = strings(model.lang);
  const { open, close } = model.site.lounge.hours;
  const online = h('span', { class: 'num', testid: 'devices-online', text: '—' });
  const last = h('span', { class: 'num', testid: 'last-update', text: '—' });
  const openState = h('p', { class: 'open-state' });
  const devicesTile = h('article', { class: 'tile stat' }, [h('p', { class: 'caption', text: t.devicesOnline }), h('p', { class: 'big' }, [online])]);
  const el = section(
    'lounge',
    t.lounge,
    h('div', { class: 'stats' }, [
      devicesTile,
      h('article', { class: 'tile stat' }, [h('p', { class: 'caption', text: t.lastUpdate }), h('p', { class: 'big' }, [last])]),
      h('article', { class: 'tile stat' }, [
        h('p', { class: 'caption', text: t.hours }),
        h('p', { class: 'mid', text: `${open}–${close}` }),
        openState,
      ]),
    ]),
  );

  return {
    el,
    update(m, now) {
      const s = strings(m.lang);
      const d = devicesOnline(m);
      setText(online, d.total === 0 ? '—' : `${d.online}/${d.total}`);
      toggle(devicesTile, 'is-stale', d.total > 0 && d.online < d.total);
      const at = lastReadingAt(m);
      setText(last, at === null ? s.never : hhmm(at, m.site.timezone));
      setText(openState, isOpen(now, m.site.timezone, open, close) ? s.openNow : s.closedNow);
    },
  };
}
