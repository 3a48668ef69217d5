'use strict';
const { createHash } = require('node:crypto');

/**
 * HTTP-in endpoints of the flows behind the same staff accounts, with HTTP Basic auth (what scripts
 * and webhooks can send). A good login is remembered for a minute, by a hash of the name and
 * password, so a busy endpoint does not run argon2 (and the service's login rate limit) on every
 * request.
 */
const CACHE_MS = 60_000;
const MAX_CACHED = 1000;
const ALLOWED_ROLES = ['admin', 'staff'];

function parseBasic(header) {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header || '');
  if (!m) return undefined;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

function createHttpNodeAuth(login, { now = Date.now, cacheMs = CACHE_MS } = {}) {
  const cache = new Map();
  const refuse = (res) => {
    res.statusCode = 401;
    res.setHeader('WWW-Authenticate', 'Basic realm="Tongxin Node-RED", charset="UTF-8"');
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ error: { code: 'TX_UNAUTHENTICATED', message: 'log in with a staff account (HTTP Basic)' } }));
  };
  return function tongxinHttpNodeAuth(req, res, next) {
    if (req.method === 'OPTIONS') return next();
    const creds = parseBasic(req.headers.authorization);
    if (!creds) return refuse(res);
    const key = createHash('sha256').update(`${creds.username}\u0000${creds.password}`).digest('hex');
    const until = cache.get(key);
    if (until !== undefined && until > now()) return next();
    cache.delete(key);
    login(creds.username, creds.password).then(
      (staff) => {
        if (!staff || !ALLOWED_ROLES.includes(staff.role)) return refuse(res);
        cache.set(key, now() + cacheMs);
        if (cache.size > MAX_CACHED) cache.delete(cache.keys().next().value);
        next();
      },
      () => refuse(res),
    );
  };
}

module.exports = { createHttpNodeAuth, parseBasic };
