import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { WasteCategory } from '../../../src/config/schema.js';
import { packageRoot } from '../../../src/core/paths.js';
import { createWasteCalendar, loadHolidays, type Point } from '../../../src/waste/calendar.js';
import { hhmmToMinutes, localToEpoch } from '../../../src/waste/local-time.js';

/** Shared by the waste tests: the zone, the official 2026 calendar, the demo points, a point builder. */
export const TZ = 'Asia/Shanghai';
export const CN = loadHolidays('cn');
export const calendar = createWasteCalendar({ holidays: CN, specialDays: [], tz: TZ });
export const CATEGORIES: WasteCategory[] = ['recyclable', 'hazardous', 'wet', 'dry'];
export const MIN = 60_000;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** Shanghai local time → epoch ms (local-time.test.ts checks this against fixed UTC instants). */
export const at = (date: string, hhmm: string, tz = TZ) => localToEpoch(date, hhmmToMinutes(hhmm), tz);

/** A point with the schema's defaults filled in and one bin per category unless given. */
export function makePoint(p: Partial<Point> = {}): Point {
  return {
    id: 'x',
    name: { zh: '测试', en: 'test' },
    place: { zh: '这里', en: 'here' },
    lateDrop: false,
    bins: CATEGORIES.map((c) => ({ id: `x-${c}`, category: c })),
    windows: [],
    pickups: [],
    closures: [],
    ...p,
  };
}

/** A point of the shipped demo site, read raw (not through the site loader, which others change). */
export function demoPoint(id: string): Point {
  const doc = parse(readFileSync(join(packageRoot(), 'src', 'config', 'sites', 'demo.yaml'), 'utf8')) as { points: Partial<Point>[] };
  const raw = doc.points.find((x) => x.id === id);
  if (!raw) throw new Error(`demo point ${id} not found`);
  return makePoint(raw);
}
