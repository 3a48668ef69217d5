import { pick, type Lang } from '../../app/i18n.js';
import { ApiError, ApiRefusal } from '../../api/http.js';
import type { HealthStrings } from './strings.js';

/**
 * What to tell a resident when a request did not succeed. The server explains its refusals in both
 * languages (src/health/messages.ts: already signed up, weekly limit, closed, wrong code…); for
 * anything it did not explain, a plain sentence that says what to do next.
 */
export function refusalText(err: unknown, lang: Lang, s: HealthStrings): string {
  if (err instanceof ApiRefusal && err.error?.text) return pick(err.error.text, lang);
  if (err instanceof ApiError) {
    if (err.status === 429) return s.busy;
    if (err.status >= 500) return s.offline;
    return s.failed;
  }
  // fetch() rejects with a TypeError when the server cannot be reached at all.
  return s.offline;
}
