import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { DaySpec, SiteConfig } from '../config/schema.js';
import { packageRoot } from '../core/paths.js';
import { addDays, isDate, weekdayOf } from './local-time.js';

/**
 * Which local days are workdays, restdays or closed. China moves weekends around its holidays
 * (调休: a Saturday can be a workday), so this comes from announced data, never from a rule.
 */

export type DayType = 'workday' | 'restday';
export interface LocalText { zh: string; en: string }
export type Point = SiteConfig['points'][number];
type SpecialDay = SiteConfig['waste']['specialDays'][number];

export interface HolidayCalendar {
  /** years covered by data: outside them only weekends are restdays (a health check can warn) */
  readonly years: readonly number[];
  /** official days off → the holiday's name */
  readonly off: ReadonlyMap<string, LocalText>;
  /** weekend days that are official working days (调休) → the holiday they pay for */
  readonly work: ReadonlyMap<string, LocalText>;
}

export const HOLIDAYS_DIR = join(packageRoot(), 'src', 'waste', 'holidays');
const MAX_HOLIDAY_DAYS = 31; // a longer range is a typo in a year or month, not a holiday

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isText = (v: unknown): v is LocalText => isObject(v) && typeof v.zh === 'string' && typeof v.en === 'string';

/** Reads one holiday file (see cn-2026.yaml), throwing an error that names the file and the entry. */
export function parseHolidayFile(text: string, file: string): { year: number; off: Map<string, LocalText>; work: Map<string, LocalText> } {
  const bad = (msg: string) => new Error(`holiday file ${file}: ${msg}`);
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (e) {
    throw bad(`not valid YAML: ${(e as Error).message}`);
  }
  if (!isObject(doc) || !Number.isInteger(doc.year)) throw bad('needs "year", an integer');
  if (!Array.isArray(doc.holidays)) throw bad('needs "holidays", a list');
  const year = doc.year as number;
  // Dates may spill into a neighbouring year (2023's New Year break began on 2022-12-31).
  const date = (v: unknown, at: string) => {
    if (!isDate(v) || Math.abs(Number(v.slice(0, 4)) - year) > 1) throw bad(`${at} must be a date YYYY-MM-DD near ${year}, got ${JSON.stringify(v)}`);
    return v;
  };
  const off = new Map<string, LocalText>();
  const work = new Map<string, LocalText>();
  doc.holidays.forEach((h: unknown, i: number) => {
    const at = `holidays[${i}]`;
    if (!isObject(h) || !isText(h.name)) throw bad(`${at}.name needs zh and en`);
    if (!isObject(h.off)) throw bad(`${at}.off needs from and to`);
    const from = date(h.off.from, `${at}.off.from`);
    const to = date(h.off.to, `${at}.off.to`);
    if (to < from || addDays(from, MAX_HOLIDAY_DAYS) <= to) throw bad(`${at}.off: ${from}..${to} is not a range of 1..${MAX_HOLIDAY_DAYS} days`);
    for (let d = from; d <= to; d = addDays(d, 1)) off.set(d, h.name);
    const workDays = h.work ?? [];
    if (!Array.isArray(workDays)) throw bad(`${at}.work must be a list of dates`);
    workDays.forEach((w: unknown, j: number) => work.set(date(w, `${at}.work[${j}]`), h.name as LocalText));
  });
  for (const d of work.keys()) if (off.has(d)) throw bad(`${d} is both a day off and a working day`);
  return { year, off, work };
}

/** The official calendar: 'cn' reads every shipped cn-YYYY.yaml; 'none' has only weekends. */
/** The site's calendar, built once per start (it reads the holiday files) and shared by the schedule and the garden. */
export function siteCalendar(config: Pick<SiteConfig, 'site' | 'waste'>): WasteCalendar {
  return createWasteCalendar({ holidays: loadHolidays(config.waste.holidays), specialDays: config.waste.specialDays, tz: config.site.timezone });
}

export function loadHolidays(name: 'cn' | 'none', dir: string = HOLIDAYS_DIR): HolidayCalendar {
  const cal = { years: [] as number[], off: new Map<string, LocalText>(), work: new Map<string, LocalText>() };
  if (name === 'none') return cal;
  const files = readdirSync(dir).filter((f) => /^cn-\d{4}\.yaml$/.test(f)).sort();
  if (files.length === 0) throw new Error(`no holiday files cn-YYYY.yaml in ${dir}`);
  for (const f of files) {
    const file = join(dir, f);
    const one = parseHolidayFile(readFileSync(file, 'utf8'), file);
    if (f !== `cn-${one.year}.yaml`) throw new Error(`holiday file ${file}: says year ${one.year}, the name says otherwise`);
    for (const [d, n] of one.off) cal.off.set(d, n);
    for (const [d, n] of one.work) cal.work.set(d, n);
    cal.years.push(one.year);
  }
  for (const d of cal.work.keys()) if (cal.off.has(d)) throw new Error(`holiday files in ${dir}: ${d} is both a day off and a working day`);
  return cal;
}

export interface WasteCalendar {
  readonly tz: string;
  dayType(date: string): DayType;
  /** the reason when the whole site is closed that day (special day 'closed') */
  siteClosed(date: string): LocalText | undefined;
  /** the reason when this point is closed that day: its own closure, or the site's */
  pointClosed(point: Pick<Point, 'closures'>, date: string): LocalText | undefined;
  /** undefined = every day; 'workday'/'restday' by dayType; 'mon'…'sun' by the actual weekday */
  matchesDay(spec: readonly DaySpec[] | undefined, date: string): boolean;
}

const CLOSED: LocalText = { zh: '关闭', en: 'closed' };

export function createWasteCalendar(opts: { holidays: HolidayCalendar; specialDays: readonly SpecialDay[]; tz: string }): WasteCalendar {
  const { holidays, tz } = opts;
  // The site's own exceptions win over the official calendar; a later entry wins over an earlier.
  const special = new Map(opts.specialDays.map((s) => [s.date, s] as const));
  const dayType = (date: string): DayType => {
    const s = special.get(date);
    if (s?.as === 'workday' || s?.as === 'restday') return s.as;
    if (holidays.work.has(date)) return 'workday';
    if (holidays.off.has(date)) return 'restday';
    const wd = weekdayOf(date);
    return wd === 'sat' || wd === 'sun' ? 'restday' : 'workday';
  };
  const siteClosed = (date: string) => {
    const s = special.get(date);
    return s?.as === 'closed' ? (s.reason ?? CLOSED) : undefined;
  };
  return {
    tz,
    dayType,
    siteClosed,
    pointClosed: (point, date) => {
      const c = point.closures.find((x) => x.date === date);
      return c ? (c.reason ?? CLOSED) : siteClosed(date);
    },
    matchesDay: (spec, date) =>
      spec === undefined || spec.some((s) => (s === 'workday' || s === 'restday' ? dayType(date) === s : weekdayOf(date) === s)),
  };
}
