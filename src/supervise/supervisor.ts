/**
 * Keeps the service's child processes (one firmware bridge per serial link, Node-RED) alive: a child
 * that exits or stops heart-beating is restarted with exponential backoff, and the reason is logged
 * and counted. On shutdown every child is stopped with SIGTERM, then SIGKILL if it lingers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { childLogger, type Logger } from '../core/log.js';
import { systemClock, type Clock } from '../core/clock.js';
import type { Counters } from '../core/counters.js';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  /** Merged over process.env. */
  env?: Record<string, string>;
  cwd?: string;
  /** Restart backoff: first delay, doubling up to max; reset to initial once a run lasted resetAfterMs. */
  backoff?: { initialMs?: number; maxMs?: number; resetAfterMs?: number };
  /**
   * Optional hang detection: if set, heartbeat(name) must be called at least this often, or the child
   * is killed and restarted. The clock starts at spawn, so the value must also cover start-up time.
   */
  heartbeatTimeoutMs?: number;
  /** How long to wait after SIGTERM before SIGKILL when stopping. Default 5000. */
  stopTimeoutMs?: number;
}

export interface ChildStatus {
  name: string;
  state: 'starting' | 'running' | 'backoff' | 'stopped';
  pid: number | null;
  restarts: number;
  lastExit: { code: number | null; signal: string | null; at: number; reason: string } | null;
  nextStartAt: number | null;
}

export interface Supervisor {
  /** Spawns every added child. */
  start(): void;
  /** May be called before or after start(). */
  add(spec: ChildSpec): void;
  /** A child said it is alive (the service calls this from MQTT messages). */
  heartbeat(name: string): void;
  status(): ChildStatus[];
  /** SIGTERM all, SIGKILL after stopTimeoutMs, no restarts afterwards; resolves when all have exited. */
  stop(): Promise<void>;
}

const DEFAULT_INITIAL_MS = 1000;
const DEFAULT_MAX_MS = 60_000;
const DEFAULT_RESET_AFTER_MS = 30_000;
const DEFAULT_STOP_TIMEOUT_MS = 5000;
/** Longer output lines are cut, so a child that never writes a newline cannot grow our memory. */
const MAX_LINE = 16 * 1024;
/** A process in uninterruptible I/O can outlive SIGKILL for a while; shutdown must not hang on it. */
const KILL_GRACE_MS = 2000;

type Exit = { code: number | null; signal: string | null; reason: string };

/** One spawn of a child, from spawn() to its exit. */
interface Run {
  proc: ChildProcess | null;
  startedAt: number;
  done: boolean;
  /** Set when we killed it for missing heartbeats, so the exit is reported as a hang, not a signal. */
  hungAfterMs: number | null;
  heartbeatTimer: NodeJS.Timeout | null;
  killTimer: NodeJS.Timeout | null;
  exited: Promise<void>;
  markExited: () => void;
}

interface Entry {
  spec: ChildSpec;
  initialMs: number;
  maxMs: number;
  resetAfterMs: number;
  stopTimeoutMs: number;
  state: ChildStatus['state'];
  run: Run | null;
  restarts: number;
  lastExit: ChildStatus['lastExit'];
  nextStartAt: number | null;
  /** Delay to use for the next restart. */
  delayMs: number;
  restartTimer: NodeJS.Timeout | null;
}

/** Timers never keep the process alive on their own: the children's handles already do that. */
function later(ms: number, fn: () => void): NodeJS.Timeout {
  const t = setTimeout(fn, ms);
  t.unref();
  return t;
}

function errCode(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}

