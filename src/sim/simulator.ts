import mqtt, { type MqttClient } from 'mqtt';
import type { SiteConfig, SensorConfig } from '../config/schema.js';
import { siteTopics } from '../contract/topics.js';
import type { Clock } from '../core/clock.js';
import { childLogger, type Logger } from '../core/log.js';
import { localHour, parseHHMM, stepBin, stepLounge, stepSoil, toRaw, ultrasonicGlitch, type BinState, type LoungeState, type SoilState } from './models.js';
import { noise, seededRng } from './random.js';

/**
 * Publishes realistic readings over MQTT exactly as the site's devices would: one connection per
 * device, its status retained with a last will, raw values in device units. Used by the demo site
 * (in-process) and by `tongxin simulate` against any broker.
 */
export interface SimulatorOptions {
  config: SiteConfig;
  url: string;
  clock: Clock;
  log: Logger;
  /** Credentials per device; without them the simulator connects anonymously. */
  credentials?: (deviceId: string) => { username: string; password: string; clientId: string } | undefined;
  /** Publish device/<id>/status (needs credentials that allow it). */
  publishStatus: boolean;
  intervalMs?: number;
  speed?: number;
  seed?: number;
}

export interface Simulator {
  tick(): Promise<void>;
  stop(): Promise<void>;
}

// Health-hour events in the demo day (local hours): doors get busy around them.
const DEMO_EVENT_HOURS = [10, 14.5, 19];

