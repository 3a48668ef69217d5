import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/log.js';
import type { SiteTopics } from '../contract/topics.js';
import { createOutbox, type OutboxMessage } from '../store/outbox.js';
import type { Db } from '../store/db.js';
import type { MqttConnection } from './connection.js';

/**
 * The one outbox of the service: modules add messages inside their own transactions (so a message
 * exists if and only if the change it announces was committed), and one dispatcher publishes them.
 * `publishEvent` is how domains tell Node-RED what happened (`event/signup.created`, …).
 */
export interface OutboxService {
  add(message: OutboxMessage): void;
  publishEvent(name: string, payload: Record<string, unknown>): void;
  /** Publish what is waiting now rather than at the next tick. */
  kick(): void;
  pending(): number;
  start(): void;
  stop(): Promise<void>;
}

export function createOutboxService(opts: { db: Db; mqtt: MqttConnection; topics: SiteTopics; clock: Clock; log: Logger; everyMs?: number }): OutboxService {
  const outbox = createOutbox(opts.db);
  let timer: NodeJS.Timeout | undefined;
  let scheduled = false;
  let running: Promise<void> = Promise.resolve();
  const dispatch = () => {
    running = outbox
      .dispatch((m) => opts.mqtt.publish(m.topic, m.payload, { qos: m.qos, retain: m.retain }), opts.clock.now)
      .then(
        () => undefined,
        (err: unknown) => opts.log.warn({ err: (err as Error).message }, 'outbox dispatch interrupted; will retry'),
      );
  };
  const service: OutboxService = {
    add: (m) => outbox.add(m, opts.clock.now()),
    publishEvent(name, payload) {
      outbox.add({ topic: opts.topics.event(name), payload: JSON.stringify({ ...payload, event: name, at: new Date(opts.clock.now()).toISOString() }), qos: 1, retain: false }, opts.clock.now());
      service.kick();
    },
    kick() {
      // After the caller's transaction has committed: a rolled-back message is never seen.
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        dispatch();
      });
    },
    pending: () => outbox.pending(),
    start() {
      timer = setInterval(dispatch, opts.everyMs ?? 1000);
      timer.unref();
      dispatch();
    },
    async stop() {
      if (timer) clearInterval(timer);
      await running;
    },
  };
  return service;
}
