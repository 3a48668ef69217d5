/**
 * The MQTT topic contract (DESIGN.md §The MQTT contract). Every topic is built here; nothing else
 * in the code writes a topic string by hand, so the bridge, the flows and the crews share one truth.
 */
export const TOPIC_ROOT = 'tongxin';

/** Ids appear inside topics, so they may not contain MQTT separators or wildcards. */
export const ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$';
const ID_RE = new RegExp(ID_PATTERN);
export const isValidId = (id: string): boolean => ID_RE.test(id);

export function siteTopics(siteId: string) {
  const root = `${TOPIC_ROOT}/${siteId}`;
  return {
    root,
    all: `${root}/#`,
    sensorRaw: (sensorId: string) => `${root}/sensor/${sensorId}/raw`,
    sensorRawAny: `${root}/sensor/+/raw`,
    /** service → all: every accepted reading, calibrated (what `/api/sensors` shows). */
    sensorValue: (sensorId: string) => `${root}/sensor/${sensorId}/value`,
    deviceStatus: (deviceId: string) => `${root}/device/${deviceId}/status`,
    deviceStatusAny: `${root}/device/+/status`,
    binState: (binId: string) => `${root}/bin/${binId}/state`,
    pointState: (pointId: string) => `${root}/point/${pointId}/state`,
    gardenState: (bedId: string) => `${root}/garden/${bedId}/state`,
    loungeOccupancy: `${root}/lounge/occupancy`,
    /** service → all, retained, also its last will: `online` / `offline` (Home Assistant's availability). */
    serviceStatus: `${root}/service/status`,
    actuatorSet: (actuatorId: string) => `${root}/actuator/${actuatorId}/set`,
    actuatorState: (actuatorId: string) => `${root}/actuator/${actuatorId}/state`,
    actuatorStateAny: `${root}/actuator/+/state`,
    alert: (kind: string) => `${root}/alert/${kind}`,
    crewAlert: (crewId: string) => `${root}/crew/${crewId}/alert`,
    crewAck: (crewId: string) => `${root}/crew/${crewId}/ack`,
    crewAckAny: `${root}/crew/+/ack`,
    event: (name: string) => `${root}/event/${name}`,
    /** service → service and Node-RED only: an event's personal data (a phone), kept off `event/`. */
    privateEvent: (name: string) => `${root}/private/${name}`,
    privateAll: `${root}/private/#`,
    /** Node-RED → service: ask for an actuator to be moved; the service applies its own rules. */
    actuatorRequest: (actuatorId: string) => `${root}/request/actuator/${actuatorId}`,
    actuatorRequestAny: `${root}/request/actuator/+`,
    /** Node-RED → service: ack or resolve an alert. */
    alertRequest: (alertId: string) => `${root}/request/alert/${alertId}`,
    alertRequestAny: `${root}/request/alert/+`,
    requestAll: `${root}/request/#`,
    /** service → Node-RED: the answer to one request, by its requestId. */
    reply: (requestId: string) => `${root}/reply/${requestId}`,
    /** bridge → service: a supervised bridge is alive (and how its link is doing). */
    bridgeHeartbeat: (linkId: string) => `${root}/bridge/${linkId}/heartbeat`,
    bridgeHeartbeatAny: `${root}/bridge/+/heartbeat`,
  };
}
export type SiteTopics = ReturnType<typeof siteTopics>;

/** The captured ids of a topic under a site root, or undefined when it is not ours. */
export type ParsedTopic =
  | { kind: 'sensorRaw'; sensorId: string }
  | { kind: 'deviceStatus'; deviceId: string }
  | { kind: 'actuatorSet'; actuatorId: string }
  | { kind: 'actuatorState'; actuatorId: string }
  | { kind: 'crewAlert'; crewId: string }
  | { kind: 'crewAck'; crewId: string }
  | { kind: 'bridgeHeartbeat'; linkId: string }
  | { kind: 'actuatorRequest'; actuatorId: string }
  | { kind: 'alertRequest'; alertId: string }
  | { kind: 'other'; levels: string[] };

export function parseSiteTopic(siteId: string, topic: string): ParsedTopic | undefined {
  const levels = topic.split('/');
  if (levels[0] !== TOPIC_ROOT || levels[1] !== siteId) return undefined;
  const rest = levels.slice(2);
  const [a, id, b] = rest;
  if (rest.length === 3 && id !== undefined && isValidId(id)) {
    if (a === 'sensor' && b === 'raw') return { kind: 'sensorRaw', sensorId: id };
    if (a === 'device' && b === 'status') return { kind: 'deviceStatus', deviceId: id };
    if (a === 'actuator' && b === 'set') return { kind: 'actuatorSet', actuatorId: id };
    if (a === 'actuator' && b === 'state') return { kind: 'actuatorState', actuatorId: id };
    if (a === 'crew' && b === 'alert') return { kind: 'crewAlert', crewId: id };
    if (a === 'crew' && b === 'ack') return { kind: 'crewAck', crewId: id };
    if (a === 'bridge' && b === 'heartbeat') return { kind: 'bridgeHeartbeat', linkId: id };
  }
  // request/<what>/<id>: the id is the last level here.
  if (rest.length === 3 && a === 'request' && b !== undefined && isValidId(b)) {
    if (id === 'actuator') return { kind: 'actuatorRequest', actuatorId: b };
    if (id === 'alert') return { kind: 'alertRequest', alertId: b };
  }
  return { kind: 'other', levels: rest };
}

/**
 * A topic filter (with + and #) compiled once into a test on a topic's levels (MQTT 3.1.1 §4.7):
 * the service's router checks every incoming message against each subscription.
 */
export function compileFilter(filter: string): (topicLevels: readonly string[]) => boolean {
  const f = filter.split('/');
  const wildcardFirst = f[0] === '#' || f[0] === '+';
  return (t) => {
    // §4.7.2: wildcards at the first level do not match topics starting with $.
    if (wildcardFirst && t[0]?.startsWith('$')) return false;
    for (let i = 0; i < f.length; i++) {
      const level = f[i];
      if (level === '#') return true;
      if (i >= t.length) return false;
      if (level !== '+' && level !== t[i]) return false;
    }
    return f.length === t.length;
  };
}

/** Does a topic filter (with + and #) match a concrete topic? */
export function topicMatches(filter: string, topic: string): boolean {
  return compileFilter(filter)(topic.split('/'));
}

/**
 * Is every topic that `filter` can match also matched by `allowed`? Used by the broker's ACL: a
 * client may subscribe to `tongxin/s/sensor/+/raw` when it is allowed `tongxin/s/#`, but not to
 * `tongxin/+/#`, which reaches other sites.
 */
export function filterWithin(filter: string, allowed: string): boolean {
  const f = filter.split('/');
  const a = allowed.split('/');
  for (let i = 0; i < a.length; i++) {
    const level = a[i];
    if (level === '#') return true;
    const fl = f[i];
    if (fl === undefined) return false;
    if (fl === '#') return false;
    if (level === '+') continue;
    if (fl === '+' || fl !== level) return false;
  }
  return f.length === a.length;
}
