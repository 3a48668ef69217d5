import type { GardenLevel } from '../api/garden.js';
import type { Bed } from '../api/site.js';
import { bedDisplay } from '../bed-display.js';
import { hhmm, percent } from '../format.js';
import { pick, strings } from '../i18n.js';
import type { Model } from '../model.js';
import { h, icon, setText, toggle, type IconName } from './dom.js';
import { section, statusLine, type Part } from './section.js';

const LEVEL_ICON: Record<Exclude<GardenLevel, 'unknown'>, IconName> = { dry: 'sun', ok: 'check', wet: 'wet' };
const LEVELS = Object.keys(LEVEL_ICON) as Exclude<GardenLevel, 'unknown'>[];

/**
 * The level as a badge: its colour always comes with an icon and the word (never colour alone). The
 * three icons are built once and only shown or hidden, so an update never rebuilds under a finger.
 */
function levelBadge(bedId: string) {
  const icons = LEVELS.map((level) => {
    const svg = icon(LEVEL_ICON[level], 'icon badge-icon');
    svg.toggleAttribute('hidden', true);
    return svg;
  });
  const word = h('span', { class: 'badge-text' });
  const el = h('span', { class: 'badge level', testid: `bed-level-${bedId}`, hidden: true }, [...icons, word]);
  return {
    el,
    set(level: GardenLevel, words: Record<Exclude<GardenLevel, 'unknown'>, string>) {
      el.hidden = level === 'unknown';
      el.dataset.level = level;
      for (const l of LEVELS) toggle(el, `level-${l}`, l === level);
      icons.forEach((svg, i) => svg.toggleAttribute('hidden', LEVELS[i] !== level));
      setText(word, level === 'unknown' ? '' : words[level]);
    },
  };
}

/**
 * One row per bed: its name, each probe's value, the level and whether it is being watered; the bed's
 * moisture (the median of the probes the controller trusts) big on the right.
 */
function bedTile(model: Model, bed: Bed): Part {
  const t = strings(model.lang);
  const num = h('span', { class: 'num', text: '—' });
  const unit = h('span', { class: 'unit', text: '%', hidden: true });
  const probes = bed.sensors.map((id, i) => {
    const letter = String.fromCharCode(65 + i);
    const value = h('span', { class: 'probe-value', text: '—' });
    // An untrusted probe is greyed AND gets an exclamation mark.
    const warn = icon('alert', 'icon probe-warn');
    warn.toggleAttribute('hidden', true);
    const el = h('li', { class: 'probe', testid: `sensor-${id}`, attrs: { title: t.probe(letter) } }, [h('span', { class: 'probe-letter', text: letter }), value, warn]);
    return { id, letter, el, value, warn };
  });
  const level = levelBadge(bed.id);
  const watering = h('span', { class: 'badge watering', testid: `bed-watering-${bed.id}`, hidden: true }, [icon('drizzle', 'icon badge-icon'), h('span', { text: t.watering })]);
  const badges = h('p', { class: 'bed-badges' }, [level.el, watering]);
  const status = statusLine();
  status.el.dataset.testid = `bed-status-${bed.id}`;
  const el = h('article', { class: 'tile bed', testid: `bed-${bed.id}` }, [
    h('div', { class: 'bed-info' }, [
      h('h3', { class: 'tile-name', text: pick(bed.name, model.lang) }),
      h('ul', { class: 'probes', attrs: { 'aria-label': t.moisture } }, probes.map((p) => p.el)),
      badges,
      status.el,
    ]),
    h('p', { class: 'big', testid: `bed-moisture-${bed.id}`, attrs: { 'aria-label': t.moisture } }, [num, unit]),
  ]);

  return {
    el,
    update(m) {
      const s = strings(m.lang);
      const d = bedDisplay(m, bed);
      // Probes the controller does not trust never make the bed's number: show none rather than a guess.
      const shown = d.problem?.kind === 'untrusted' ? null : d.moisture;
      setText(num, percent(shown));
      unit.hidden = shown === null;
      toggle(el, 'is-stale', d.problem !== null);
      level.set(d.level, s.level);
      watering.hidden = !d.watering;
      badges.hidden = d.level === 'unknown' && !d.watering;
      if (!d.problem) status.set(null);
      else if (d.problem.kind === 'no-data') status.set(s.noData);
      else if (d.problem.kind === 'untrusted') status.set(s.probesUntrusted, 'warn');
      else status.set(s.oldReading(d.problem.at === null ? '—' : hhmm(d.problem.at, m.site.timezone)));
      for (const [i, p] of probes.entries()) {
        const pd = d.probes[i];
        const value = pd?.value ?? null;
        setText(p.value, value === null ? '—' : `${percent(value)}%`);
        const ok = pd?.ok ?? false;
        toggle(p.el, 'is-stale', !ok);
        // A value the controller will not use is flagged; a probe with nothing yet just shows —.
        const flagged = !ok && value !== null && d.source === 'state';
        p.warn.toggleAttribute('hidden', !flagged);
        p.el.setAttribute('title', flagged ? s.probeUntrusted(p.letter) : s.probe(p.letter));
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
