'use strict';
/**
 * Checks a user name and password against the service's staff accounts (POST /api/staff/login), so
 * the editor and the HTTP-in endpoints use the same accounts, roles and argon2 hashes as the admin
 * page. The service session it opens is ended at once: Node-RED keeps its own.
 */
const ROLES = ['admin', 'staff', 'committee'];
const TIMEOUT_MS = 10_000;

function createStaffLogin({ baseUrl, fetch = globalThis.fetch, log = console }) {
  const base = String(baseUrl || '').replace(/\/+$/, '');
  if (!base) log.warn('[tongxin] TONGXIN_HTTP_URL is not set: nobody can log in to Node-RED');

  return async function login(username, password) {
    if (!base) return null;
    if (typeof username !== 'string' || typeof password !== 'string' || !username || !password) return null;
    if (username.length > 64 || password.length > 256) return null;
    let res;
    try {
      res = await fetch(`${base}/api/staff/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      log.warn(`[tongxin] staff login: the service at ${base} did not answer (${err.message})`);
      return null;
    }
    if (res.status !== 200) {
      if (res.status === 429) log.warn('[tongxin] staff login: the service is rate-limiting logins from Node-RED');
      await res.body?.cancel().catch(() => undefined);
      return null;
    }
    const body = await res.json().catch(() => null);
    const user = body && body.user;
    if (!user || typeof user.username !== 'string' || !ROLES.includes(user.role)) return null;
    const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
    if (cookie) {
      fetch(`${base}/api/staff/logout`, { method: 'POST', headers: { cookie }, signal: AbortSignal.timeout(TIMEOUT_MS) })
        .then((r) => r.body?.cancel())
        .catch(() => undefined);
    }
    return { username: user.username, role: user.role };
  };
}

module.exports = { createStaffLogin, ROLES };
