import { timingSafeEqual } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type { SiteConfig } from '../config/schema.js';
import type { Identity } from './acl.js';

/**
 * Turns CONNECT credentials into an identity. Configured users carry argon2 hashes; the service and
 * its in-process helpers (simulator, Node-RED) get random credentials minted at each start, which
 * never leave the process except to a supervised child's environment.
 */
export interface InternalCredential {
  username: string;
  password: string;
  identity: Identity;
}

export type AuthResult = { ok: true; identity: Identity } | { ok: false; reason: 'bad-credentials' | 'anonymous-refused' };

/** Client ids under this prefix belong to the service's own clients: nobody else may take them over. */
export const RESERVED_CLIENT_PREFIX = 'tongxin-';

export function deviceIdentity(config: SiteConfig, deviceId: string): Identity {
  return {
    role: 'device',
    deviceId,
    sensors: new Set(config.sensors.filter((s) => s.device === deviceId).map((s) => s.id)),
    actuators: new Set(config.actuators.filter((a) => a.device === deviceId).map((a) => a.id)),
  };
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function createAuthenticator(config: SiteConfig, internal: InternalCredential[]) {
  const users = new Map(config.mqtt.users.map((u) => [u.username, u]));
  const internals = new Map(internal.map((c) => [c.username, c]));

  return async function authenticate(opts: {
    clientId: string;
    username: string | undefined;
    password: Buffer | undefined;
    anonymousLocalAllowed: boolean;
  }): Promise<AuthResult> {
    const { username, password } = opts;
    if (username === undefined || username === '') {
      if (!opts.anonymousLocalAllowed) return { ok: false, reason: 'anonymous-refused' };
      if (opts.clientId.startsWith(RESERVED_CLIENT_PREFIX)) return { ok: false, reason: 'bad-credentials' };
      return { ok: true, identity: { role: 'anonymous-local' } };
    }
    const secret = password?.toString('utf8') ?? '';
    const own = internals.get(username);
    if (own) return sameSecret(own.password, secret) ? { ok: true, identity: own.identity } : { ok: false, reason: 'bad-credentials' };
    if (opts.clientId.startsWith(RESERVED_CLIENT_PREFIX)) return { ok: false, reason: 'bad-credentials' };
    const user = users.get(username);
    if (!user || !(await verify(user.passwordHash, secret).catch(() => false))) return { ok: false, reason: 'bad-credentials' };
    switch (user.role) {
      case 'device':
        return { ok: true, identity: deviceIdentity(config, user.device as string) };
      case 'crew':
        return { ok: true, identity: { role: 'crew', crewId: user.crew as string } };
      case 'nodered':
        return { ok: true, identity: { role: 'nodered' } };
      case 'observer':
        return { ok: true, identity: { role: 'observer' } };
    }
  };
}
export type Authenticator = ReturnType<typeof createAuthenticator>;
