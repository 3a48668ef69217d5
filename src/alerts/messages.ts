import type { AlertKind } from '../contract/payloads.js';

/**
 * The one-line text a crew's phone shows, in zh-CN and en. Built from the alert's facts so the
 * message and the structured fields never disagree.
 */
const CATEGORY = {
  recyclable: { zh: '可回收物', en: 'recyclable' },
  hazardous: { zh: '有害垃圾', en: 'hazardous' },
  wet: { zh: '湿垃圾', en: 'wet' },
  dry: { zh: '干垃圾', en: 'dry' },
} as const;

export interface MessageFacts {
  category?: keyof typeof CATEGORY | undefined;
  point?: { zh: string; en: string } | undefined;
  deviceId?: string | undefined;
  fill?: number | undefined;
  slot?: string | undefined;
  /** what the alert is about (`valve:<id>`, `probe:<id>`), when the caller passes it: names the part */
  subject?: string | undefined;
}

/** The id after `valve:` / `probe:`, or failing that the device it is on. */
function part(f: MessageFacts, prefix: string): { zh: string; en: string } {
  const id = f.subject?.startsWith(prefix) ? f.subject.slice(prefix.length) : undefined;
  if (id) return { zh: id, en: id };
  return { zh: `（设备 ${f.deviceId ?? ''}）`, en: `(on device ${f.deviceId ?? ''})` };
}

export function alertMessage(kind: AlertKind, f: MessageFacts): { zh: string; en: string } {
  const cat = f.category ? CATEGORY[f.category] : { zh: '', en: '' };
  const where = { zh: f.point?.zh ?? '', en: f.point?.en ?? '' };
  const fill = f.fill === undefined ? '' : `${Math.round(f.fill)}%`;
  switch (kind) {
    case 'bin-warn':
      return { zh: `${where.zh} ${cat.zh}桶快满了（${fill}）`, en: `${where.en}: ${cat.en} bin nearly full (${fill})` };
    case 'bin-full':
      return { zh: `${where.zh} ${cat.zh}桶已满（${fill}），请清运`, en: `${where.en}: ${cat.en} bin full (${fill}), please collect` };
    case 'bin-overflow':
      return { zh: `${where.zh} ${cat.zh}桶满溢（${fill}），请立即清运`, en: `${where.en}: ${cat.en} bin overflowing (${fill}), collect now` };
    case 'pickup-missed':
      return { zh: `${where.zh} ${cat.zh} ${f.slot ?? ''} 的清运未完成`, en: `${where.en}: ${cat.en} pickup due ${f.slot ?? ''} was missed` };
    case 'still-full-at-window-open':
      return { zh: `${where.zh} ${cat.zh}桶投放时段开始时仍有${fill}`, en: `${where.en}: ${cat.en} bin still ${fill} full as drop-off opens` };
    case 'sensor-offline':
      return { zh: `设备 ${f.deviceId ?? ''} 离线`, en: `Device ${f.deviceId ?? ''} is offline` };
    case 'valve-stuck': {
      const v = part(f, 'valve:');
      return { zh: `花园浇水阀门 ${v.zh} 疑似卡住：浇水后土壤没有变湿，已关闭，请检查`, en: `Garden valve ${v.en} seems stuck: the bed did not get wetter, so it was turned off; please check it` };
    }
    case 'probe-faulty': {
      const p = part(f, 'probe:');
      return { zh: `花园土壤探头 ${p.zh} 读数异常或无数据，暂不采用，请检查`, en: `Garden soil probe ${p.en} reads implausibly or not at all and is not used; please check it` };
    }
  }
}
