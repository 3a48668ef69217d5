import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Counters } from '../core/counters.js';
import type { Logger } from '../core/log.js';
import { compileFilter } from '../contract/topics.js';

/**
 * The service's own MQTT client, to its embedded broker or an external one. Modules subscribe with a
 * handler; one message is dispatched to every matching handler, and a handler that throws is
 * counted and logged without affecting the others or the connection.
 */
export type MessageHandler = (topic: string, payload: Buffer, retained: boolean) => void;

export interface MqttConnection {
  subscribe(filter: string, handler: MessageHandler, qos?: 0 | 1): Promise<void>;
  unsubscribe(filter: string, handler: MessageHandler): Promise<void>;
  publish(topic: string, payload: string | Buffer, opts?: { qos?: 0 | 1; retain?: boolean }): Promise<void>;
  connected(): boolean;
  close(): Promise<void>;
  readonly client: MqttClient;
}

export async function connectMqtt(opts: {
  url: string;
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  will?: { topic: string; payload: string; retain: boolean; qos: 0 | 1 };
  log: Logger;
  counters: Counters;
}): Promise<MqttConnection> {
  const { log, counters } = opts;
  const handlers: { filter: string; matches: (levels: readonly string[]) => boolean; handler: MessageHandler }[] = [];
  const options: IClientOptions = {
    clientId: opts.clientId,
    clean: true,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
    ...(opts.will ? { will: opts.will } : {}),
  };
  const client = await mqtt.connectAsync(opts.url, options);
  let wasConnected = true;
  let closing = false;
  client.on('connect', () => {
    if (!wasConnected) log.info({ url: opts.url }, 'broker connection restored');
    wasConnected = true;
  });
  client.on('close', () => {
    if (wasConnected && !closing) log.warn({ url: opts.url }, 'broker connection lost; reconnecting');
    wasConnected = false;
  });
  client.on('error', (err) => log.warn({ err: err.message }, 'mqtt client error'));
  client.on('message', (topic, payload, packet) => {
    const levels = topic.split('/');
    for (const { filter, matches, handler } of handlers) {
      if (!matches(levels)) continue;
      try {
        handler(topic, payload, packet.retain);
      } catch (err) {
        counters.inc('mqtt_handler_errors', filter);
        log.error({ err, topic }, 'message handler failed');
      }
    }
  });

  return {
    client,
    async subscribe(filter, handler, qos = 1) {
      handlers.push({ filter, matches: compileFilter(filter), handler });
      const granted = await client.subscribeAsync(filter, { qos });
      if (granted.some((g) => g.qos === 128)) throw new Error(`broker refused subscription to ${filter}`);
    },
    async unsubscribe(filter, handler) {
      const i = handlers.findIndex((h) => h.filter === filter && h.handler === handler);
      if (i >= 0) handlers.splice(i, 1);
      if (!handlers.some((h) => h.filter === filter) && client.connected) await client.unsubscribeAsync(filter);
    },
    async publish(topic, payload, o = {}) {
      await client.publishAsync(topic, payload, { qos: o.qos ?? 1, retain: o.retain ?? false });
    },
    connected: () => client.connected,
    async close() {
      closing = true;
      await client.endAsync();
    },
  };
}
