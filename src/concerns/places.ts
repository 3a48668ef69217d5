import type { SiteConfig } from '../config/schema.js';
import type { Text } from './categories.js';

/**
 * The places a resident can pick at the kiosk, derived from the site file: the lounge, each garden
 * bed, each collection point, and "somewhere else" with a few words. A concern keeps a copy of the
 * place's name, so it still reads right after the site file changes.
 */
export type PlaceKind = 'lounge' | 'garden' | 'point' | 'other';
export interface Place {
  id: string;
  kind: PlaceKind;
  name: Text;
  /** Where it is, when the site file says (collection points). */
  where?: Text;
}

export const OTHER_PLACE = 'other';
export const PLACE_OTHER_MAX = 100;

export function placesFor(config: Pick<SiteConfig, 'site' | 'garden' | 'points'>): Place[] {
  return [
    { id: 'lounge', kind: 'lounge', name: config.site.name },
    ...config.garden.beds.map((b): Place => ({ id: `bed:${b.id}`, kind: 'garden', name: { zh: `花园：${b.name.zh}`, en: `Garden: ${b.name.en}` } })),
    ...config.points.map((pt): Place => ({ id: `point:${pt.id}`, kind: 'point', name: pt.name, where: pt.place })),
    { id: OTHER_PLACE, kind: 'other', name: { zh: '其他地点', en: 'Somewhere else' } },
  ];
}
