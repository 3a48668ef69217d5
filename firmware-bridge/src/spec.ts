import type { SiteConfig } from '../../src/config/schema.js';
import type { ActuatorKind, BridgeSpec } from './bridge.js';
import { linkActuators } from '../../src/config/links-check.js';

/**
 * Everything one bridge process needs, cut from the site file. The supervising service passes it in
 * the child's environment (with broker credentials minted for this run), so the child needs no
 * site file and no secret on disk; `tongxin bridge --site FILE` builds the same thing by hand.
 */
export const SPEC_ENV = 'TONGXIN_BRIDGE_SPEC';

export function bridgeSpecFor(config: SiteConfig, linkId: string, mqtt: BridgeSpec['mqtt'], heartbeatSeconds = 0): BridgeSpec {
  const link = config.links.find((l) => l.id === linkId);
  if (!link) {
    const known = config.links.map((l) => l.id).join(', ') || 'none';
    throw new Error(`no link "${linkId}" in the site file (links: ${known})`);
  }
  const kinds = new Map(config.actuators.map((a) => [a.id, a.kind]));
  const actuators: Record<string, ActuatorKind> = {};
  for (const { id } of linkActuators(link)) {
    const kind = kinds.get(id);
    if (kind) actuators[id] = kind;
  }
  return { siteId: config.site.id, link, actuators, mqtt, heartbeatSeconds };
}

export function specFromEnv(env: NodeJS.ProcessEnv = process.env): BridgeSpec | undefined {
  const raw = env[SPEC_ENV];
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as BridgeSpec;
  } catch (err) {
    throw new Error(`${SPEC_ENV} is not valid JSON: ${(err as Error).message}`);
  }
}
