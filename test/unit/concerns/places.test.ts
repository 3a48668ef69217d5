import { describe, expect, it } from 'vitest';
import { CATEGORIES, CATEGORY_IDS, phraseTexts } from '../../../src/concerns/categories.js';
import { placesFor } from '../../../src/concerns/places.js';
import { concernsMigration } from '../../../src/concerns/migration.js';
import { loadSiteConfig } from '../../../src/config/load.js';

describe('places and categories', () => {
  it('places come from the site file: the lounge, each garden bed, each collection point, and other', () => {
    const config = loadSiteConfig();
    const places = placesFor(config);
    expect(places.map((p) => p.id)).toEqual(['lounge', ...config.garden.beds.map((b) => `bed:${b.id}`), ...config.points.map((p) => `point:${p.id}`), 'other']);
    expect(places.find((p) => p.id === 'point:p1')).toMatchObject({ kind: 'point', name: config.points[0]?.name, where: config.points[0]?.place });
    expect(new Set(places.map((p) => p.id)).size).toBe(places.length);
    for (const p of places) expect(p.name.zh && p.name.en).toBeTruthy();
  });

  it('every category has zh/en labels and unique phrase ids, and the table accepts exactly these categories', () => {
    expect(CATEGORIES.map((c) => c.id)).toEqual([...CATEGORY_IDS]);
    for (const c of CATEGORIES) {
      expect(c.label.zh && c.label.en).toBeTruthy();
      expect(c.phrases.length).toBeGreaterThanOrEqual(3);
      expect(new Set(c.phrases.map((p) => p.id)).size).toBe(c.phrases.length);
      for (const p of c.phrases) expect(p.text.zh && p.text.en).toBeTruthy();
    }
    const check = /category IN \(([^)]*)\)/.exec(concernsMigration.sql)?.[1] ?? '';
    expect(check.split(',').map((s) => s.trim().replace(/'/g, ''))).toEqual([...CATEGORY_IDS]);
  });

  it('renders stored phrase ids in both languages, and an unknown id as itself', () => {
    expect(phraseTexts('noise', ['at-night', 'gone'])).toEqual([
      { id: 'at-night', text: { zh: '夜间噪音', en: 'Noise at night' } },
      { id: 'gone', text: { zh: 'gone', en: 'gone' } },
    ]);
  });
});
