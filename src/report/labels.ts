import { CATEGORIES, type CategoryId } from '../concerns/categories.js';
import type { AlertKind } from '../contract/payloads.js';
import type { EventKind } from '../health/rules.js';
import { localParts } from '../waste/local-time.js';
import type { Text } from './types.js';

/**
 * Every word the CSV and the page put around the figures, zh-CN and en. One dictionary for both, so
 * the file the street office opens in Excel and the page it prints say the same thing.
 */
export type Lang = 'zh' | 'en';

const t = (zh: string, en: string): Text => ({ zh, en });

export const L = {
  title: t('社区共享客厅月报', 'Shared lounge monthly report'),
  report: t('报告', 'Report'),
  site: t('站点', 'Site'),
  month: t('月份', 'Month'),
  timezone: t('时区', 'Time zone'),
  generatedAt: t('生成时间', 'Generated at'),
  complete: t('本月已结束', 'Month complete'),
  partial: t('本月尚未结束，数据截至生成时间', 'The month is not over: figures up to the time generated'),
  yes: t('是', 'yes'),
  no: t('否', 'no'),
  show: t('查看', 'Show'),

  visitors: t('客厅访客', 'Lounge visitors'),
  noFootfall: t('暂无客流数据（未安装客流计数）', 'No footfall data (no door counters yet)'),
  totalEntries: t('进入人次合计', 'Entries in total'),
  busiestDay: t('最忙的一天', 'Busiest day'),
  busiestHour: t('最忙的时段（全月合计）', 'Busiest hour (whole month)'),
  entriesPerDay: t('每日进入人次', 'Entries per day'),
  entriesPerDoor: t('各门进入人次', 'Entries per door'),
  date: t('日期', 'Date'),
  door: t('门', 'Door'),
  entries: t('进入人次', 'Entries'),

  health: t('健康YI小时', 'Health hours'),
  eventsScheduled: t('安排的活动', 'Events scheduled'),
  eventsHeld: t('已举办', 'Held'),
  eventsCancelled: t('已取消', 'Cancelled'),
  eventsUpcoming: t('尚未举办', 'Still to come'),
  heldByKind: t('按类型已举办', 'Held by kind'),
  attendance: t('报名与签到', 'Sign-ups and attendance'),
  signedUp: t('报名', 'Signed up'),
  cancelledByResident: t('居民取消', 'Cancelled by residents'),
  confirmed: t('获得名额', 'Got a place'),
  waitlisted: t('仍在候补', 'Still waitlisted'),
  promoted: t('候补转正', 'Promoted from the waitlist'),
  checkedIn: t('签到', 'Checked in'),
  noShows: t('未到场', 'No-shows'),
  signups: t('报名数', 'Sign-ups'),
  people: t('人数', 'People'),
  volunteerHours: t('志愿服务时长', 'Volunteer hours'),
  host: t('主持人', 'Host'),
  events: t('场次', 'Events'),
  hours: t('小时', 'Hours'),
  totalHours: t('合计小时', 'Hours in total'),

  windows: t('定时定点：守时情况', 'Windows kept'),
  windowsNote: t(
    '收运：按时收运的时段占应收运时段（按时收运＋漏收）的比例；无需收运（桶几乎是空的）不计。投放：在投放时段内的投放占全部投放的比例。',
    'Pickups: slots collected on time out of the slots that needed a pickup (collected + missed); slots with nothing to collect do not count. Drop-offs: drops inside the windows out of all drops seen.',
  ),
  pickups: t('收运时段', 'Pickup slots'),
  dropoffs: t('居民投放', 'Drop-offs'),
  point: t('定点', 'Point'),
  category: t('类别', 'Category'),
  collected: t('按时收运', 'Collected'),
  missed: t('漏收', 'Missed'),
  nothingToCollect: t('无需收运', 'Nothing to collect'),
  notJudged: t('未判定（时钟未校准）', 'Not judged (clock not trusted)'),
  keptPercent: t('守时率 %', 'Kept %'),
  inWindow: t('时段内', 'Inside windows'),
  outOfWindow: t('时段外', 'Outside windows'),
  total: t('合计', 'Total'),
  noData: t('本月无数据', 'No data this month'),

  alerts: t('告警与清运响应', 'Alerts and crew response'),
  raised: t('发出', 'Raised'),
  acked: t('已确认', 'Acked'),
  resolved: t('已解决', 'Resolved'),
  escalated: t('已升级', 'Escalated'),
  stillOpen: t('仍未解决', 'Still open'),
  kind: t('类型', 'Kind'),
  minutesToAck: t('确认用时（分钟）', 'Minutes to ack'),
  minutesToResolve: t('解决用时（分钟）', 'Minutes to resolve'),
  median: t('中位数', 'median'),
  p90: t('90百分位', '90th percentile'),
  count: t('个数', 'count'),

  concerns: t('居民议题', 'Residents’ concerns'),
  declined: t('未受理', 'Declined'),
  openAtMonthEnd: t('月底仍未办结', 'Still open at month end'),
  daysToResolve: t('解决用时（天）', 'Days to resolve'),
} as const;

export const WASTE_CATEGORY: Record<string, Text> = {
  recyclable: t('可回收物', 'recyclable'),
  hazardous: t('有害垃圾', 'hazardous'),
  wet: t('湿垃圾', 'wet'),
  dry: t('干垃圾', 'dry'),
};

// Partial on purpose: a kind added to the contract later shows its id until it gets words here.
const ALERT_KIND: Partial<Record<AlertKind, Text>> = {
  'bin-warn': t('桶快满', 'bin nearly full'),
  'bin-full': t('桶已满', 'bin full'),
  'bin-overflow': t('桶满溢', 'bin overflowing'),
  'pickup-missed': t('漏收', 'pickup missed'),
  'still-full-at-window-open': t('投放开始时仍满', 'still full as drop-off opens'),
  'sensor-offline': t('设备离线', 'device offline'),
  'valve-stuck': t('阀门卡住', 'valve stuck'),
  'probe-faulty': t('土壤探头故障', 'soil probe faulty'),
};

const EVENT_KIND: Partial<Record<EventKind, Text>> = {
  lecture: t('健康讲座', 'lecture'),
  'doctor-consultation': t('医生咨询', 'doctor consultation'),
  'health-talk-show': t('健康脱口秀', 'health talk show'),
  'digital-skills': t('数字技能课', 'digital skills class'),
  'youth-counselling': t('青少年心理辅导', 'youth counselling'),
  'music-therapy': t('音乐疗愈', 'music therapy'),
  other: t('其他', 'other'),
};

export const eventKind = (kind: EventKind): Text => EVENT_KIND[kind] ?? t(kind, kind);
export const alertKind = (kind: AlertKind): Text => ALERT_KIND[kind] ?? t(kind, kind);
export const concernCategory = (id: CategoryId): Text => CATEGORIES.find((c) => c.id === id)?.label ?? t(id, id);
export const wasteCategory = (id: string): Text => WASTE_CATEGORY[id] ?? t(id, id);

/** A local time for people: "2026-11-30 18:05" in the site's zone. */
export function localTime(epochMs: number, tz: string): string {
  const p = localParts(epochMs, tz);
  return `${p.date} ${String(Math.floor(p.minutes / 60)).padStart(2, '0')}:${String(p.minutes % 60).padStart(2, '0')}`;
}

/** "15:00–16:00" for the local hour 15. */
export const hourRange = (hour: number): string => `${String(hour).padStart(2, '0')}:00–${String((hour + 1) % 24).padStart(2, '0')}:00`;
