'use strict';
/**
 * The editor and admin API behind a login (Node-RED's `adminAuth`, type credentials) with the
 * service's staff accounts: an admin may change flows ('*'), staff may look ('read'), the committee
 * has no business here. Node-RED asks `users(name)` on every request with a token, so the users who
 * logged in are remembered here; after a restart they log in again.
 */
const PERMISSIONS = { admin: '*', staff: 'read' };
const SESSION_HOURS = 8; // as the service's own staff sessions
const MAX_REMEMBERED = 200;

function createAdminAuth(login) {
  const known = new Map();
  return {
    type: 'credentials',
    sessionExpiryTime: SESSION_HOURS * 3600,
    users: async (username) => known.get(username) || null,
    authenticate: async (username, password) => {
      const staff = await login(username, password);
      const permissions = staff && PERMISSIONS[staff.role];
      if (!permissions) return null;
      const user = { username: staff.username, permissions };
      known.delete(user.username);
      known.set(user.username, user);
      if (known.size > MAX_REMEMBERED) known.delete(known.keys().next().value);
      return user;
    },
  };
}

module.exports = { createAdminAuth, PERMISSIONS };
