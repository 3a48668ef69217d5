import { randomBytes } from 'node:crypto';
import type { SiteConfig } from '../config/schema.js';
import { deviceIdentity, type InternalCredential } from './auth.js';

/**
 * Credentials minted at each start for the service's own client and for each simulated device. They
 * live only in this process's memory, so there is no secret to leak from the site file.
 */
export interface InternalCredentials {
  service: InternalCredential;
  simulated: Map<string, InternalCredential>;
  /** One per configured link: its bridge speaks for the link's device. */
  bridges: Map<string, InternalCredential>;
  /** The supervised Node-RED's own account (role nodered), passed in its environment. */
  nodered: InternalCredential;
  all: InternalCredential[];
}

const secret = () => randomBytes(24).toString('base64url');

export function mintInternalCredentials(config: SiteConfig): InternalCredentials {
  const service: InternalCredential = { username: 'tongxin-service', password: secret(), identity: { role: 'service' } };
  const simulated = new Map(
    config.devices
      .filter((d) => d.link === 'simulated')
      .map((d) => [d.id, { username: `tongxin-sim-${d.id}`, password: secret(), identity: deviceIdentity(config, d.id) }] as const),
  );
  const bridges = new Map(
    config.links.map((l) => [l.id, { username: `tongxin-bridge-${l.id}`, password: secret(), identity: { ...deviceIdentity(config, l.device), linkId: l.id } }] as const),
  );
  const nodered: InternalCredential = { username: 'tongxin-nodered', password: secret(), identity: { role: 'nodered' } };
  return { service, simulated, bridges, nodered, all: [service, ...simulated.values(), ...bridges.values(), nodered] };
}
