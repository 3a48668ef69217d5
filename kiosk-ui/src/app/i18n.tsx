import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/**
 * Languages: Chinese first, English at a tap. The choice lives only in memory (nothing in local
 * storage or the URL) and goes back to Chinese when the kiosk returns home after idle time.
 *
 * Each screen keeps its own strings next to it with `defineStrings({ zh, en })`; the English table
 * must have every key of the Chinese one (the compiler checks), so no screen can show an
 * untranslated string.
 */
export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];
export const DEFAULT_LANG: Lang = 'zh';
/** What the language buttons say: each in its own language, so anyone can find theirs. */
export const LANG_LABEL: Record<Lang, string> = { zh: '中文', en: 'English' };
export const HTML_LANG: Record<Lang, string> = { zh: 'zh-CN', en: 'en' };

export const LangContext = createContext<Lang>(DEFAULT_LANG);

export function useLang(): Lang {
  return useContext(LangContext);
}

/** A bilingual name from the site file or the server (`{ zh, en }`). */
export interface Text {
  zh: string;
  en: string;
}

export function pick(text: Text, lang: Lang): string {
  return text[lang] || text.zh || text.en;
}

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : T[K] extends (...args: infer A) => string ? (...args: A) => string : Widen<T[K]> };

/** A screen's string table; returns a hook that gives the table of the current language. */
export function defineStrings<Z extends object>(tables: { zh: Z; en: Widen<Z> }): () => Widen<Z> {
  return () => tables[useLang()] as Widen<Z>;
}

/** For code outside components (tests of tables, the document title). */
export function stringsFor<Z extends object>(tables: { zh: Z; en: Widen<Z> }, lang: Lang): Widen<Z> {
  return tables[lang] as Widen<Z>;
}
