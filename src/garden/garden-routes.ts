import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { SiteConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { errors } from '../core/errors.js';
import { publicRateLimit } from '../http/rate-limits.js';
import type { StaffAuth } from '../staff/auth.js';
import type { BedRuntime } from './bed-controller.js';
import type { RunRow } from './garden-store.js';
import { gardenPayload } from './garden-state.js';
import type { ValveRuntime } from './valves.js';

/**
 * The garden API: every bed's state for the kiosk, a bed's watering log, and the staff override
 * (`on`/`off` for some minutes, or back to `auto`), audited like every staff change.
 */
export interface OverrideRequest {
  bedId: string;
  state: 'on' | 'off' | 'auto';
  minutes?: number | undefined;
  actor: string;
  audit: (detail: Record<string, unknown>) => void;
}

const BedParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const RunsQuery = Type.Object({ days: Type.Number({ minimum: 0.01, maximum: 366, default: 7, description: 'runs started in this many past days' }) });
const OverrideBody = Type.Object(
  {
    state: Type.Union([Type.Literal('on'), Type.Literal('off'), Type.Literal('auto')], { description: 'on/off for `minutes`, or auto to end an override' }),
    minutes: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 24 * 60, description: 'capped at garden.watering.overrideMaxMinutes, which is also the default' })),
  },
  { additionalProperties: false },
);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const round1 = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);

export function gardenRoutes(d: {
  config: SiteConfig;
  clock: Clock;
  auth: StaffAuth;
  beds: () => { rt: BedRuntime; valve: ValveRuntime | undefined }[];
  runs: (bedId: string, since: number) => RunRow[];
  override: (req: OverrideRequest) => { override: { state: 'on' | 'off'; until: string; minutes: number; capped: boolean } | null };
}): FastifyPluginAsync {
  const tags = ['garden'];
  const bedOr404 = (id: string) => {
    const b = d.beds().find((x) => x.rt.bed.id === id);
    if (!b) throw errors.notFound(`no bed "${id}"`);
    return b;
  };
  const bedJson = ({ rt, valve }: { rt: BedRuntime; valve: ValveRuntime | undefined }) => ({
    ...(rt.view ? gardenPayload(rt.view) : { bedId: rt.bed.id, level: 'unknown', watering: false, at: new Date(d.clock.now()).toISOString() }),
    name: rt.bed.name,
    marks: { lowPercent: rt.marks.low, highPercent: rt.marks.high, wetPercent: d.config.garden.watering.wetPercent },
    valve: rt.bed.valve
      ? {
          id: rt.bed.valve,
          commanded: valve?.commanded ?? null,
          reported: valve?.reported ?? null,
          failedCommands: valve?.failedCommands ?? 0,
          stuckSince: iso(rt.view?.stuck?.since ?? null),
        }
      : null,
  });

  return async (app) => {
    const config = publicRateLimit(d.config.http.publicRateLimitPerMinute);
    app.get('/api/garden', { config, schema: { tags, summary: 'every bed: moisture, level, watering and why' } }, async () => ({
      at: new Date(d.clock.now()).toISOString(),
      beds: d.beds().map(bedJson),
    }));

    app.get(
      '/api/garden/beds/:id/runs',
      { config, schema: { params: BedParams, querystring: RunsQuery, tags, summary: 'a bed’s watering runs, newest first' } },
      async (req) => {
        const { id } = req.params as { id: string };
        const { days } = req.query as { days: number };
        bedOr404(id);
        const runs = d.runs(id, d.clock.now() - days * 86_400_000).map((r) => ({
          startedAt: iso(r.startedAt),
          endedAt: iso(r.endedAt),
          startReason: r.startReason,
          endReason: r.endReason,
          minutes: r.endedAt === null ? null : Math.round((r.endedAt - r.startedAt) / 600) / 100,
          moistureBefore: round1(r.moistureBefore),
          moistureAfter: round1(r.moistureAfter),
        }));
        return { bedId: id, runs };
      },
    );

    app.post(
      '/api/garden/beds/:id/override',
      {
        onRequest: d.auth.requireRole('admin', 'staff'),
        schema: { params: BedParams, body: OverrideBody, tags: ['garden (staff)'], summary: 'turn a bed’s valve on or off for some minutes, or back to auto' },
      },
      async (req) => {
        const { id } = req.params as { id: string };
        const body = req.body as { state: 'on' | 'off' | 'auto'; minutes?: number };
        const result = d.override({
          bedId: id,
          state: body.state,
          minutes: body.minutes,
          actor: req.staff?.username ?? 'unknown',
          audit: (detail) => d.auth.audit(req, 'garden.override', `bed:${id}`, detail),
        });
        return { ...result, bed: bedJson(bedOr404(id)) };
      },
    );
  };
}
