import type { BedState } from './garden.js';
import type { LoungeOccupancy } from './lounge.js';
import type { LiveBin, LivePoint } from './waste.js';

/**
 * `/api/live` (src/http/live.ts): server-sent events `hello`, `readings`, `device`, `bin`, `point`,
 * `garden`, `lounge` and `ping`.
 *
 * The connection is reported as live from the first event until the stream errors or goes silent.
 * The server pings every 10 s, so silence means a dead connection (a half-open socket after a
 * network blip gives no error): after `probeAfterMs` of it the stream is reopened, and only if
 * nothing at all arrives for `silenceMs` (or the stream errors) does it count as not live.
 */
export interface LiveReading {
  sensorId: string;
  kind: string;
  unit: string;
  raw: number;
  value: number;
  at: number;
}

export interface LiveDevice {
  deviceId: string;
  status: 'online' | 'offline';
  reason: string;
  at: number;
  lastSeen: number | null;
}

export type LiveState = 'connecting' | 'live' | 'down';

export interface LiveHandlers {
  /** A stream (re)opened: whatever happened while it was closed is unknown, so refetch snapshots. */
  onHello(): void;
  onReadings(readings: LiveReading[]): void;
  onDevice(device: LiveDevice): void;
  /** A bed's state changed (level, watering, trust, or its moisture at most every few seconds). */
  onGarden(bed: BedState): void;
  /** The lounge's occupancy changed. */
  onLounge(occupancy: LoungeOccupancy): void;
  /** A bin's filtered fill or level changed (at most every few seconds per bin). */
  onBin(bin: LiveBin): void;
  /** A collection point's windows changed (one opened or closed). */
  onPoint(point: LivePoint): void;
  /** `lastEventAt` is when anything was last heard from the stream (epoch ms), null if never. */
  onState(state: LiveState, lastEventAt: number | null): void;
}

export interface LiveOptions {
  url?: string;
  silenceMs?: number;
  probeAfterMs?: number;
  /** Wait before reopening a stream the browser gave up on (EventSource readyState CLOSED). */
  reopenMs?: number;
  now?: () => number;
}

export interface LiveConnection {
  state(): LiveState;
  close(): void;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function connectLive(handlers: LiveHandlers, opts: LiveOptions = {}): LiveConnection {
  const url = opts.url ?? '/api/live';
  const silenceMs = opts.silenceMs ?? 20_000;
  const probeAfterMs = opts.probeAfterMs ?? 15_000;
  const reopenMs = opts.reopenMs ?? 5_000;
  const now = opts.now ?? Date.now;

  let source: EventSource | undefined;
  let state: LiveState = 'connecting';
  let lastEventAt: number | null = null;
  const startedAt = now();
  let openedAt = startedAt;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const setState = (next: LiveState) => {
    if (next === state) return;
    state = next;
    handlers.onState(state, lastEventAt);
  };

  const heard = () => {
    lastEventAt = now();
    setState('live');
  };

  const parse = (ev: Event): unknown => {
    try {
      return JSON.parse((ev as MessageEvent<string>).data);
    } catch {
      return undefined;
    }
  };

  const open = () => {
    source?.close();
    openedAt = now();
    const es = new EventSource(url);
    source = es;
    es.addEventListener('hello', () => {
      heard();
      handlers.onHello();
    });
    es.addEventListener('ping', heard);
    es.addEventListener('readings', (ev) => {
      heard();
      const data = parse(ev);
      if (Array.isArray(data)) handlers.onReadings(data as LiveReading[]);
    });
    es.addEventListener('device', (ev) => {
      heard();
      const data = parse(ev);
      if (data && typeof data === 'object') handlers.onDevice(data as LiveDevice);
    });
    es.addEventListener('garden', (ev) => {
      heard();
      const data = parse(ev);
      if (isObject(data) && typeof data.bedId === 'string') handlers.onGarden(data as unknown as BedState);
    });
    es.addEventListener('lounge', (ev) => {
      heard();
      const data = parse(ev);
      if (isObject(data) && typeof data.inside === 'number') handlers.onLounge(data as unknown as LoungeOccupancy);
    });
    es.addEventListener('bin', (ev) => {
      heard();
      const data = parse(ev);
      if (isObject(data) && typeof data.binId === 'string') handlers.onBin(data as unknown as LiveBin);
    });
    es.addEventListener('point', (ev) => {
      heard();
      const data = parse(ev);
      if (isObject(data) && typeof data.pointId === 'string' && isObject(data.categories)) handlers.onPoint(data as unknown as LivePoint);
    });
    es.addEventListener('error', () => {
      if (es !== source) return;
      setState('down');
      // The browser retries by itself unless the answer was not an event stream; then it is up to us.
      if (es.readyState === EventSource.CLOSED && reopenTimer === undefined) {
        reopenTimer = setTimeout(() => {
          reopenTimer = undefined;
          if (!closed) open();
        }, reopenMs);
      }
    });
  };

  const watchdog = setInterval(() => {
    const t = now();
    const since = lastEventAt ?? startedAt;
    if (t - since >= silenceMs) setState('down');
    // Reopen a silent stream, at most once per probe period, to get a fresh `hello`.
    if (t - since >= probeAfterMs && t - openedAt >= probeAfterMs) open();
  }, 1_000);

  open();

  return {
    state: () => state,
    close() {
      closed = true;
      clearInterval(watchdog);
      if (reopenTimer !== undefined) clearTimeout(reopenTimer);
      source?.close();
    },
  };
}
