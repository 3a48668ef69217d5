import { timingSafeEqual } from 'node:crypto';
import { verify } from '@node-rs/argon2';
import type { SiteConfig } from '../config/schema.js';
import type { Identity, NativeGrant } from './acl.js';

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
  const native = nativeGrants(config, deviceId);
  return {
    role: 'device',
    deviceId,
    sensors: new Set(config.sensors.filter((s) => s.device === deviceId).map((s) => s.id)),
    actuators: new Set(config.actuators.filter((a) => a.device === deviceId).map((a) => a.id)),
    ...(native.length > 0 ? { native } : {}),
  };
}

const rw = (filter: string): NativeGrant => ({ filter, publish: true, subscribe: true });
const readOnly = (filter: string): NativeGrant => ({ filter, publish: false, subscribe: true });

/**
 * The topics outside `tongxin/` that a device in `mqttNative` uses (the service republishes them
 * into the contract). Tasmota: its own `tele/` and `stat/` trees, and it reads its `cmnd/` tree.
 * ESPHome: everything under its topic_prefix (states, status, and the command topics it reads).
 * ChirpStack: the network server's integration is one client for every LoRaWAN device, so it
 * connects as the user of any one chirpstack device and may publish `application/<id>/#` for every
 * application named in the site file (events for devices not in the site file are simply not read);
 * downlink commands (`…/command/…`) are only read, never written, by it: it subscribes to
 * `application/+/device/+/command/+`, the filter ChirpStack v4 uses whatever its applications.
 * Everything else outside the site, Home Assistant discovery included, stays refused.
 */
export function nativeGrants(config: SiteConfig, deviceId: string): NativeGrant[] {
  const own = config.mqttNative.filter((n) => n.device === deviceId);
  const grants: NativeGrant[] = [];
  for (const n of own) {
    if (n.format === 'tasmota') grants.push(rw(`tele/${n.topic}/#`), rw(`stat/${n.topic}/#`), readOnly(`cmnd/${n.topic}/#`));
    if (n.format === 'esphome') grants.push(rw(`${n.prefix}/#`));
  }
  if (own.some((n) => n.format === 'chirpstack')) {
    const apps = [...new Set(config.mqttNative.flatMap((n) => (n.format === 'chirpstack' ? [n.application] : [])))];
    grants.push(readOnly('application/+/device/+/command/+'));
    for (const app of apps) grants.push(readOnly(`application/${app}/device/+/command/#`), rw(`application/${app}/#`));
  }
  return grants;
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
