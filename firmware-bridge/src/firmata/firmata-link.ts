import type { EventEmitter } from 'node:events';
import firmataIo from 'firmata-io';
import five from 'johnny-five';
import { SerialPort } from 'serialport';
import type { FirmataLinkConfig } from '../../../src/config/links-schema.js';
import type { Logger } from '../../../src/core/log.js';
import { CommandFailed, type CommandFailure, type Link, type LinkListener, type SwitchState } from '../link.js';
import { createBeamPair, DEFAULT_STUCK_MS, type Beam } from './beam-pair.js';

/**
 * A board running StandardFirmata, driven through johnny-five over firmata-io and serialport. The
 * board is lost when its port closes or it stops answering a version query sent every heartbeat;
 * johnny-five cannot reopen a board in-process, so a lost board is `fatal`: the bridge exits and
 * the supervisor starts a fresh one (which is also how a port missing at start is retried).
 */
export interface FirmataTimings {
  /** From start to Firmata's handshake being done. */
  readyMs: number;
  /** How often the board is asked for its version, to notice a board that hangs without closing. */
  heartbeatMs: number;
  silenceMs: number;
  /** How long a command waits for the board to read its pin state back. */
  ackMs: number;
  /** How long a port missing at start is reported offline before the link gives up. */
  missingPortMs: number;
  beamStuckMs: number;
}
const TIMINGS: FirmataTimings = { readyMs: 10_000, heartbeatMs: 1000, silenceMs: 3500, ackMs: 1000, missingPortMs: 2000, beamStuckMs: DEFAULT_STUCK_MS };

export interface FirmataLinkOptions {
  /** An IO plugin instance (tests); without it the link opens `config.path` with firmata-io. */
  io?: unknown;
  now?: () => number;
  log?: Logger;
  timings?: Partial<FirmataTimings>;
}

/** Schema: analog sensors report ADC counts 0–1023. */
const ADC_MAX = 1023;
/** IR beam receivers are open-collector: with the pull-up on, the pin reads LOW while the beam is broken. */
const BEAM_PULLUP = true;

interface Driver {
  pin: number;
  mode: number;
  drive(state: SwitchState): void;
}

