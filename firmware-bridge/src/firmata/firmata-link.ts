import type { EventEmitter } from 'node:events';
import firmataIo from 'firmata-io';
import five from 'johnny-five';
import { SerialPort } from 'serialport';
import type { FirmataLinkConfig } from '../../../src/config/links-schema.js';
import type { Logger } from '../../../src/core/log.js';
import { CommandFailed, type CommandFailure, type Link, type LinkListener, type SwitchState } from '../link.js';
import { DEFAULT_STUCK_MS } from './beam-pair.js';
import { attachActuator, attachSensor, type ComponentContext, type Driver } from './components.js';

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

  const ctx: ComponentContext = { reportMs, beamStuckMs: t.beamStuckMs, mono, sample, rejected, timers, components, readers, drivers };

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
        attachSensor(ctx, b, s);
      } catch (err) {
        rejected('component-failed', `${s.type === 'beam-pair' ? s.inSensor : s.sensor}: ${(err as Error).message}`);
      }
    }
    for (const a of config.actuators) {
      try {
        attachActuator(ctx, b, a);
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
