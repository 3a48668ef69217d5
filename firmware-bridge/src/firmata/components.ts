import type { EventEmitter } from 'node:events';
import five from 'johnny-five';
import type { FirmataLinkConfig } from '../../../src/config/links-schema.js';
import type { SwitchState } from '../link.js';
import { createBeamPair, type Beam } from './beam-pair.js';

/**
 * The site file's pins as johnny-five components: analog Sensor, Proximity for distances, a pair
 * of Buttons feeding the beam-pair state machine for a door, Button or Motion for switches, Relay
 * and Servo for actuators. What the link needs from them goes through the context: samples out,
 * rejections counted, and every timer and listener recorded so that stop() leaves nothing behind.
 */
export interface Driver {
  pin: number;
  mode: number;
  drive(state: SwitchState): void;
}

export interface ComponentContext {
  reportMs: number;
  beamStuckMs: number;
  mono: () => number;
  sample(sensorId: string, raw: number): void;
  rejected(reason: string, detail: string): void;
  timers: Set<NodeJS.Timeout>;
  components: EventEmitter[];
  /** Called every reportMs: each publishes its component's latest value. */
  readers: (() => void)[];
  drivers: Map<string, Driver>;
}

/** Schema: analog sensors report ADC counts 0–1023. */
const ADC_MAX = 1023;
/** IR beam receivers are open-collector: with the pull-up on, the pin reads LOW while the beam is broken. */
const BEAM_PULLUP = true;

/**
 * johnny-five's Proximity and Motion start a setInterval in their constructors and keep no handle
 * to it (Sensor's can only be paused), so timers started while a component is built are recorded
 * for stop(). Construction is synchronous: nothing else runs while the globals are swapped.
 */
export function build<C>(ctx: ComponentContext, make: () => C): C {
  const { setInterval: si, setTimeout: st } = globalThis;
  const keep = (h: NodeJS.Timeout) => (ctx.timers.add(h), h);
  globalThis.setInterval = ((...a: Parameters<typeof si>) => keep(si(...a))) as typeof si;
  globalThis.setTimeout = ((...a: Parameters<typeof st>) => keep(st(...a))) as typeof st;
  try {
    const c = make();
    if (c instanceof Object && 'on' in c) ctx.components.push(c as unknown as EventEmitter);
    return c;
  } finally {
    Object.assign(globalThis, { setInterval: si, setTimeout: st });
  }
}

export function attachSensor(ctx: ComponentContext, b: five.Board, s: FirmataLinkConfig['sensors'][number]): void {
  const { reportMs, sample, rejected, readers } = ctx;
  if (s.type === 'analog') {
    const sensor = build(ctx, () => new five.Sensor({ board: b, pin: s.pin, freq: reportMs }));
    readers.push(() => {
      const raw = sensor.raw;
      if (raw === null) return;
      if (Number.isInteger(raw) && raw >= 0 && raw <= ADC_MAX) sample(s.sensor, raw);
      else rejected('bad-analog-value', `${s.sensor}: ${raw}`);
    });
  } else if (s.type === 'ultrasonic') {
    const prox = build(ctx, () => new five.Proximity({ board: b, pin: s.pin, controller: s.controller, freq: reportMs }));
    // Proximity gives cm from raw 0 until the board has sent a reading: wait for one, whatever its
    // value (a GP2Y unplugged at boot reads 0 from the start, and must be refused, not ignored).
    let seen = false;
    if (s.controller === 'HCSR04') prox.on('change', () => (seen = true));
    else b.io.analogRead(prox.pin, () => (seen = true));
    readers.push(() => {
      if (!seen) return;
      const cm = prox.cm;
      if (Number.isFinite(cm) && cm >= 0) sample(s.sensor, cm);
      else rejected('bad-distance', `${s.sensor}: ${cm} cm`);
    });
  } else if (s.type === 'beam-pair') {
    const pair = createBeamPair(ctx.beamStuckMs);
    const beams: [Beam, number][] = [['outer', s.outerPin], ['inner', s.innerPin]];
    for (const [beam, pin] of beams) {
      const button = build(ctx, () => new five.Button({ board: b, pin, isPullup: BEAM_PULLUP }));
      const feed = (broken: boolean) => {
        const dir = pair.input(beam, broken, ctx.mono());
        if (dir) sample(dir === 'in' ? s.inSensor : s.outSensor, 1);
      };
      button.on('down', () => feed(true));
      button.on('up', () => feed(false));
    }
  } else if (s.type === 'button') {
    const button = build(ctx, () => new five.Button({ board: b, pin: s.pin }));
    button.on('down', () => sample(s.sensor, 1));
    button.on('up', () => sample(s.sensor, 0));
  } else {
    const motion = build(ctx, () => new five.Motion({ board: b, pin: s.pin }));
    motion.on('change', (e: { detectedMotion: boolean }) => sample(s.sensor, e.detectedMotion ? 1 : 0));
  }
}

export function attachActuator(ctx: ComponentContext, b: five.Board, a: FirmataLinkConfig['actuators'][number]): void {
  const { drivers } = ctx;
  const { MODES } = b.io;
  if (a.type === 'relay') {
    // johnny-five's Relay sets OUTPUT only for A-pins; StandardFirmata ignores writes to other modes.
    b.io.pinMode(a.pin, MODES.OUTPUT);
    const relay = build(ctx, () => new five.Relay({ board: b, pin: a.pin, type: a.activeLow ? 'NC' : 'NO' }));
    drivers.set(a.actuator, { pin: a.pin, mode: MODES.OUTPUT, drive: (s) => (s === 'on' ? relay.close() : relay.open()) });
  } else {
    const servo = build(ctx, () => new five.Servo({ board: b, pin: a.pin }));
    drivers.set(a.actuator, { pin: a.pin, mode: MODES.SERVO, drive: (s) => servo.to(s === 'on' ? a.onAngle : a.offAngle) });
  }
}
