import type { Text } from '../../api/site.js';

/**
 * What a phone takes away from a service's QR code: plain lines of text in the kiosk's language (a
 * phone's scanner shows them as they are, and WeChat's does too), naming the service, the unit, the
 * lounge, when and where, the public phone and the unit's web address when staff gave one. Long
 * fields are shortened and a long address left out, so that even the largest service fits a
 * version-20 code at error correction M: a denser code is hard to read off a screen.
 */
export type QrLang = 'zh' | 'en';

export interface QrService {
  name: Text;
  unit: Text;
  hours: Text | null;
  place: Text | null;
  contact: string | null;
  link: string | null;
}

const LABELS: Record<QrLang, { unit: string; where: string; hours: string; place: string; phone: string; sep: string }> = {
  zh: { unit: '服务单位', where: '服务地点', hours: '时间', place: '地点', phone: '电话', sep: '：' },
  en: { unit: 'Offered by', where: 'At', hours: 'When', place: 'Where', phone: 'Phone', sep: ': ' },
};

/** Characters kept of each free-text field; a field cut short ends with "…". */
export const FIELD_MAX = 30;
/** A longer web address is left out rather than cut (a cut address leads nowhere). */
export const LINK_MAX = 100;

const pickText = (t: Text, lang: QrLang) => t[lang] || t.zh || t.en;

export function shorten(text: string, max = FIELD_MAX): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const chars = Array.from(oneLine);
  return chars.length <= max ? oneLine : `${chars.slice(0, max - 1).join('')}…`;
}

export function serviceQrText(s: QrService, siteName: Text, lang: QrLang): string {
  const l = LABELS[lang];
  const field = (label: string, t: Text | null) => (t ? `${label}${l.sep}${shorten(pickText(t, lang))}` : null);
  const lines = [
    shorten(pickText(s.name, lang)),
    field(l.unit, s.unit),
    field(l.where, siteName),
    field(l.hours, s.hours),
    field(l.place, s.place),
    s.contact ? `${l.phone}${l.sep}${shorten(s.contact)}` : null,
    s.link && s.link.length <= LINK_MAX ? s.link : null,
  ];
  return lines.filter((line): line is string => line !== null).join('\n');
}