export function createFirmataLink(config: FirmataLinkConfig, opts: FirmataLinkOptions = {}): Link {
  const t = { ...TIMINGS, ...opts.timings };
  const now = opts.now ?? Date.now;
  const mono = () => performance.now();
  const log = opts.log;
  const reportMs = Math.round(config.reportSeconds * 1000);
  const configured = new Set(config.actuators.map((a) => a.actuator));
  let listener: LinkListener | undefined;
  let io: five.IoPlugin | undefined;
  let board: five.Board | undefined;
  let port: SerialPort | undefined;
  let stopped = false;
  let ready = false;
  let lost = false;
  let lastAnswer = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const timers = new Set<NodeJS.Timeout>();
  const components: EventEmitter[] = [];
  const readers: (() => void)[] = [];
  const drivers = new Map<string, Driver>();
  const pending = new Set<(err: CommandFailed) => void>();
  const ioListeners: [string, (...args: any[]) => void][] = [
    ['close', () => lose('port closed')],
    ['disconnect', () => lose('port disconnected')],
    ['error', (err: unknown) => lose('serial error', err)],
    ['string', (text: unknown) => rejected('firmware-message', String(text))],
  ];

  const later = (ms: number, fn: () => void) => timers.add(setTimeout(fn, ms));
  const every = (ms: number, fn: () => void) => timers.add(setInterval(fn, ms));
  const clearTimers = () => (timers.forEach(clearTimeout), timers.clear());
  const failPending = (reason: CommandFailure) => (pending.forEach((fail) => fail(new CommandFailed(reason))), pending.clear());
  const rejected = (reason: string, detail: string) => {
    if (stopped) return;
    log?.debug({ reason, detail }, 'firmata input rejected');
    listener?.rejected(reason, detail);
  };
  const sample = (sensorId: string, raw: number) => {
    if (!stopped && !lost) listener?.sample({ sensorId, raw, at: now() });
  };

  function lose(reason: string, err?: unknown) {
    if (stopped || lost) return;
    lost = true;
    ready = false;
    clearTimers();
    failPending('node-offline');
    log?.warn({ path: config.path, reason }, 'firmata board lost; the bridge must restart');
    listener?.nodeStatus('offline', reason);
    listener?.fatal(err instanceof Error ? err : new Error(`firmata board on ${config.path}: ${reason}`));
  }

  /**
   * johnny-five's Proximity and Motion start a setInterval in their constructors and keep no handle
   * to it (Sensor's can only be paused), so timers started while a component is built are recorded
   * for stop(). Construction is synchronous: nothing else runs while the globals are swapped.
   */
  function build<C>(make: () => C): C {
    const { setInterval: si, setTimeout: st } = globalThis;
    const keep = (h: NodeJS.Timeout) => (timers.add(h), h);
    globalThis.setInterval = ((...a: Parameters<typeof si>) => keep(si(...a))) as typeof si;
    globalThis.setTimeout = ((...a: Parameters<typeof st>) => keep(st(...a))) as typeof st;
    try {
      const c = make();
      if (c instanceof Object && 'on' in c) components.push(c as unknown as EventEmitter);
      return c;
    } finally {
      Object.assign(globalThis, { setInterval: si, setTimeout: st });
    }
  }

  function attachSensor(b: five.Board, s: FirmataLinkConfig['sensors'][number]) {
    if (s.type === 'analog') {
      const sensor = build(() => new five.Sensor({ board: b, pin: s.pin, freq: reportMs }));
      readers.push(() => {
        const raw = sensor.raw;
        if (raw === null) return;
        if (Number.isInteger(raw) && raw >= 0 && raw <= ADC_MAX) sample(s.sensor, raw);
        else rejected('bad-analog-value', `${s.sensor}: ${raw}`);
      });
    } else if (s.type === 'ultrasonic') {
      const prox = build(() => new five.Proximity({ board: b, pin: s.pin, controller: s.controller, freq: reportMs }));
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
      const pair = createBeamPair(t.beamStuckMs);
      const beams: [Beam, number][] = [['outer', s.outerPin], ['inner', s.innerPin]];
      for (const [beam, pin] of beams) {
        const button = build(() => new five.Button({ board: b, pin, isPullup: BEAM_PULLUP }));
        const feed = (broken: boolean) => {
          const dir = pair.input(beam, broken, mono());
          if (dir) sample(dir === 'in' ? s.inSensor : s.outSensor, 1);
        };
        button.on('down', () => feed(true));
        button.on('up', () => feed(false));
      }
    } else if (s.type === 'button') {
      const button = build(() => new five.Button({ board: b, pin: s.pin }));
      button.on('down', () => sample(s.sensor, 1));
      button.on('up', () => sample(s.sensor, 0));
    } else {
      const motion = build(() => new five.Motion({ board: b, pin: s.pin }));
      motion.on('change', (e: { detectedMotion: boolean }) => sample(s.sensor, e.detectedMotion ? 1 : 0));
    }
  }

  function attachActuator(b: five.Board, a: FirmataLinkConfig['actuators'][number]) {
    const { MODES } = b.io;
    if (a.type === 'relay') {
      // johnny-five's Relay sets OUTPUT only for A-pins; StandardFirmata ignores writes to other modes.
      b.io.pinMode(a.pin, MODES.OUTPUT);
      const relay = build(() => new five.Relay({ board: b, pin: a.pin, type: a.activeLow ? 'NC' : 'NO' }));
      drivers.set(a.actuator, { pin: a.pin, mode: MODES.OUTPUT, drive: (s) => (s === 'on' ? relay.close() : relay.open()) });
    } else {
      const servo = build(() => new five.Servo({ board: b, pin: a.pin }));
      drivers.set(a.actuator, { pin: a.pin, mode: MODES.SERVO, drive: (s) => servo.to(s === 'on' ? a.onAngle : a.offAngle) });
    }
  }

  /** Firmata has no acks: ask the board for the pin's mode and state, and compare with what was sent. */
  function readBack(d: Driver): Promise<void> {
    const dev = io;
    if (!dev?.queryPinState) return Promise.resolve();
    const sent = dev.pins[d.pin]?.value;
    const event = `pin-state-${d.pin}`;
    return new Promise((resolve, reject) => {
      const settle = (err?: CommandFailed) => {
        clearTimeout(timer);
        pending.delete(settle);
        dev.removeListener(event, answered);
        if (err) reject(err);
        else resolve();
      };
      const answered = () => {
        const p = dev.pins[d.pin];
        if (p?.mode === d.mode && p.state === sent) settle();
        else settle(new CommandFailed('refused', `pin ${d.pin} reads mode ${p?.mode} state ${p?.state}, sent ${sent}`));
      };
      const timer = setTimeout(() => settle(new CommandFailed('no-ack', `pin ${d.pin} not read back in ${t.ackMs} ms`)), t.ackMs);
      pending.add(settle);
      dev.queryPinState!(d.pin, answered);
    });
  }

  async function apply(id: string, state: SwitchState): Promise<SwitchState> {
    if (stopped) throw new CommandFailed('link-stopped');
    if (!ready || lost) throw new CommandFailed('node-offline');
    const d = drivers.get(id);
    if (!d) throw new CommandFailed('refused', `${id} did not start on the board`);
    d.drive(state);
    await readBack(d);
    listener?.actuatorState(id, state);
    return state;
  }

  /** One command at a time: a read-back must not answer for another command's write. */
  function enqueue(id: string, state: SwitchState): Promise<SwitchState> {
    const run = queue.then(() => apply(id, state));
    queue = run.catch(() => undefined);
    return run;
  }

  function onReady(b: five.Board) {
    if (stopped || lost) return;
    for (const s of config.sensors) {
      try {
        attachSensor(b, s);
      } catch (err) {
        rejected('component-failed', `${s.type === 'beam-pair' ? s.inSensor : s.sensor}: ${(err as Error).message}`);
      }
    }
    for (const a of config.actuators) {
      try {
        attachActuator(b, a);
      } catch (err) {
        rejected('component-failed', `${a.actuator}: ${(err as Error).message}`);
      }
    }
    every(reportMs, () => readers.forEach((read) => read()));
    const dev = b.io;
    // Only Firmata can be asked for its version; another IO plugin is watched for close events only.
    if (dev.reportVersion) {
      lastAnswer = mono();
      every(t.heartbeatMs, () => {
        if (mono() - lastAnswer > t.silenceMs) return lose('not answering');
        dev.reportVersion!(() => (lastAnswer = mono()));
      });
    }
    ready = true;
    log?.info({ path: config.path }, 'firmata board ready');
    listener?.nodeStatus('online', 'firmata ready');
    // After a reset every output is LOW, which is ON for an active-low relay: put each actuator in
    // its off state and report it, so that the service and the board agree from the start.
    for (const id of drivers.keys()) {
      enqueue(id, 'off').catch((err: Error) => !lost && rejected('actuator-start-failed', `${id}: ${err.message}`));
    }
  }

  function portFailed(err: Error) {
    if (stopped) return;
    clearTimers();
    lost = true;
    const reason = /ENOENT|no such file/i.test(err.message) ? 'port missing' : 'port open failed';
    log?.warn({ path: config.path, err: err.message }, 'firmata port cannot be opened');
    listener?.nodeStatus('offline', reason);
    later(t.missingPortMs, () => listener?.fatal(err));
  }

  return {
    async start(l) {
      listener = l;
      if (opts.io) io = opts.io as five.IoPlugin;
      else {
        port = new SerialPort({ path: config.path, baudRate: config.baudRate, autoOpen: false });
        // No DTR on a pty (and some adapters): the start-up version report may be gone, so ask soon.
        // Analog values are only published every reportSeconds: sample no faster than needed.
        io = new firmataIo.Firmata(port, { reportVersionTimeout: 200, samplingInterval: Math.min(1000, Math.max(19, Math.round(reportMs / 2))) });
      }
      for (const [event, fn] of ioListeners) io.on(event, fn);
      // Listeners first: with an IO that is ready already, the board becomes ready on the next tick.
      const b = (board = new five.Board({ io, repl: false, debug: false, sigint: false, timeout: t.readyMs }));
      b.on('ready', () => onReady(b));
      b.on('error', (e: unknown) => (e instanceof Error ? lose('board error', e) : rejected('board-error', String((e as { message?: string })?.message ?? e))));
      later(t.readyMs, () => !ready && lose('no firmata handshake'));
      if (port) {
        const p = port;
        const err = await new Promise<Error | null>((resolve) => p.open((e) => resolve(e ?? null)));
        if (err) portFailed(err);
        else if (stopped) p.close();
      }
    },

    async command(actuatorId, state) {
      if (stopped) throw new CommandFailed('link-stopped');
      if (!configured.has(actuatorId)) throw new CommandFailed('unknown-actuator', actuatorId);
      if (!ready || lost) throw new CommandFailed('node-offline');
      return enqueue(actuatorId, state);
    },

    async stop() {
      if (stopped) return;
      stopped = true;
      ready = false;
      clearTimers();
      failPending('link-stopped');
      if (board?.timer) clearTimeout(board.timer);
      const fio = io as Partial<firmataIo.Firmata> | undefined;
      if (fio?.reportVersionTimeoutId) clearTimeout(fio.reportVersionTimeoutId);
      components.forEach((c) => c.removeAllListeners());
      for (const [event, fn] of ioListeners) io?.removeListener(event, fn);
      board?.removeAllListeners();
      // An 'error' with no listener throws: a port that errs while closing must not crash the bridge.
      const ignore = () => {};
      io?.on('error', ignore);
      board?.on('error', ignore);
      const p = port;
      if (p?.isOpen) await new Promise<void>((resolve) => p.close(() => resolve()));
      listener = undefined;
    },
  };
}