export async function startSimulator(o: SimulatorOptions): Promise<Simulator> {
  const log = childLogger(o.log, 'simulator');
  const { config } = o;
  const topics = siteTopics(config.site.id);
  const rng = seededRng(o.seed ?? Math.floor(Math.random() * 2 ** 31));
  const intervalMs = o.intervalMs ?? config.simulator.intervalSeconds * 1000;
  const speed = o.speed ?? config.simulator.speed;
  const simDevices = config.devices.filter((d) => d.link === 'simulated');
  const startReal = o.clock.now();
  let lastSim = startReal;

  const soil = new Map<string, SoilState>();
  // A probe's bed's valve; a valve is open while the service last told it `on` (heard below).
  const probeValve = new Map(config.garden.beds.flatMap((b) => (b.valve ? b.sensors.map((s) => [s, b.valve as string] as const) : [])));
  const valveOpen = new Map<string, boolean>();
  const bins = new Map<string, BinState & { category: string; pickupHours: number[] }>();
  const doors = new Map<string, LoungeState & { inSensor: string; outSensor: string }>();
  for (const s of config.sensors) {
    if (s.kind === 'soil-moisture') soil.set(s.id, { moisture: 40 + rng() * 30 });
  }
  for (const p of config.points) {
    for (const b of p.bins) {
      if (!b.sensor) continue;
      const pickupHours = p.pickups.filter((pk) => pk.category === b.category && !pk.onRequest).flatMap((pk) => pk.at.map(parseHHMM));
      bins.set(b.sensor, { fill: rng() * 40, category: b.category, pickupHours });
    }
  }
  for (const d of config.lounge.doors) doors.set(d.id, { inside: 0, inSensor: d.inSensor, outSensor: d.outSensor });
  const hours = { open: parseHHMM(config.lounge.hours.open), close: parseHHMM(config.lounge.hours.close), events: DEMO_EVENT_HOURS };

  const clients = new Map<string, MqttClient>();
  for (const d of simDevices) {
    const cred = o.credentials?.(d.id);
    const client = await mqtt.connectAsync(o.url, {
      clientId: cred?.clientId ?? `sim-${d.id}-${Math.floor(rng() * 1e6)}`,
      reconnectPeriod: 1000,
      ...(cred ? { username: cred.username, password: cred.password } : {}),
      ...(o.publishStatus ? { will: { topic: topics.deviceStatus(d.id), payload: Buffer.from('offline'), retain: true, qos: 1 as const } } : {}),
    });
    client.on('error', (err) => log.warn({ device: d.id, err: err.message }, 'simulated device connection error'));
    // Actuators do what they are told and say so, as the firmware does (retained state).
    const actuators = config.actuators.filter((a) => a.device === d.id);
    if (cred && actuators.length > 0) {
      client.on('message', (topic, payload) => {
        const a = actuators.find((x) => topics.actuatorSet(x.id) === topic);
        let state: unknown;
        try {
          state = (JSON.parse(payload.toString()) as { state?: unknown }).state;
        } catch {
          return log.warn({ topic }, 'simulated actuator got a command that is not JSON');
        }
        if (!a || typeof state !== 'string') return;
        if (a.kind === 'valve') valveOpen.set(a.id, state === 'on');
        client.publish(topics.actuatorState(a.id), JSON.stringify({ state }), { qos: 1, retain: true });
      });
      for (const a of actuators) if (a.kind === 'valve') valveOpen.set(a.id, false);
      await client.subscribeAsync(actuators.map((a) => topics.actuatorSet(a.id)), { qos: 1 });
    }
    if (o.publishStatus) {
      client.on('connect', () => void client.publish(topics.deviceStatus(d.id), 'online', { qos: 1, retain: true }));
      await client.publishAsync(topics.deviceStatus(d.id), 'online', { qos: 1, retain: true });
    }
    clients.set(d.id, client);
  }

  const publish = (sensor: SensorConfig, raw: number, digits: number) => {
    const client = clients.get(sensor.device);
    if (!client?.connected) return;
    const value = Number(raw.toFixed(digits));
    client.publish(topics.sensorRaw(sensor.id), JSON.stringify({ value, at: o.clock.now() }), { qos: 0 });
  };

  const tick = async () => {
    const simNow = startReal + (o.clock.now() - startReal) * speed;
    const dt = Math.max(0, simNow - lastSim);
    const hourBefore = localHour(lastSim);
    const hour = localHour(simNow);
    lastSim = simNow;
    const crossed = (h: number) => (hourBefore <= hour ? hourBefore < h && h <= hour : h > hourBefore || h <= hour);

    for (const sensor of config.sensors) {
      if (!clients.has(sensor.device)) continue;
      const s = soil.get(sensor.id);
      if (s) {
        // A bed whose valve the simulator drives is watered by the garden module through it; one
        // without (or whose valve it cannot hear) by a volunteer once it has clearly dried out.
        const valve = probeValve.get(sensor.id);
        const next = valve !== undefined && valveOpen.has(valve) ? stepSoil(s, hour, dt, false, rng, valveOpen.get(valve)) : stepSoil(s, hour, dt, s.moisture < 22, rng);
        soil.set(sensor.id, next);
        publish(sensor, toRaw(next.moisture, sensor) + noise(rng, 3), 0);
        continue;
      }
      const b = bins.get(sensor.id);
      if (b) {
        const emptied = b.pickupHours.some(crossed) || (b.fill > 100 && rng() < 0.1);
        const next = stepBin(b, hour, dt, emptied, rng);
        bins.set(sensor.id, { ...b, ...next });
        const glitch = ultrasonicGlitch(rng);
        publish(sensor, glitch ?? toRaw(next.fill, sensor) + noise(rng, 0.8), 1);
      }
    }
    for (const [id, door] of doors) {
      const step = stepLounge(door, hour, dt, hours, rng);
      doors.set(id, { ...door, ...step.state });
      const inSensor = config.sensors.find((s) => s.id === door.inSensor);
      const outSensor = config.sensors.find((s) => s.id === door.outSensor);
      if (inSensor && clients.has(inSensor.device)) publish(inSensor, step.arrived, 0);
      if (outSensor && clients.has(outSensor.device)) publish(outSensor, step.left, 0);
    }
  };

  const timer = setInterval(() => void tick().catch((err: unknown) => log.error({ err }, 'simulator tick failed')), intervalMs);
  log.info({ devices: simDevices.length, intervalMs, speed }, 'simulator running');
  await tick();

  return {
    tick,
    async stop() {
      clearInterval(timer);
      await Promise.all(
        [...clients.entries()].map(async ([deviceId, c]) => {
          // A clean disconnect suppresses the will, so say "offline" ourselves.
          if (o.publishStatus && c.connected) await c.publishAsync(topics.deviceStatus(deviceId), 'offline', { qos: 1, retain: true }).catch(() => undefined);
          await c.endAsync().catch(() => undefined);
        }),
      );
    },
  };
}
