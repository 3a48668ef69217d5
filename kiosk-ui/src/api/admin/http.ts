import { ApiError, requestJson } from '../http.js';

/**
 * The admin page's one way to the service: same origin, JSON both ways, the session cookie sent
 * by the browser (HttpOnly: the page never sees it). A refusal keeps what the service said, so a
 * form can show the server's own words (`text` in both languages, or `message` and `details`).
 */
export interface Bilingual {
  zh: string;
  en: string;
}

export class AdminApiError extends ApiError {
  constructor(
    message: string,
    status: number,
    readonly code: string | undefined,
    readonly text: Bilingual | undefined,
    readonly details: { path: string; message: string }[],
  ) {
    super(message, status);
    this.name = 'AdminApiError';
  }
}

function refusal(method: string, path: string, status: number, json: unknown): AdminApiError {
  const e = (json as { error?: Record<string, unknown> } | undefined)?.error ?? {};
  const t = e.text as Partial<Bilingual> | undefined;
  const text = t && typeof t.zh === 'string' && typeof t.en === 'string' ? { zh: t.zh, en: t.en } : undefined;
  const details = Array.isArray(e.details)
    ? (e.details as unknown[]).flatMap((d) => {
        const { path: p, message } = (d ?? {}) as { path?: unknown; message?: unknown };
        return typeof message === 'string' ? [{ path: typeof p === 'string' ? p : '', message }] : [];
      })
    : [];
  const message = typeof e.message === 'string' && e.message ? e.message : `${method} ${path} answered ${status}`;
  return new AdminApiError(message, status, typeof e.code === 'string' ? e.code : undefined, text, details);
}

export const request = <T>(method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown, signal?: AbortSignal): Promise<T> =>
  requestJson<T>(method, path, body, signal, (status, json) => refusal(method, path, status, json));

export const get = <T>(path: string, signal?: AbortSignal) => request<T>('GET', path, undefined, signal);
export const post = <T>(path: string, body: unknown = {}) => request<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown) => request<T>('PATCH', path, body);

/** The session has ended (or never began): the page goes back to its login form. */
export const isLoggedOut = (err: unknown): boolean => err instanceof ApiError && err.status === 401;
