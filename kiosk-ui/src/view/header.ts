import { hhmm } from '../format.js';
import { HTML_LANG, LANG_LABEL, LANGS, pick, strings, type Lang } from '../i18n.js';
import type { Model } from '../model.js';
import { h, setText } from './dom.js';
import type { Part } from './section.js';

/** Site name (with a sample-data badge), the clock, and the language switch, always visible. */
export function header(model: Model, onLang: (lang: Lang) => void): Part {
  const t = strings(model.lang);
  const clock = h('time', { class: 'clock', testid: 'clock', attrs: { 'aria-label': t.clock } });
  const buttons = LANGS.map((lang) => {
    const b = h('button', {
      class: 'lang-button',
      testid: `lang-${lang}`,
      text: LANG_LABEL[lang],
      attrs: { type: 'button', lang: HTML_LANG[lang], 'aria-pressed': String(lang === model.lang) },
    });
    b.addEventListener('click', () => onLang(lang));
    return b;
  });
  const el = h('header', { class: 'top' }, [
    h('div', { class: 'title' }, [
      h('h1', { class: 'site-name', testid: 'site-name', text: pick(model.site.name, model.lang) }),
      model.site.sample ? h('span', { class: 'badge-sample', testid: 'sample-badge', text: t.sample, attrs: { title: t.sampleTitle } }) : null,
    ]),
    clock,
    h('nav', { class: 'langs', attrs: { 'aria-label': t.langSwitch } }, buttons),
  ]);
  return {
    el,
    update(m, now) {
      setText(clock, hhmm(now, m.site.timezone));
    },
  };
}
