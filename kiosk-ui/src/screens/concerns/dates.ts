import type { Lang } from '../../app/i18n.js';

/** Dates on the board and in a concern's history, in the site's time zone: "3月2日" / "2 Mar". */
const cache = new Map<string, Intl.DateTimeFormat>();

function formatter(lang: Lang, timeZone: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${lang}|${timeZone}|${withTime}`;
  let f = cache.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      timeZone,
      month: lang === 'zh' ? 'long' : 'short',
      day: 'numeric',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' as const } : {}),
    });
    cache.set(key, f);
  }
  return f;
}

export const dayOf = (ms: number, lang: Lang, timeZone: string): string => formatter(lang, timeZone, false).format(ms);
export const dayAndTime = (ms: number, lang: Lang, timeZone: string): string => formatter(lang, timeZone, true).format(ms);
