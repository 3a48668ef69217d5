import { defineStrings, LANG_LABEL, LANGS, type Lang } from './i18n.js';
import { useSite } from './settings.js';
import { pick, useLang } from './i18n.js';
import { Button } from '../ui/Button.js';
import { useNow } from './live.js';
import { hhmm } from '../format.js';

const useS = defineStrings({
  zh: { largeText: '大字', sample: '示例数据', sampleTitle: '这些是演示用的示例数据，不是真实读数', language: '语言' },
  en: { largeText: 'Large text', sample: 'Sample data', sampleTitle: 'These are sample data for a demonstration, not real readings', language: 'Language' },
});

/**
 * Always on screen: the site's name and clock, the language switch (each language named in itself)
 * and the large-text switch (KIOSK.md §Home).
 */
export function TopBar(props: { largeText: boolean; onLang: (lang: Lang) => void; onLargeText: (on: boolean) => void }) {
  const site = useSite();
  const lang = useLang();
  const s = useS();
  const now = useNow();
  return (
    <header class="topbar">
      <span class="site-name" data-testid="site-name">
        {pick(site.name, lang)}
      </span>
      {site.sample && (
        <span class="sample-badge" title={s.sampleTitle} data-testid="sample-badge">
          {s.sample}
        </span>
      )}
      <span class="clock" data-testid="clock">
        {hhmm(now, site.timezone)}
      </span>
      <span class="switches" role="group" aria-label={s.language}>
        {LANGS.map((l) => (
          <Button key={l} testid={`lang-${l}`} pressed={l === lang} onClick={() => props.onLang(l)}>
            <span lang={l === 'zh' ? 'zh-CN' : 'en'}>{LANG_LABEL[l]}</span>
          </Button>
        ))}
        <Button testid="large-text" pressed={props.largeText} onClick={() => props.onLargeText(!props.largeText)}>
          {s.largeText}
        </Button>
      </span>
    </header>
  );
}
