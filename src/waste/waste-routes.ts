import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { AlertsModule } from '../alerts/alerts-module.js';
import type { SiteConfig } from '../config/schema.js';
import type { ActuatorReportedState } from '../contract/parse.js';
import type { Clock } from '../core/clock.js';
import { errors } from '../core/errors.js';
import type { BinTracker } from './bin-tracker.js';
import type { LidState } from './lid-decision.js';
import type { PointState } from './schedule.js';
import type { WasteStore } from './waste-store.js';

/**
 * The waste API for the kiosk and the admin page: points with what is open now and the countdown to
 * the next window, bins with their fill, fill history, the pickup log and drop-offs outside windows.
 */
export function wasteRoutes(d: {
  config: SiteConfig;
  clock: Clock;
  bins: BinTracker;
  states: ReadonlyMap<string, PointState>;
  lids: ReadonlyMap<string, { commanded?: LidState; reported?: ActuatorReportedState }>;
  db: WasteStore;
  alerts: AlertsModule;
  clockTrusted: () => boolean;
  readingsHistory?: (sensorId: string, sinceMs: number, limit: number) => { at: number; value: number }[];
}): FastifyPluginAsync {
  const seconds = (ms: number) => Math.max(0, Math.round(ms / 1000));
  return async (app) => {
    app.get('/api/waste/points', async () => {
      const now = d.clock.now();
      return {
        now,
        clockTrusted: d.clockTrusted(),
        points: d.config.points.map((p) => {
          const st = d.states.get(p.id);
          return {
            id: p.id,
            name: p.name,
            place: p.place,
            lateDrop: p.lateDrop,
            open: st?.open ?? false,
            categories: Object.fromEntries(
              Object.entries(st?.categories ?? {}).map(([cat, c]) => [
                cat,
                {
                  open: c?.open ?? false,
                  current: c?.current ?? null,
                  next: c?.next ?? null,
                  // A late-drop point never closes (its interval is cut at the search horizon): no countdown.
                  closesInSeconds: c?.current && !p.lateDrop ? seconds(c.current.to - now) : null,
                  opensInSeconds: c?.next && !c.open ? seconds(c.next.from - now) : null,
                },
              ]),
            ),
            bins: p.bins.map((b) => {
              const t = d.bins.get(b.id);
              const lid = b.lid ? d.lids.get(b.lid) : undefined;
              return {
                id: b.id,
                category: b.category,
                fill: t?.fill.filtered ?? null,
                level: t?.fill.level ?? 'ok',
                emptiedAt: t?.fill.emptiedAt ?? null,
                lid: b.lid ? { id: b.lid, commanded: lid?.commanded ?? null, reported: lid?.reported ?? null } : null,
              };
            }),
          };
        }),
      };
    });

    app.get(
      '/api/waste/bins/:id/history',
      {
        schema: {
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          querystring: Type.Object({ hours: Type.Number({ minimum: 0.01, maximum: 24 * 31, default: 24 }), limit: Type.Integer({ minimum: 1, maximum: 10_000, default: 2000 }) }),
        },
      },
      async (req) => {
        const { id } = req.params as { id: string };
        const { hours, limit } = req.query as { hours: number; limit: number };
        const bin = d.bins.get(id);
        if (!bin) throw errors.notFound(`no bin "${id}"`);
        const points = bin.sensorId && d.readingsHistory ? d.readingsHistory(bin.sensorId, d.clock.now() - hours * 3_600_000, limit) : [];
        return { binId: id, sensorId: bin.sensorId ?? null, points };
      },
    );

    app.get('/api/waste/pickups', { schema: { querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }) }) } }, async (req) => {
      const { limit } = req.query as { limit: number };
      return { pickups: d.db.recentPickups(limit), slots: d.db.recentSlotChecks(limit) };
    });

    app.get('/api/waste/dropoffs', { schema: { querystring: Type.Object({ hours: Type.Number({ minimum: 0.01, maximum: 24 * 31, default: 24 }) }) } }, async (req) => {
      const { hours } = req.query as { hours: number };
      return { since: d.clock.now() - hours * 3_600_000, bins: d.db.dropoffCounts(d.clock.now() - hours * 3_600_000) };
    });
  };
}
