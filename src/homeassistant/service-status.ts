import type { SiteTopics } from '../contract/topics.js';
import type { Logger } from '../core/log.js';
import type { MqttConnection } from '../mqtt/connection.js';

/**
 * The service's own availability on `service/status`: `online` retained at every (re)connection,
 * `offline` retained when it stops, and as its last will when it dies or loses the broker. Home
 * Assistant's entities follow it; so can Node-RED and a central site.
 */
export const serviceWill = (topics: SiteTopics) => ({ topic: topics.serviceStatus, payload: 'offline', retain: true, qos: 1 as const });

const STOP_PUBLISH_TIMEOUT_MS = 2000;

export function announceServiceStatus(mqtt: MqttConnection, topics: SiteTopics, log: Logger) {
  const publish = (status: 'online' | 'offline') => mqtt.publish(topics.serviceStatus, status, { qos: 1, retain: true });
  // After a lost connection the broker has published the will: say `online` again on reconnect.
  const online = () => void publish('online').catch((err: unknown) => log.warn({ err: (err as Error).message }, 'could not publish the service status'));
  mqtt.client.on('connect', online);
  online();
  return {
    async stop() {
      mqtt.client.off('connect', online);
      if (!mqtt.connected()) return;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((r) => (timer = setTimeout(r, STOP_PUBLISH_TIMEOUT_MS)));
      await Promise.race([publish('offline').catch(() => undefined), timeout]);
      clearTimeout(timer);
    },
  };
}
