import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useRef, useState } from 'preact/hooks';
import { AdminApiError, isLoggedOut } from '../api/admin/http.js';
import type { StaffUser } from '../api/admin/staff.js';
import { useLang, type Lang } from '../app/i18n.js';
import { useCommon } from './strings.js';

/** What every admin page shares: the site's zone, who is logged in, and how to say "logged out". */
export interface AdminSession {
  tz: string;
  user: StaffUser;
  /** Called when the service answers 401: the page returns to its login form. */
  loggedOut(): void;
}

export const SessionContext = createContext<AdminSession | null>(null);

export function useSession(): AdminSession {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a logged-in page');
  return s;
}

/** A failure as words for the person at the desk, in their language. */
export function errorText(err: unknown, lang: Lang, common: { unreachable: string; loggedOut: string }): string {
  if (isLoggedOut(err)) return common.loggedOut;
  if (err instanceof AdminApiError) {
    if (err.text) return err.text[lang];
    const details = err.details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message));
    return [err.message, ...details.filter((d) => !err.message.includes(d))].join(' · ');
  }
  return common.unreachable;
}

export function ErrorNote(props: { error: unknown; testid?: string }) {
  const lang = useLang();
  const common = useCommon();
  if (props.error === undefined || props.error === null) return null;
  return (
    <p class="note note-error" role="alert" data-testid={props.testid ?? 'error'}>
      {errorText(props.error, lang, common)}
    </p>
  );
}

/**
 * Runs a request for a page: keeps its data, its error and whether it is loading; a 401 logs the
 * page out. `reload()` asks again; a newer answer always wins over an older one.
 */
export function useLoad<T>(load: (signal: AbortSignal) => Promise<T>, deps: unknown[]) {
  const session = useContext(SessionContext);
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    loadRef.current(ctl.signal).then(
      (data) => !ctl.signal.aborted && setState({ data, loading: false }),
      (error: unknown) => {
        if (ctl.signal.aborted) return;
        if (isLoggedOut(error)) session?.loggedOut();
        setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
    return () => ctl.abort();
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** For a form or a button: runs an action, keeps its error, logs out on 401; resolves true when it worked. */
export function useAction() {
  const session = useContext(SessionContext);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const run = useCallback(
    async (action: () => Promise<unknown>): Promise<boolean> => {
      setBusy(true);
      setError(undefined);
      try {
        await action();
        return true;
      } catch (err) {
        if (isLoggedOut(err)) session?.loggedOut();
        setError(err);
        return false;
      } finally {
        setBusy(false);
      }
    },
    [session],
  );
  return { busy, error, run, clear: () => setError(undefined) };
}
