import type { Bin, WastePoint } from '../api/site.js';
import { percent } from '../format.js';
import { pick, strings } from '../i18n.js';
import { sensor, type Model } from '../model.js';
import { h, icon, setText, toggle } from './dom.js';
import { section, staleReason, statusLine, type Part } from './section.js';

const NEARLY_FULL = 80;
const FULL = 100;

/**
 * One tile per bin: the category's Shanghai colour always comes with its name and icon (never colour
 * alone), then the fill level as a big number and a bar.
 */
function binTile(model: Model, bin: Bin): Part {
  const t = strings(model.lang);
  const num = h('span', { class: 'num', text: '—' });
  const unit = h('span', { class: 'unit', text: '%', hidden: true });
  const bar = h('div', { class: 'meter-fill' });
  const meter = h('div', { class: 'meter', attrs: { 'aria-hidden': 'true' } }, [bar]);
  const status = statusLine();
  const el = h('article', { class: `tile bin cat-${bin.category}`, testid: `bin-${bin.id}` }, [
    h('h4', { class: 'bin-head' }, [icon(bin.category, 'icon bin-icon'), h('span', { class: 'bin-name', text: t.category[bin.category] })]),
    h('div', { class: 'bin-body' }, [
      h('p', { class: 'big', testid: bin.sensor ? `sensor-${bin.sensor}` : undefined, attrs: { 'aria-label': t.fill } }, [num, unit]),
      meter,
      status.el,
    ]),
  ]);

  return {
    el,
    update(m) {
      const s = sensor(m, bin.sensor);
      const value = s?.value ?? null;
      setText(num, percent(value));
      unit.hidden = value === null;
      // Setting a style property from script is allowed by the CSP (only style attributes are not).
      bar.style.width = `${Math.max(0, Math.min(100, value ?? 0))}%`;
      // No value is not an empty bin: no bar at all, rather than one that reads as 0 %. (This also
      // leaves room for "No data yet" on two lines in a narrow tile.)
      meter.hidden = value === null;
      const reason = staleReason(m, s);
      toggle(el, 'is-stale', reason !== null);
      toggle(el, 'is-full', reason === null && value !== null && value >= NEARLY_FULL);
      if (reason !== null) status.set(reason);
      else if (value !== null && value >= FULL) status.set(t.full, 'warn');
      else if (value !== null && value >= NEARLY_FULL) status.set(t.nearlyFull, 'warn');
      else status.set(null);
    },
  };
}

function pointBlock(model: Model, point: WastePoint): Part {
  const bins = point.bins.map((b) => binTile(model, b));
  const el = h('div', { class: 'point', testid: `point-${point.id}` }, [
    h('h3', { class: 'point-name', text: pick(point.name, model.lang) }),
    h('div', { class: 'bins' }, bins.map((b) => b.el)),
  ]);
  return { el, update: (m, now) => bins.forEach((b) => b.update(m, now)) };
}

export function wastePanel(model: Model): Part {
  const points = model.site.points.map((p) => pointBlock(model, p));
  const el = section('waste', strings(model.lang).waste, h('div', { class: 'points' }, points.map((p) => p.el)));
  return { el, update: (m, now) => points.forEach((p) => p.update(m, now)) };
}
