/** The one place that talks HTTP to the service: same origin, JSON, no caching. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  const res = await fetch(path, { headers: { Accept: 'application/json' }, cache: 'no-store', signal });
  if (!res.ok) throw new ApiError(`GET ${path} answered ${res.status}`, res.status);
  return (await res.json()) as T;
}

/** The service's error body `{ error: { code, message, text? } }`; `text` is the refusal in both languages, for the kiosk to show. */
export interface ApiErrorBody {
  code: string;
  message: string;
  text?: { zh: string; en: string };
}

/** An error answer to a POST, with what the service said about it (if it said anything readable). */
export class ApiRefusal extends ApiError {
  constructor(
    message: string,
    status: number,
    readonly error: ApiErrorBody | undefined,
  ) {
    super(message, status);
    this.name = 'ApiRefusal';
  }
}

function errorBody(json: unknown): ApiErrorBody | undefined {
  const e = (json as { error?: unknown } | undefined)?.error;
  if (typeof e !== 'object' || e === null) return undefined;
  const { code, message, text } = e as Record<string, unknown>;
  if (typeof code !== 'string') return undefined;
  const t = text as { zh?: unknown; en?: unknown } | undefined;
  const both = t && typeof t.zh === 'string' && typeof t.en === 'string' ? { zh: t.zh, en: t.en } : undefined;
  return { code, message: typeof message === 'string' ? message : '', ...(both ? { text: both } : {}) };
}

/**
 * Sends one request, JSON both ways (a body only when there is one), and returns the JSON answer.
 * An error answer is thrown as what `refuse` makes of it: by default an `ApiRefusal`.
 */
export async function requestJson<T>(
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body?: unknown,
  signal?: AbortSignal,
  refuse: (status: number, json: unknown) => Error = (status, json) => new ApiRefusal(`${method} ${path} answered ${status}`, status, errorBody(json)),
): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    cache: 'no-store',
    credentials: 'same-origin',
    signal,
  });
  const json: unknown = await res.json().catch(() => undefined);
  if (!res.ok) throw refuse(res.status, json);
  return json as T;
}

/** POSTs JSON and returns the JSON answer. Anything personal goes in `body`, never in `path` (KIOSK.md). */
export const postJson = <T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> => requestJson<T>('POST', path, body, signal);
