import type { Model, SensorState } from '../model.js';
import { hhmm } from '../format.js';
import { strings } from '../i18n.js';
import { h, icon, setText, toggle } from './dom.js';

export interface Part {
  el: HTMLElement;
  update(model: Model, now: number): void;
}

/** A panel: its title, a subtitle (fixed words, or an element the panel keeps up to date), its body. */
export function section(kind: string, title: string, body: HTMLElement, subtitle?: string | HTMLElement): HTMLElement {
  const sub = typeof subtitle === 'string' ? h('p', { class: 'panel-sub', text: subtitle }) : subtitle;
  return h('section', { class: `panel panel-${kind}`, testid: `panel-${kind}`, attrs: { 'aria-label': title } }, [
    h('header', { class: 'panel-head' }, [h('h2', { class: 'panel-title', text: title }), sub]),
    body,
  ]);
}

/**
 * The line under a value that says why it is not current: no data yet, or the time of an old reading.
 * It carries an icon and words, so the state never rests on colour or dimming alone.
 */
export function statusLine(): { el: HTMLElement; set(text: string | null, kind?: 'stale' | 'warn'): void } {
  const label = h('span', { class: 'status-text' });
  const clock = icon('clock', 'icon status-icon');
  const alert = icon('alert', 'icon status-icon');
  const el = h('p', { class: 'status' }, [clock, alert, label]);
  el.hidden = true;
  return {
    el,
    set(text, kind = 'stale') {
      el.hidden = text === null;
      toggle(el, 'status-warn', kind === 'warn');
      // A clock for an old value, an exclamation mark for a warning (full bin).
      clock.toggleAttribute('hidden', kind !== 'stale');
      alert.toggleAttribute('hidden', kind !== 'warn');
      setText(label, text ?? '');
    },
  };
}

/** Why a sensor's value is not current, in words, or null when it is. */
export function staleReason(model: Model, s: SensorState | undefined): string | null {
  const t = strings(model.lang);
  if (!s || s.value === null) return t.noData;
  if (s.stale) return t.oldReading(s.at === null ? '—' : hhmm(s.at, model.site.timezone));
  return null;
}
