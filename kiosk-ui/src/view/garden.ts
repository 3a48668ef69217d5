import type { Bed } from '../api/site.js';
import { median, percent } from '../format.js';
import { pick, strings } from '../i18n.js';
import { sensor, type Model, type SensorState } from '../model.js';
import { h, setText, toggle } from './dom.js';
import { section, staleReason, statusLine, type Part } from './section.js';

/** One row per bed: its name and each probe's own value, and the median moisture of its probes, big. */
function bedTile(model: Model, bed: Bed): Part {
  const t = strings(model.lang);
  const num = h('span', { class: 'num', text: '—' });
  const unit = h('span', { class: 'unit', text: '%', hidden: true });
  const probes = bed.sensors.map((id, i) => {
    const letter = String.fromCharCode(65 + i);
    const value = h('span', { class: 'probe-value', text: '—' });
    const el = h('li', { class: 'probe', testid: `sensor-${id}`, attrs: { title: t.probe(letter) } }, [
      h('span', { class: 'probe-letter', text: letter }),
      value,
    ]);
    return { id, el, value };
  });
  const status = statusLine();
  const el = h('article', { class: 'tile bed', testid: `bed-${bed.id}` }, [
    h('div', { class: 'bed-info' }, [
      h('h3', { class: 'tile-name', text: pick(bed.name, model.lang) }),
      h('ul', { class: 'probes', attrs: { 'aria-label': t.moisture } }, probes.map((p) => p.el)),
      status.el,
    ]),
    h('p', { class: 'big' }, [num, unit]),
  ]);

  return {
    el,
    update(m) {
      const states = bed.sensors.map((id) => sensor(m, id));
      const fresh: number[] = [];
      const any: number[] = [];
      for (const s of states) {
        if (!s || s.value === null) continue;
        any.push(s.value);
        if (!s.stale) fresh.push(s.value);
      }
      // Old values only stand in when no probe of the bed is current, and are then marked as old.
      const shown = fresh.length > 0 ? median(fresh) : median(any);
      setText(num, percent(shown));
      unit.hidden = shown === null;
      const stale = fresh.length === 0;
      toggle(el, 'is-stale', stale);
      if (!stale) status.set(null);
      else {
        // Say how old the newest of the old values is (or that there is none).
        let newest: SensorState | undefined;
        for (const s of states) if (s && s.value !== null && (newest === undefined || (s.at ?? 0) > (newest.at ?? 0))) newest = s;
        status.set(staleReason(m, newest));
      }
      for (const p of probes) {
        const s = sensor(m, p.id);
        setText(p.value, s && s.value !== null ? `${percent(s.value)}%` : '—');
        toggle(p.el, 'is-stale', !s || s.stale || s.value === null);
      }
    },
  };
}

export function gardenPanel(model: Model): Part {
  const tiles = model.site.garden.beds.map((b) => bedTile(model, b));
  const t = strings(model.lang);
  const el = section('garden', t.garden, h('div', { class: 'beds' }, tiles.map((tile) => tile.el)), t.moisture);
  return { el, update: (m, now) => tiles.forEach((tile) => tile.update(m, now)) };
}
