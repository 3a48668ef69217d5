import { HTML_LANG, type Lang } from '../i18n.js';
import type { Model } from '../model.js';
import { banner } from './banner.js';
import { h } from './dom.js';
import { gardenPanel } from './garden.js';
import { header } from './header.js';
import { loungePanel } from './lounge.js';
import type { Part } from './section.js';
import { wastePanel } from './waste.js';

/**
 * The live-readings screen. It is built once per language and then only updated in place, so a
 * stream of readings never rebuilds the DOM under a finger.
 */
export interface Screen {
  render(): void;
  update(): void;
}

export function createScreen(root: HTMLElement, model: Model, onLang: (lang: Lang) => void): Screen {
  let parts: Part[] = [];
  const update = () => {
    const now = Date.now();
    root.classList.toggle('not-live', model.live === 'down');
    for (const p of parts) p.update(model, now);
  };
  return {
    render() {
      document.documentElement.lang = HTML_LANG[model.lang];
      const top = header(model, onLang);
      const bar = banner(model);
      const panels = [gardenPanel(model), wastePanel(model), loungePanel(model)];
      parts = [top, bar, ...panels];
      // The banner sits in the board over the lounge panel (whose numbers it replaces while not live),
      // so showing it moves nothing else on the screen.
      root.replaceChildren(top.el, h('main', { class: 'board' }, [...panels.map((p) => p.el), bar.el]));
      update();
    },
    update,
  };
}
