import type { GardenLevel } from './api/garden.js';
import type { Text, WasteCategory } from './api/site.js';

/** Every string the kiosk shows, in Chinese (first) and English. Names from the site file are `Text`. */
export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

/** What the language buttons say: each in its own language, so anyone can find theirs. */
export const LANG_LABEL: Record<Lang, string> = { zh: '中文', en: 'English' };
export const HTML_LANG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

interface Strings {
  sample: string;
  sampleTitle: string;
  langSwitch: string;
  clock: string;
  garden: string;
  waste: string;
  lounge: string;
  moisture: string;
  probe: (letter: string) => string;
  noData: string;
  oldReading: (hhmm: string) => string;
  fill: string;
  nearlyFull: string;
  full: string;
  category: Record<WasteCategory, string>;
  level: Record<Exclude<GardenLevel, 'unknown'>, string>;
  watering: string;
  probesUntrusted: string;
  probeUntrusted: (letter: string) => string;
  inside: string;
  visitsToday: string;
  /** after a count of people, where the language wants one (English reads fine without) */
  people: string;
  events: string;
  eventBefore: string;
  eventDuring: (n: number) => string;
  eventAfter: (n: number) => string;
  lastUpdate: string;
  never: string;
  hours: string;
  openNow: string;
  closedNow: string;
  notLive: (hhmm: string | null) => string;
  loading: string;
  loadFailed: string;
}

const zh: Strings = {
  sample: '示例数据',
  sampleTitle: '这些是演示用的示例数据，不是真实读数',
  langSwitch: '语言',
  clock: '现在时间',
  garden: '花园',
  waste: '垃圾分类',
  lounge: '共享客厅',
  moisture: '土壤湿度',
  probe: (l) => `探头${l}`,
  noData: '暂无数据',
  oldReading: (t) => `不是最新，${t} 的数据`,
  fill: '已装',
  nearlyFull: '快满了',
  full: '已满',
  category: { recyclable: '可回收物', hazardous: '有害垃圾', wet: '湿垃圾', dry: '干垃圾' },
  level: { dry: '偏干', ok: '适中', wet: '偏湿' },
  watering: '正在浇水',
  probesUntrusted: '探头读数不可靠',
  probeUntrusted: (l) => `探头${l}读数不可靠`,
  inside: '现在在场',
  visitsToday: '今天来访',
  people: '人',
  events: '今天的活动',
  eventBefore: '还没开始',
  eventDuring: (n) => `已来 ${n} 人`,
  eventAfter: (n) => `共来 ${n} 人`,
  lastUpdate: '最后更新',
  never: '还没有',
  hours: '开放时间',
  openNow: '现在开放',
  closedNow: '现在关闭',
  notLive: (t) => (t ? `实时数据已中断，最后更新 ${t}` : '实时数据已中断'),
  loading: '正在连接…',
  loadFailed: '暂时连不上服务器，正在重试…',
};

const en: Strings = {
  sample: 'Sample data',
  sampleTitle: 'These are sample data for a demonstration, not real readings',
  langSwitch: 'Language',
  clock: 'Time now',
  garden: 'Garden',
  waste: 'Waste sorting',
  lounge: 'Lounge',
  moisture: 'Soil moisture',
  probe: (l) => `Probe ${l}`,
  noData: 'No data yet',
  oldReading: (t) => `Not current: from ${t}`,
  fill: 'Fill',
  nearlyFull: 'Nearly full',
  full: 'Full',
  category: { recyclable: 'Recyclable', hazardous: 'Hazardous', wet: 'Wet waste', dry: 'Dry waste' },
  level: { dry: 'Dry', ok: 'OK', wet: 'Wet' },
  watering: 'Watering now',
  probesUntrusted: 'Probe readings unreliable',
  probeUntrusted: (l) => `Probe ${l}: reading unreliable`,
  inside: 'Inside now',
  visitsToday: 'Visitors today',
  people: '',
  events: "Today's events",
  eventBefore: 'Not started yet',
  eventDuring: (n) => `${n} came so far`,
  eventAfter: (n) => `${n} came`,
  lastUpdate: 'Last update',
  never: 'Not yet',
  hours: 'Opening hours',
  openNow: 'Open now',
  closedNow: 'Closed now',
  notLive: (t) => (t ? `Not live since ${t}` : 'Not live'),
  loading: 'Connecting…',
  loadFailed: 'Cannot reach the server, trying again…',
};

export const STRINGS: Record<Lang, Strings> = { zh, en };

export function strings(lang: Lang): Strings {
  return STRINGS[lang];
}

export function pick(text: Text, lang: Lang): string {
  return text[lang] || text.zh || text.en;
}
