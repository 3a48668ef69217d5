import { useEffect, useState } from 'preact/hooks';
import type { Site } from '../api/site.js';
import { SCREENS } from '../screens/index.js';
import { DEFAULT_LANG, HTML_LANG, LangContext, type Lang } from './i18n.js';
import { LiveProvider } from './live.js';
import { NavContext, type Nav, type ScreenName } from './nav.js';
import { DisplayContext, SiteContext } from './settings.js';
import { TopBar } from './TopBar.js';

/**
 * The kiosk: top bar, the current screen, and everything every screen shares (language, large text,
 * the live model, navigation). `session` is bumped when the kiosk goes back to its home screen after
 * idle time: the screens are then mounted afresh, so every form and everything typed is gone.
 */
export function App(props: { site: Site }) {
  const [lang, setLang] = useState<Lang>(DEFAULT_LANG);
  const [largeText, setLargeText] = useState(false);
  const [stack, setStack] = useState<ScreenName[]>(['home']);
  const [session, setSession] = useState(0);

  const screen = stack[stack.length - 1] ?? 'home';
  const nav: Nav = {
    screen,
    go: (next) => setStack((s) => (s[s.length - 1] === next ? s : [...s, next])),
    back: () => setStack((s) => (s.length > 1 ? s.slice(0, -1) : s)),
    home: () => setStack(['home']),
  };
  /** Back to a clean kiosk: home, Chinese, normal text, every form cleared. */
  const reset = () => {
    setStack(['home']);
    setLang(DEFAULT_LANG);
    setLargeText(false);
    setSession((n) => n + 1);
  };
  void reset;

  useEffect(() => {
    document.documentElement.lang = HTML_LANG[lang];
  }, [lang]);
  useEffect(() => {
    document.documentElement.classList.toggle('large-text', largeText);
  }, [largeText]);

  const Screen = SCREENS[screen];
  return (
    <SiteContext.Provider value={props.site}>
      <LangContext.Provider value={lang}>
        <DisplayContext.Provider value={{ largeText }}>
          <LiveProvider site={props.site}>
            <NavContext.Provider value={nav}>
              <div class="kiosk">
                <TopBar largeText={largeText} onLang={setLang} onLargeText={setLargeText} />
                <main class="screen" key={`${session}-${screen}`}>
                  <Screen />
                </main>
              </div>
            </NavContext.Provider>
          </LiveProvider>
        </DisplayContext.Provider>
      </LangContext.Provider>
    </SiteContext.Provider>
  );
}
