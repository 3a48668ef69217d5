import type { MqttNativeDeviceConfig } from '../config/links-schema.js';
import { childLogger } from '../core/log.js';
import type { Module } from '../core/module.js';
import { createThrottledWarn } from '../core/throttled-log.js';
import type { ModuleDeps } from '../deps.js';
import type { MessageHandler } from '../mqtt/connection.js';
import { chirpstackFilters, translateChirpstack } from './native/chirpstack.js';
import { esphomeFilters, translateEsphome } from './native/esphome.js';
import type { NativeResult } from './native/field-path.js';
import { tasmotaFilters, translateTasmota } from './native/tasmota.js';

export const NATIVE_REJECTED = 'native_rejected';
export const NATIVE_IGNORED = 'native_ignored';
export const NATIVE_REPUBLISHED = 'native_republished';

/**
 * Devices that speak MQTT themselves (Tasmota, ESPHome, ChirpStack; site file `mqttNative`): the
 * service subscribes to their own topics on the same broker, translates each payload, and publishes
 * the result into the contract as `sensor/<id>/raw` and `device/<id>/status`. From there on they are
 * like any other device: the ingest module calibrates and stores, the devices module tracks
 * presence, and Node-RED, the uplink and Home Assistant read the same topics as for our own nodes.
 */
export function createNativeModule(deps: ModuleDeps): Module {
  const { config, mqtt, clock, counters, topics } = deps;
  const log = childLogger(deps.log, 'native');
  const warn = createThrottledWarn(log, { now: clock.now });
  const subscriptions: { filter: string; handler: MessageHandler }[] = [];

  const translate = (d: MqttNativeDeviceConfig, topic: string, payload: Buffer): NativeResult => {
    const now = clock.now();
    switch (d.format) {
      case 'tasmota':
        return translateTasmota(d, topic, payload, now, config.site.timezone);
      case 'esphome':
        return translateEsphome(d, topic, payload, now);
      case 'chirpstack':
        return translateChirpstack(d, topic, payload, now);
    }
  };
  const filtersOf = (d: MqttNativeDeviceConfig): string[] =>
    d.format === 'tasmota' ? tasmotaFilters(d) : d.format === 'esphome' ? esphomeFilters(d) : chirpstackFilters(d);

  const rejected = (reason: string, fields: Record<string, unknown>) => {
    counters.inc(NATIVE_REJECTED, reason);
    warn(reason, { ...fields, reason }, 'native message rejected');
  };

  const publish = (topic: string, payload: string, opts: { qos: 0 | 1; retain: boolean }) => {
    mqtt.publish(topic, payload, opts).then(
      () => counters.inc(NATIVE_REPUBLISHED),
      (err: unknown) => {
        counters.inc(NATIVE_REJECTED, 'publish-failed');
        warn('publish-failed', { topic, err: String(err) }, 'could not republish a native message');
      },
    );
  };

  const onMessage = (d: MqttNativeDeviceConfig, topic: string, payload: Buffer, retained: boolean) => {
    const result = translate(d, topic, payload);
    if ('reject' in result) return rejected(result.reject, { device: d.device, topic, detail: result.detail });
    if ('status' in result) {
      // Retained and QoS 1, as the contract has it: also what a device's own last will would be.
      return publish(topics.deviceStatus(d.device), result.status, { qos: 1, retain: true });
    }
    for (const s of result.skipped) rejected(s.reject, { device: d.device, topic, sensorId: s.sensorId, detail: s.detail });
    for (const r of result.readings) {
      if (retained && !r.timed) {
        // A retained state (ESPHome retains by default) is the device's last word, possibly from
        // hours ago; without a time of its own it would be stored as a fresh reading and make a
        // dead device look alive. Its next live state comes within one update interval.
        counters.inc(NATIVE_IGNORED, 'retained-untimed');
        continue;
      }
      const body = { value: r.value, at: new Date(r.at).toISOString(), ...(r.seq === undefined ? {} : { seq: r.seq }) };
      publish(topics.sensorRaw(r.sensorId), JSON.stringify(body), { qos: 0, retain: false });
    }
  };

  return {
    name: 'native-sensors',
    async start() {
      const owner = new Map<string, string>();
      for (const d of config.mqttNative) {
        for (const filter of filtersOf(d)) {
          // Two entries on one topic (a copied Tasmota topic, say) would each claim every message.
          const other = owner.get(filter);
          if (other !== undefined) {
            log.error({ filter, device: d.device, claimedBy: other }, 'two mqttNative devices share a topic; the second is not subscribed to it');
            continue;
          }
          owner.set(filter, d.device);
          const handler: MessageHandler = (topic, payload, retained) => onMessage(d, topic, payload, retained);
          subscriptions.push({ filter, handler });
          await mqtt.subscribe(filter, handler, 1);
        }
      }
      if (subscriptions.length > 0) log.info({ devices: config.mqttNative.length, topics: subscriptions.length }, 'listening to MQTT-native devices');
    },
    async stop() {
      for (const { filter, handler } of subscriptions.splice(0)) await mqtt.unsubscribe(filter, handler).catch(() => undefined);
    },
  };
}
