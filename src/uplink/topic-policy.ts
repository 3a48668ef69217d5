import { compileFilter, siteTopics } from '../contract/topics.js';

/**
 * Which local messages leave the site, how they are kept while the uplink is down, and under which
 * topic they arrive centrally. Pure: the whole policy is table-tested without a broker.
 *
 * `private/…` (a resident's phone for the SMS flow) never leaves the Pi, whatever the site file
 * lists. Filters are relative to `tongxin/<site>/`.
 */

/** Drop order when the queue is over its bound: readings first, retained state last. */
export const QueueClass = { reading: 0, message: 1, state: 2 } as const;
export type QueueClass = (typeof QueueClass)[keyof typeof QueueClass];

/**
 * Topics the contract publishes retained (DESIGN.md §The MQTT contract). A broker clears the retain
 * flag on live deliveries to an MQTT 3.1.1 subscriber (aedes and Mosquitto both do), so the flag
 * alone cannot tell state from a message: these are forwarded retained and coalesced per topic.
 */
export const RETAINED_TOPICS = ['device/+/status', 'service/status', 'bin/+/state', 'point/+/state', 'garden/+/state', 'lounge/occupancy', 'actuator/+/state'];

/** High-volume telemetry: dropped first when the queue is full. */
const READING_TOPICS = ['sensor/+/raw', 'sensor/+/value', 'bridge/+/heartbeat'];

/** Never forwarded, whatever `topics` says. */
export const NEVER_FORWARDED = ['private/#'];

export type Decision =
  | { forward: true; centralTopic: string; retain: boolean; class: QueueClass }
  | { forward: false; reason: 'private' | 'excluded' | 'other-site' };

export interface TopicPolicy {
  /** The local filters to subscribe to. */
  readonly subscriptions: string[];
  decide(topic: string, retainedFlag: boolean): Decision;
  /** The central topic of a local one (the site root replaced by the prefix). */
  centralTopic(topic: string): string;
  /** Where the uplink says whether this site is connected (retained; its last will says offline). */
  readonly statusTopic: string;
}

export function createTopicPolicy(opts: { siteId: string; topics: readonly string[]; exclude: readonly string[]; topicPrefix?: string | undefined }): TopicPolicy {
  const root = siteTopics(opts.siteId).root;
  const rootLevels = root.split('/').length;
  const compile = (relative: readonly string[]) => relative.map((f) => compileFilter(`${root}/${f}`));
  const never = compile(NEVER_FORWARDED);
  const include = compile(opts.topics);
  const exclude = compile(opts.exclude);
  const retained = compile(RETAINED_TOPICS);
  const readings = compile(READING_TOPICS);
  const any = (tests: ((l: readonly string[]) => boolean)[], levels: readonly string[]) => tests.some((t) => t(levels));
  const prefix = opts.topicPrefix ?? root;
  const centralTopic = (topic: string) => (prefix === root ? topic : `${prefix}${topic.slice(root.length)}`);

  return {
    subscriptions: opts.topics.map((f) => `${root}/${f}`),
    statusTopic: `${prefix}/uplink/status`,
    centralTopic,
    decide(topic, retainedFlag) {
      const levels = topic.split('/');
      if (levels.length <= rootLevels || levels[0] !== 'tongxin' || levels[1] !== opts.siteId) return { forward: false, reason: 'other-site' };
      if (any(never, levels)) return { forward: false, reason: 'private' };
      if (!any(include, levels) || any(exclude, levels)) return { forward: false, reason: 'excluded' };
      const state = retainedFlag || any(retained, levels);
      return {
        forward: true,
        centralTopic: centralTopic(topic),
        retain: state,
        class: state ? QueueClass.state : any(readings, levels) ? QueueClass.reading : QueueClass.message,
      };
    },
  };
}
