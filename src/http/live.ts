import type { FastifyPluginAsync } from 'fastify';
import type { Reading } from '../contract/payloads.js';
import type { Bus } from '../core/bus.js';
import type { Clock } from '../core/clock.js';
import type { Counters } from '../core/counters.js';
import type { TongxinEvents } from '../events.js';

/**
 * `/api/live`: server-sent events of what screens need. Readings are coalesced per screen (the latest
 * per sensor, sent every `flushMs`), so a burst of ingest never queues unbounded data for a slow
 * kiosk; device, bin, point, garden and lounge state changes are sent at once. A `ping` event every 10 s keeps proxies from closing it and
 * lets a screen tell a quiet stream from a dead one (an SSE comment would be invisible to EventSource).
 */
export function livePlugin(opts: { bus: Bus<TongxinEvents>; counters: Counters; clock: Clock; flushMs?: number; heartbeatMs?: number }): FastifyPluginAsync {
  const flushMs = opts.flushMs ?? 250;
  const heartbeatMs = opts.heartbeatMs ?? 10_000;
  let nextId = 0;

  return async (app) => {
    app.get('/api/live', (req, reply) => {
      const owner = `sse-${++nextId}`;
      const res = reply.raw;
      reply.hijack();
      res.writeHead(200, {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache, no-transform',
        Connection: 'keep-alive',
        'X-Accel-Buffering': 'no',
      });
      const send = (event: string, data: unknown) => {
        if (!res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)) opts.counters.inc('sse_backpressure');
      };
      res.write('retry: 3000\n\n');
      send('hello', { at: opts.clock.now() });

      let pending = new Map<string, Reading>();
      opts.bus.on(owner, 'readingAccepted', (r) => {
        const prev = pending.get(r.sensorId);
        if (!prev || prev.at <= r.at) pending.set(r.sensorId, r);
      });
      opts.bus.on(owner, 'deviceStatusChanged', (d) => send('device', d));
      opts.bus.on(owner, 'binStateChanged', (b) => send('bin', b));
      opts.bus.on(owner, 'pointStateChanged', (p) => send('point', p));
      opts.bus.on(owner, 'gardenStateChanged', (g) => send('garden', g));
      opts.bus.on(owner, 'occupancyChanged', (o) => send('lounge', o));
      const flush = setInterval(() => {
        if (pending.size === 0) return;
        const batch = [...pending.values()];
        pending = new Map();
        send('readings', batch);
      }, flushMs);
      const heartbeat = setInterval(() => send('ping', { at: opts.clock.now() }), heartbeatMs);

      req.raw.on('close', () => {
        clearInterval(flush);
        clearInterval(heartbeat);
        opts.bus.removeOwner(owner);
      });
    });
  };
}
