import { defineStrings } from '../../app/i18n.js';

export const useGardenStrings = defineStrings({
  zh: {
    title: '口袋花园',
    moisture: '土壤湿度',
    probe: (l: string) => `探头${l}`,
    probeUntrusted: (l: string) => `探头${l}读数不可靠`,
    noData: '暂无数据',
    oldReading: (t: string) => `不是最新，${t} 的数据`,
    probesUntrusted: '探头读数不可靠',
    level: { dry: '偏干', ok: '适中', wet: '偏湿' },
    watering: '正在浇水',
    chartTitle: '近 3 天',
    chartLabel: (name: string, lo: number, hi: number) => `${name}近 3 天的土壤湿度，最低 ${lo}%，最高 ${hi}%`,
    noHistory: '历史数据还不够画图',
  },
  en: {
    title: 'Pocket garden',
    moisture: 'Soil moisture',
    probe: (l: string) => `Probe ${l}`,
    probeUntrusted: (l: string) => `Probe ${l}: reading unreliable`,
    noData: 'No data yet',
    oldReading: (t: string) => `Not current: from ${t}`,
    probesUntrusted: 'Probe readings unreliable',
    level: { dry: 'Dry', ok: 'OK', wet: 'Wet' },
    watering: 'Watering now',
    chartTitle: 'Last 3 days',
    chartLabel: (name: string, lo: number, hi: number) => `${name}: soil moisture over the last 3 days, lowest ${lo}%, highest ${hi}%`,
    noHistory: 'Not enough history for a chart yet',
  },
});
