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
  devicesOnline: string;
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
  devicesOnline: '设备在线',
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
  devicesOnline: 'Devices online',
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
