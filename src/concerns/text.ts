import type { Text } from './categories.js';

/**
 * Checks on the free text that ends up on the public board: the resident's words, the "other"
 * place, a rating comment and the committee's texts. A mobile number typed there would be shown to
 * everyone, so text that looks like one is refused with a hint to use the phone field instead.
 */
// 11 digits starting 1[3-9], possibly split by spaces or dashes, or already masked (138****1234).
const PHONE_LIKE = /(?<!\d)(?:\+?86[\s-]?)?1[3-9](?:[\s-]?\d){9}(?!\d)|\d{3}\s?\*{4}\s?\d{4}/;

export function looksLikePhone(text: string): boolean {
  return PHONE_LIKE.test(text);
}

// Control characters mean nothing on a screen (and a NUL would cut the text short in SQLite).
const CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g;

/** Without control characters (line breaks stay) and trimmed; undefined when nothing is left. */
export function cleanText(text: string | undefined): string | undefined {
  const t = text?.replace(CONTROL, '').trim();
  return t ? t : undefined;
}

export interface PartialText {
  zh?: string;
  en?: string;
}

/** A committee text in zh, en or both; undefined when both are blank. */
export function cleanBilingual(t: PartialText): PartialText | undefined {
  const zh = cleanText(t.zh);
  const en = cleanText(t.en);
  if (!zh && !en) return undefined;
  return { ...(zh ? { zh } : {}), ...(en ? { en } : {}) };
}

/** For screens that need both languages: a missing one falls back to the other. */
export function bothLanguages(t: PartialText): Text {
  return { zh: t.zh ?? t.en ?? '', en: t.en ?? t.zh ?? '' };
}
