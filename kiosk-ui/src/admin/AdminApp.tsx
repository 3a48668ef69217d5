import { useEffect, useMemo, useState } from 'preact/hooks';
import { fetchSiteInfo, type SiteInfo } from '../api/admin/site.js';
import { logout, me, type StaffUser } from '../api/admin/staff.js';
import { DEFAULT_LANG, HTML_LANG, LANG_LABEL, LANGS, LangContext, defineStrings, pick, type Lang } from '../app/i18n.js';
import { SessionContext, type AdminSession } from './context.js';
import { Login } from './Login.js';
import { PAGE_COMPONENTS, pagesFor, type PageId } from './pages.js';
import { useCommon } from './strings.js';

const useStrings = defineStrings({
  zh: {
    pages: { services: '服务', events: '健康活动', concerns: '议题', alerts: '告警', sensors: '传感器曲线', devices: '设备', reports: '报表' },
    roles: { admin: '管理员', staff: '工作人员', committee: '议事会' },
    logout: '退出登录',
    loggedInAs: (name: string, role: string) => `${name}（${role}）`,
    language: '语言',
  },
  en: {
    pages: { services: 'Services', events: 'Health events', concerns: 'Concerns', alerts: 'Alerts', sensors: 'Sensor plots', devices: 'Devices', reports: 'Reports' },
    roles: { admin: 'admin', staff: 'staff', committee: 'committee' },
    logout: 'Log out',
    loggedInAs: (name: string, role: string) => `${name} (${role})`,
    language: 'Language',
  },
});

/** The admin page: login, then the parts the role may use, in Chinese or English. */
export function AdminApp() {
  const [lang, setLang] = useState<Lang>(DEFAULT_LANG);
  useEffect(() => {
    document.documentElement.lang = HTML_LANG[lang];
  }, [lang]);
  return (
    <LangContext.Provider value={lang}>
      <Shell lang={lang} setLang={setLang} />
    </LangContext.Provider>
  );
}

function Shell(props: { lang: Lang; setLang: (l: Lang) => void }) {
  const t = useStrings();
  const common = useCommon();
  const [site, setSite] = useState<SiteInfo | undefined>(undefined);
  // undefined: still asking who is logged in; null: nobody.
  const [user, setUser] = useState<StaffUser | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const [page, setPage] = useState<PageId | undefined>(undefined);

  useEffect(() => {
    fetchSiteInfo().then(setSite, () => setSite({ id: '', name: { zh: '', en: '' }, timezone: 'Asia/Shanghai' }));
    // Any failure to say who is logged in shows the login form: logging in again is always safe.
    me().then(setUser, () => setUser(null));
  }, []);

  useEffect(() => {
    document.title = `${common.title}${site ? ` · ${pick(site.name, props.lang)}` : ''}`;
  }, [common.title, site, props.lang]);

  const allowed = user ? pagesFor(user.role) : [];
  const current = page && allowed.includes(page) ? page : allowed[0];

  const session = useMemo<AdminSession | null>(
    () =>
      user && site
        ? {
            tz: site.timezone,
            user,
            loggedOut: () => {
              setUser(null);
              setExpired(true);
            },
          }
        : null,
    [user, site],
  );

  const doLogout = async () => {
    await logout().catch(() => undefined);
    setUser(null);
    setExpired(false);
    setPage(undefined);
  };

  const Page = current ? PAGE_COMPONENTS[current] : undefined;
  return (
    <div class="admin">
      <header class="admin-header">
        <h1>
          {common.title}
          {site ? <small> · {pick(site.name, props.lang)}</small> : null}
        </h1>
        <div class="header-tools">
          {user ? (
            <>
              <span class="who" data-testid="who" data-role={user.role}>
                {t.loggedInAs(user.username, t.roles[user.role])}
              </span>
              <button type="button" onClick={() => void doLogout()} data-testid="logout">
                {t.logout}
              </button>
            </>
          ) : null}
          <span class="lang-switch" role="group" aria-label={t.language}>
            {LANGS.map((l) => (
              <button type="button" aria-pressed={props.lang === l} lang={HTML_LANG[l]} onClick={() => props.setLang(l)} data-testid={`lang-${l}`}>
                {LANG_LABEL[l]}
              </button>
            ))}
          </span>
        </div>
      </header>
      {user && session ? (
        <SessionContext.Provider value={session}>
          <nav class="admin-nav" data-testid="nav">
            {allowed.map((p) => (
              <button type="button" aria-current={p === current ? 'page' : undefined} onClick={() => setPage(p)} data-testid={`nav-${p}`}>
                {t.pages[p]}
              </button>
            ))}
          </nav>
          <main class="admin-main" data-testid={`page-${current ?? 'none'}`}>
            {Page ? <Page key={`${user.id}-${current}`} /> : null}
          </main>
        </SessionContext.Provider>
      ) : user === undefined || (user && !site) ? (
        <p class="note">{common.loading}</p>
      ) : (
        <Login
          expired={expired}
          onLogin={(u) => {
            setExpired(false);
            setUser(u);
          }}
        />
      )}
    </div>
  );
}
