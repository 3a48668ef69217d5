import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { childLogger } from '../core/log.js';
import type { Module } from '../core/module.js';
import { packageRoot } from '../core/paths.js';
import type { ModuleDeps } from '../deps.js';
import { announcedStore, nextAnnounced } from './announced-store.js';
import { discoveryMessages } from './discovery.js';

export const HA_DISCOVERY = 'homeassistant_discovery';
/** A message on `<prefix>/status` that is neither Home Assistant's `online` nor `offline`. */
export const HA_STATUS_REJECTED = 'homeassistant_status_rejected';
/** Several births in a row (Home Assistant restarting, two instances) lead to one announcement. */
const BIRTH_COALESCE_MS = 250;

/**
 * Home Assistant MQTT discovery: at start, the retained config of every entity (discovery.ts), and
 * an empty retained payload for every config announced before that is no longer in the site file,
 * which makes Home Assistant remove the entity. When Home Assistant says it is online on
 * `<prefix>/status` (its birth message: it has restarted, or its broker forgot the retained
 * messages), and when the service reconnects to the broker, everything is announced again.
 * Turned off, it clears what an earlier run announced and does nothing else.
 */
export function createHomeAssistantModule(deps: ModuleDeps): Module {
  const { config, mqtt, store, counters, topics } = deps;
  const log = childLogger(deps.log, 'homeassistant');
  const { enabled, discoveryPrefix } = config.homeassistant;
  const statusTopic = `${discoveryPrefix}/status`;
  const records = announcedStore(store);
  const messages = enabled ? discoveryMessages(config, topics, { prefix: discoveryPrefix, version: packageVersion() }) : [];
  let retired: string[] = [];
  let birthTimer: NodeJS.Timeout | undefined;

  const send = (topic: string, payload: string) =>
    void mqtt.publish(topic, payload, { qos: 1, retain: true }).catch((err: unknown) => {
      counters.inc(HA_DISCOVERY, 'failed');
      log.warn({ topic, err: (err as Error).message }, 'could not publish a discovery config');
    });

  // mqtt.js sends in call order: the removals go first, so an id that moved never exists twice.
  const announce = (why: string) => {
    for (const topic of retired) send(topic, '');
    for (const m of messages) send(m.topic, JSON.stringify(m.config));
    counters.inc(HA_DISCOVERY, 'announced', messages.length);
    if (retired.length > 0) counters.inc(HA_DISCOVERY, 'removed', retired.length);
    log.info({ why, configs: messages.length, removed: retired.length }, 'Home Assistant discovery announced');
  };

  const onStatus = (_topic: string, payload: Buffer) => {
    const status = payload.length <= 16 ? payload.toString('utf8').trim() : '';
    if (status === 'offline') return; // its last will: the retained configs wait on the broker
    if (status !== 'online') {
      counters.inc(HA_STATUS_REJECTED, 'unknown-status');
      return;
    }
    if (birthTimer) return;
    birthTimer = setTimeout(() => {
      birthTimer = undefined;
      announce('home-assistant-online');
    }, BIRTH_COALESCE_MS);
    birthTimer.unref();
  };
  const onReconnect = () => announce('reconnected');

  return {
    name: 'homeassistant',
    async start() {
      const next = nextAnnounced(records.read(), messages.map((m) => m.topic));
      records.write(next);
      retired = next.retired;
      if (!enabled) {
        for (const topic of retired) send(topic, '');
        if (retired.length > 0) log.info({ removed: retired.length }, 'Home Assistant discovery is off: earlier configs cleared');
        return;
      }
      announce('start');
      await mqtt.subscribe(statusTopic, onStatus, 1);
      mqtt.client.on('connect', onReconnect);
    },
    async stop() {
      if (birthTimer) clearTimeout(birthTimer);
      birthTimer = undefined;
      if (!enabled) return;
      mqtt.client.off('connect', onReconnect);
      await mqtt.unsubscribe(statusTopic, onStatus).catch(() => undefined);
    },
  };
}

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
