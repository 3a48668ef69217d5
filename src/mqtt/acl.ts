import { TOPIC_ROOT, filterWithin, parseSiteTopic, siteTopics, topicMatches } from '../contract/topics.js';

/**
 * Who may publish and subscribe to what (DESIGN.md §Security model). Pure functions of an identity
 * and a topic, so the whole matrix is table-tested without a broker.
 */
export type Identity =
  | { role: 'service' }
  | { role: 'nodered' }
  | { role: 'observer' }
  | { role: 'anonymous-local' }
  | {
      role: 'device';
      deviceId: string;
      sensors: ReadonlySet<string>;
      actuators: ReadonlySet<string>;
      native?: readonly NativeGrant[];
      /** Set for a supervised firmware bridge: it also heart-beats on `bridge/<linkId>/heartbeat`. */
      linkId?: string;
    }
  | { role: 'crew'; crewId: string };

/**
 * A device that speaks its own MQTT dialect (site file `mqttNative`: Tasmota, ESPHome, ChirpStack)
 * publishes outside `tongxin/`: one grant per topic family it uses (auth.ts `nativeGrants`). For a
 * publish the first grant whose filter matches decides, so a narrower read-only grant (a command
 * topic) can sit before a wider one.
 */
export interface NativeGrant {
  filter: string;
  publish: boolean;
  subscribe: boolean;
}

export type AclDecision = { allowed: true } | { allowed: false; reason: string };

const allow: AclDecision = { allowed: true };
const deny = (reason: string): AclDecision => ({ allowed: false, reason });

export function canPublish(id: Identity, siteId: string, topic: string, retain: boolean, discoveryPrefix?: string): AclDecision {
  if (id.role === 'service') return allow;
  // Home Assistant, on an observer account (or anonymously on the demo's loopback listener), says it
  // is up or gone on <prefix>/status (its birth and last will); the service announces again on `online`.
  if (discoveryPrefix !== undefined && isReader(id) && topic === `${discoveryPrefix}/status`) return allow;
  const parsed = parseSiteTopic(siteId, topic);
  if (!parsed) return id.role === 'device' && id.native ? nativePublish(id.native, topic) : deny('outside this site');
  switch (id.role) {
    case 'anonymous-local':
      // Enough to play with the demo: feed readings in, never command or fake state.
      if (parsed.kind !== 'sensorRaw') return deny('anonymous clients may only publish sensor readings');
      return retain ? deny('sensor readings are not retained') : allow;
    case 'device':
      if (parsed.kind === 'sensorRaw') {
        if (!id.sensors.has(parsed.sensorId)) return deny(`sensor ${parsed.sensorId} is not on device ${id.deviceId}`);
        return retain ? deny('sensor readings are not retained') : allow;
      }
      if (parsed.kind === 'deviceStatus') {
        return parsed.deviceId === id.deviceId ? allow : deny('a device reports only its own status');
      }
      if (parsed.kind === 'actuatorState') {
        return id.actuators.has(parsed.actuatorId) ? allow : deny(`actuator ${parsed.actuatorId} is not on device ${id.deviceId}`);
      }
      if (parsed.kind === 'bridgeHeartbeat' && id.linkId !== undefined && parsed.linkId === id.linkId) {
        return retain ? deny('heartbeats are not retained') : allow;
      }
      return deny('devices publish readings, status and actuator state only');
    case 'crew':
      if (parsed.kind === 'crewAck' && parsed.crewId === id.crewId) return retain ? deny('acks are not retained') : allow;
      return deny('a crew publishes only its own acks');
    case 'nodered':
      // Node-RED acts only by asking the service (request/…), which applies its own rules: it never
      // writes state, commands an actuator, fakes a reading or speaks for a crew.
      if (retain) return deny('only the service writes retained state');
      if (topicMatches(siteTopics(siteId).requestAll, topic)) return allow;
      return deny('Node-RED publishes requests only');
    case 'observer':
      return deny('observers only read');
  }
}

export function canSubscribe(id: Identity, siteId: string, filter: string, discoveryPrefix?: string): AclDecision {
  // Only the service may see the whole broker (`#`, other sites, $SYS).
  if (id.role === 'service') return allow;
  const t = siteTopics(siteId);
  switch (id.role) {
    case 'nodered':
      // Its own site, personal data (private/…) included: the SMS flow needs the phone.
      return filterWithin(filter, t.all) ? allow : deny(`Node-RED reads only topics under ${t.root}/`);
    case 'anonymous-local':
    case 'observer':
      if (filterWithin(filter, t.privateAll)) return deny('private/… is for the service and Node-RED');
      // The service's Home Assistant discovery configs (retained), which point back into tongxin/<site>/.
      if (discoveryPrefix !== undefined && filterWithin(filter, `${discoveryPrefix}/#`)) return allow;
      return filterWithin(filter, t.all) ? allow : deny(`only topics under ${t.root}/`);
    case 'device': {
      // A device reads the commands for its own actuators; a native device also its own topics.
      if ([...id.actuators].some((a) => filterWithin(filter, t.actuatorSet(a)))) return allow;
      if (!reservedRoot(filter) && id.native?.some((g) => g.subscribe && filterWithin(filter, g.filter))) return allow;
      return deny('a device subscribes only to its own actuator commands (and native topics)');
    }
    case 'crew':
      return filterWithin(filter, t.crewAlert(id.crewId)) ? allow : deny('a crew reads only its own alerts');
  }
}

const isReader = (id: Identity) => id.role === 'observer' || id.role === 'anonymous-local';

/** The contract's root and $SYS are never reachable through a native grant, whatever the site file says. */
const reservedRoot = (topic: string) => {
  const first = topic.split('/', 1)[0] ?? '';
  return first === TOPIC_ROOT || first.startsWith('$') || first === '+' || first === '#';
};

function nativePublish(grants: readonly NativeGrant[], topic: string): AclDecision {
  if (reservedRoot(topic)) return deny('outside this site');
  const grant = grants.find((g) => topicMatches(g.filter, topic));
  if (!grant) return deny('a native device publishes only on its own topics');
  // Retained is fine here: Tasmota's LWT and ESPHome's states are retained by design.
  return grant.publish ? allow : deny(`${grant.filter} is read-only for devices`);
}

/**
 * Personal data (a promoted resident's phone for the SMS flow) travels only under `private/`. A
 * wildcard subscription such as `tongxin/<site>/#` is allowed to several roles, so delivery itself
 * is filtered (the broker's authorizeForward): `private/…` goes only to the service and Node-RED.
 */
export function canReceive(id: Identity, siteId: string, topic: string): boolean {
  if (id.role === 'service' || id.role === 'nodered') return true;
  const parsed = parseSiteTopic(siteId, topic);
  return !(parsed?.kind === 'other' && parsed.levels[0] === 'private');
}