/** Splits a child's output into lines; the unterminated tail is flushed when the stream ends. */
function forwardLines(stream: Readable | null, emit: (line: string) => void): void {
  if (!stream) return;
  let buf = '';
  const out = (line: string) => {
    const l = line.endsWith('\r') ? line.slice(0, -1) : line;
    if (l.length > 0) emit(l);
  };
  stream.setEncoding('utf8'); // so a multi-byte character split across chunks is not mangled
  stream.on('data', (chunk: string) => {
    const parts = (buf + chunk).split('\n');
    buf = parts.pop() ?? '';
    for (const p of parts) out(p.length > MAX_LINE ? p.slice(0, MAX_LINE) : p);
    while (buf.length > MAX_LINE) {
      out(buf.slice(0, MAX_LINE));
      buf = buf.slice(MAX_LINE);
    }
  });
  const flush = () => {
    out(buf);
    buf = '';
  };
  stream.on('end', flush);
  stream.on('close', flush);
  // A pipe error from a dying child is the child's problem; without a listener it would crash us.
  stream.on('error', flush);
}

export function createSupervisor(deps: { log: Logger; clock?: Clock; counters?: Counters }): Supervisor {
  const log = childLogger(deps.log, 'supervisor');
  const clock = deps.clock ?? systemClock;
  const entries = new Map<string, Entry>();
  let started = false;
  let stopping = false;
  let stopped: Promise<void> | null = null;

  function launch(e: Entry): void {
    e.restartTimer = null;
    e.nextStartAt = null;
    if (stopping) return;
    const name = e.spec.name;
    let markExited = () => {};
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    const run: Run = {
      proc: null,
      startedAt: clock.now(),
      done: false,
      hungAfterMs: null,
      heartbeatTimer: null,
      killTimer: null,
      exited,
      markExited,
    };
    e.run = run;
    e.state = 'starting';
    let proc: ChildProcess;
    try {
      proc = spawn(e.spec.command, e.spec.args, {
        cwd: e.spec.cwd,
        env: { ...process.env, ...e.spec.env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
    } catch (err) {
      // spawn() throws synchronously for bad arguments (e.g. a NUL byte); treat it like ENOENT.
      finish(e, run, { code: null, signal: null, reason: `failed to spawn: ${errCode(err)}` });
      return;
    }
    run.proc = proc;
    forwardLines(proc.stdout, (line) => log.info({ child: name, stream: 'stdout' }, line));
    forwardLines(proc.stderr, (line) => log.warn({ child: name, stream: 'stderr' }, line));
    proc.once('spawn', () => {
      if (run.done) return;
      e.state = 'running';
      log.info({ child: name, pid: proc.pid }, 'child started');
    });
    proc.on('error', (err) => {
      // Without a pid the spawn itself failed (ENOENT, EACCES): Node emits 'close' but no 'exit'.
      if (proc.pid === undefined) {
        finish(e, run, { code: null, signal: null, reason: `failed to spawn: ${errCode(err)}` });
      } else {
        log.warn({ child: name, err: err.message }, 'child process error');
      }
    });
    proc.once('exit', (code, signal) => {
      const reason = code !== null ? `exited with code ${code}` : `killed by ${signal ?? 'unknown signal'}`;
      finish(e, run, { code, signal, reason });
    });
    armHeartbeat(e, run);
  }

  function armHeartbeat(e: Entry, run: Run): void {
    const ms = e.spec.heartbeatTimeoutMs;
    if (ms === undefined || run.done || run.killTimer) return;
    if (run.heartbeatTimer) clearTimeout(run.heartbeatTimer);
    run.heartbeatTimer = later(ms, () => {
      run.heartbeatTimer = null;
      run.hungAfterMs = ms;
      log.warn({ child: e.spec.name, pid: run.proc?.pid }, `no heartbeat for ${ms} ms; killing`);
      terminate(e, run);
    });
  }

  /** SIGTERM, then SIGKILL after stopTimeoutMs, then give up after a grace period. */
  function terminate(e: Entry, run: Run): void {
    if (run.heartbeatTimer) clearTimeout(run.heartbeatTimer);
    run.heartbeatTimer = null;
    if (run.done || run.killTimer) return;
    const name = e.spec.name;
    run.proc?.kill('SIGTERM');
    run.killTimer = later(e.stopTimeoutMs, () => {
      log.warn({ child: name }, `still running ${e.stopTimeoutMs} ms after SIGTERM; sending SIGKILL`);
      run.proc?.kill('SIGKILL');
      run.killTimer = later(KILL_GRACE_MS, () => {
        log.error({ child: name, pid: run.proc?.pid }, 'child survived SIGKILL; abandoning it');
        finish(e, run, { code: null, signal: null, reason: 'did not exit after SIGKILL' });
      });
    });
  }

  function finish(e: Entry, run: Run, exit: Exit): void {
    if (run.done) return;
    run.done = true;
    if (run.heartbeatTimer) clearTimeout(run.heartbeatTimer);
    if (run.killTimer) clearTimeout(run.killTimer);
    run.heartbeatTimer = run.killTimer = null;
    if (e.run === run) e.run = null;
    const at = clock.now();
    const reason = run.hungAfterMs !== null ? `hung: no heartbeat for ${run.hungAfterMs} ms` : exit.reason;
    e.lastExit = { code: exit.code, signal: exit.signal, at, reason };
    run.markExited();
    const name = e.spec.name;
    if (stopping) {
      e.state = 'stopped';
      log.info({ child: name, code: exit.code, signal: exit.signal }, `child stopped (${reason})`);
      return;
    }
    const ranMs = at - run.startedAt;
    if (ranMs >= e.resetAfterMs) e.delayMs = e.initialMs; // it was healthy for a while: start over
    const delayMs = e.delayMs;
    e.delayMs = Math.min(delayMs * 2, e.maxMs);
    e.restarts += 1;
    deps.counters?.inc('supervisor_restarts', name);
    e.state = 'backoff';
    e.nextStartAt = at + delayMs;
    log.warn(
      { child: name, code: exit.code, signal: exit.signal, reason, ranMs, delayMs },
      `child ${reason}; restarting in ${delayMs} ms`,
    );
    e.restartTimer = later(delayMs, () => launch(e));
  }

  return {
    start() {
      if (started || stopping) return;
      started = true;
      for (const e of entries.values()) if (!e.run && !e.restartTimer) launch(e);
    },

    add(spec) {
      if (entries.has(spec.name)) throw new Error(`supervisor: duplicate child name ${spec.name}`);
      const initialMs = spec.backoff?.initialMs ?? DEFAULT_INITIAL_MS;
      const e: Entry = {
        spec,
        initialMs,
        maxMs: Math.max(initialMs, spec.backoff?.maxMs ?? DEFAULT_MAX_MS),
        resetAfterMs: spec.backoff?.resetAfterMs ?? DEFAULT_RESET_AFTER_MS,
        stopTimeoutMs: spec.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS,
        state: 'stopped',
        run: null,
        restarts: 0,
        lastExit: null,
        nextStartAt: null,
        delayMs: initialMs,
        restartTimer: null,
      };
      entries.set(spec.name, e);
      if (started && !stopping) launch(e);
    },

    heartbeat(name) {
      const e = entries.get(name);
      if (e?.run) armHeartbeat(e, e.run);
    },

    status() {
      return [...entries.values()].map((e) => ({
        name: e.spec.name,
        state: e.state,
        pid: e.run?.proc?.pid ?? null,
        restarts: e.restarts,
        lastExit: e.lastExit ? { ...e.lastExit } : null,
        nextStartAt: e.nextStartAt,
      }));
    },

    stop() {
      if (stopped) return stopped;
      stopping = true; // set first: from here on no exit may schedule a restart
      const waits: Promise<void>[] = [];
      for (const e of entries.values()) {
        if (e.restartTimer) clearTimeout(e.restartTimer);
        e.restartTimer = null;
        e.nextStartAt = null;
        if (e.run) {
          waits.push(e.run.exited);
          terminate(e, e.run);
        } else {
          e.state = 'stopped';
        }
      }
      stopped = Promise.all(waits).then(() => {
        log.info({ children: entries.size }, 'all children stopped');
      });
      return stopped;
    },
  };
}
