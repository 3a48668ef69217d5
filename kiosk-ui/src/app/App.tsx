import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { Site } from '../api/site.js';
import { SCREENS } from '../screens/index.js';
import { LiveBanner } from '../ui/Banner.js';
import { IdlePrompt } from '../ui/IdlePrompt.js';
import { promptEndsAt } from './idle.js';
import { DEFAULT_LANG, HTML_LANG, LangContext, type Lang } from './i18n.js';
import { LiveProvider, useLive } from './live.js';
import { NavContext, type Nav, type ScreenName } from './nav.js';
import { Rest } from './Rest.js';
import { DisplayContext, SiteContext } from './settings.js';
import { TopBar } from './TopBar.js';
import { useIdle } from './useIdle.js';

/** Defaults for a server that does not send the kiosk's idle times (KIOSK.md: 90 s, then 20 s to answer). */
const IDLE_SECONDS = 90;
const PROMPT_SECONDS = 20;

/** The kiosk's frame; `not-live` greys every live number while the banner says why. */
function Shell(props: { children: ComponentChildren }) {
  const { model } = useLive();
  return <div class={model.live === 'down' ? 'kiosk not-live' : 'kiosk'}>{props.children}</div>;
}

/**
 * The kiosk: top bar, the "not live" banner, the current screen, and everything every screen shares
 * (language, large text, the live model, navigation, idle time). `session` is bumped when the kiosk
 * goes back to its home screen after idle time: the screens are then mounted afresh, so every form
 * and everything typed is gone. Idle: "Still there?" off the home screen, then reset; resting, the
 * attract screen in opening hours and the night screen outside them (useIdle.ts, Rest.tsx).
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
  const timing = {
    idleMs: (props.site.kiosk?.idleSeconds ?? IDLE_SECONDS) * 1000,
    promptMs: (props.site.kiosk?.promptSeconds ?? PROMPT_SECONDS) * 1000,
  };
  const idle = useIdle(timing, screen === 'home', reset);
  const promptEnd = promptEndsAt(idle.state, timing);

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
              <Shell>
                <TopBar largeText={largeText} onLang={setLang} onLargeText={setLargeText} />
                <div class="screen-area">
                  <LiveBanner />
                  <main class="screen" key={`${session}-${screen}`}>
                    <Screen />
                  </main>
                </div>
                {promptEnd !== null && <IdlePrompt endsAt={promptEnd} onContinue={idle.resume} />}
                {idle.state.phase === 'rest' && <Rest onWake={idle.resume} />}
              </Shell>
            </NavContext.Provider>
          </LiveProvider>
        </DisplayContext.Provider>
      </LangContext.Provider>
    </SiteContext.Provider>
  );
}
