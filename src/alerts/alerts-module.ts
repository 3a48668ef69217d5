import { randomUUID } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { parseCrewAck } from '../contract/parse.js';
import type { AlertKind, CrewAlertPayload } from '../contract/payloads.js';
import { parseSiteTopic } from '../contract/topics.js';
import type { WasteCategory } from '../config/schema.js';
import { errors } from '../core/errors.js';
import { childLogger } from '../core/log.js';
import type { Module } from '../core/module.js';
import type { ModuleDeps } from '../deps.js';
import { createAlertStore, type AlertRow, type AlertState, type Severity } from './alert-store.js';
import { alertMessage } from './messages.js';
import { responsibleCrews, supervisorCrews } from './routing.js';

/**
 * Alerts for crews (DESIGN.md §Waste): one per problem, routed to the crews responsible, written to
 * SQLite before they are published (the outbox), re-sent until acked or resolved, escalated to the
 * supervisor crew when not acked in time, and kept with their whole history.
 */
export interface RaiseInput {
  kind: AlertKind;
  /** What the alert is about (`bin:<id>`, `device:<id>`, `slot:<key>`): one unresolved alert per subject and kind. */
  subject: string;
  severity: Severity;
  category?: WasteCategory;
  pointId?: string;
  binId?: string;
  deviceId?: string;
  detail?: Record<string, unknown>;
}

export const DEVICE_OFFLINE_GRACE_MS = 120_000;

export function createAlertsModule(deps: ModuleDeps & { tickMs?: number }) {
  const { config, store, bus, mqtt, clock, counters, topics } = deps;
  const log = childLogger(deps.log, 'alerts');
  const alerts = createAlertStore(store.db);
  const outbox = deps.outbox;
  const escalateAfterMs = config.alerts.escalateAfterMinutes * 60_000;
  const resendMs = config.alerts.resendSeconds * 1000;
  const minIntervalMs = config.alerts.minIntervalMinutes * 60_000;
  const points = new Map(config.points.map((p) => [p.id, p]));
  const offlineSince = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;

  const payloadOf = (a: AlertRow, at: number): CrewAlertPayload => ({
    alertId: a.id,
    kind: a.kind,
    state: a.state,
    severity: a.severity,
    ...(a.category ? { category: a.category as WasteCategory } : {}),
    ...(a.pointId ? { pointId: a.pointId } : {}),
    ...(a.binId ? { binId: a.binId } : {}),
    ...(a.deviceId ? { deviceId: a.deviceId } : {}),
    message: alertMessage(a.kind, {
      category: (a.category ?? undefined) as WasteCategory | undefined,
      point: a.pointId ? points.get(a.pointId)?.name : undefined,
      deviceId: a.deviceId ?? undefined,
      fill: typeof a.detail.fill === 'number' ? a.detail.fill : undefined,
      slot: typeof a.detail.slot === 'string' ? a.detail.slot : undefined,
      subject: a.subject,
    }),
    detail: a.detail,
    raisedAt: new Date(a.raisedAt).toISOString(),
    at: new Date(at).toISOString(),
    crews: a.crews,
    ...(a.ackedBy ? { ackedBy: a.ackedBy } : {}),
    ...(a.resolution ? { resolution: a.resolution } : {}),
  });

  /** Queues the alert's current state for every crew it is routed to and for Node-RED. In a transaction. */
  const announce = (id: string, now: number): CrewAlertPayload => {
    const a = alerts.get(id) as AlertRow;
    const payload = payloadOf(a, now);
    const text = JSON.stringify(payload);
    for (const crew of a.crews) outbox.add({ topic: topics.crewAlert(crew), payload: text, qos: 1, retain: false });
    outbox.add({ topic: topics.alert(a.kind), payload: text, qos: 1, retain: false });
    if (a.state === 'open' || a.state === 'escalated') alerts.markSent(id, now);
    return payload;
  };

  const after = (payloads: CrewAlertPayload[]) => {
    for (const p of payloads) {
      counters.inc('alerts_changed', `${p.kind}:${p.state}`);
      bus.emit('alertChanged', p);
    }
    if (payloads.length > 0) outbox.kick();
  };

  const raise = store.db.transaction((input: RaiseInput): AlertRow | undefined => {
    const now = clock.now();
    const existing = alerts.unresolved(input.subject, input.kind);
    if (existing) return undefined; // one alert per problem
    const lastResolved = alerts.lastResolvedAt(input.subject, input.kind);
    if (lastResolved !== undefined && now - lastResolved < minIntervalMs) {
      counters.inc('alerts_suppressed', input.kind);
      return undefined;
    }
    const id = randomUUID();
    alerts.insert({
      id,
      kind: input.kind,
      subject: input.subject,
      category: input.category ?? null,
      pointId: input.pointId ?? null,
      binId: input.binId ?? null,
      deviceId: input.deviceId ?? null,
      severity: input.severity,
      detail: input.detail ?? {},
      raisedAt: now,
    });
    const crews = responsibleCrews(config, { category: input.category, pointId: input.pointId });
    for (const crew of crews) alerts.addRoute(id, crew, 'responsible');
    alerts.addHistory(id, now, 'raised', null, { crews, ...input.detail });
    pending.push(announce(id, now));
    return alerts.get(id);
  });

  const change = store.db.transaction((id: string, event: string, apply: (now: number) => boolean, actor: string | null, detail: unknown) => {
    const now = clock.now();
    if (!apply(now)) return false;
    alerts.addHistory(id, now, event, actor, detail);
    pending.push(announce(id, now));
    return true;
  });

  // Payloads produced inside a transaction are emitted only once it committed; dropped if it failed.
  let pending: CrewAlertPayload[] = [];
  const flushPending = () => {
    const out = pending;
    pending = [];
    after(out);
  };
  const committed = <T>(fn: () => T): T => {
    try {
      const result = fn();
      flushPending();
      return result;
    } catch (err) {
      pending = [];
      throw err;
    }
  };

  const api = {
    raise: (input: RaiseInput): AlertRow | undefined => committed(() => raise(input)),
    /** Resolves the unresolved alerts about a subject (of some kinds, or all). */
    resolveSubject(subject: string, kinds: AlertKind[] | 'all', resolution: string): number {
      let n = 0;
      for (const a of alerts.unresolvedFor(subject)) {
        if (kinds !== 'all' && !kinds.includes(a.kind)) continue;
        if (committed(() => change(a.id, 'resolved', (now) => alerts.resolve(a.id, now, resolution), null, { resolution }))) n++;
      }
      return n;
    },
    ack(alertId: string, crewId: string): 'acked' | 'already' | 'unknown' | 'not-routed' {
      const a = alerts.get(alertId);
      if (!a) return 'unknown';
      if (!a.crews.includes(crewId)) return 'not-routed';
      if (a.state === 'acked' || a.state === 'resolved') return 'already';
      committed(() => change(alertId, 'acked', (now) => alerts.ack(alertId, now, crewId), crewId, null));
      return 'acked';
    },
    /** Acked by someone who is not a routed crew (Node-RED for a crew without a phone): recorded under that name. */
    ackAs(alertId: string, actor: string, note?: string): 'acked' | 'already' | 'resolved' | 'unknown' {
      const a = alerts.get(alertId);
      if (!a) return 'unknown';
      if (a.state === 'resolved') return 'resolved';
      if (a.state === 'acked') return 'already';
      // The state is checked again inside the transaction: a crew may ack at the same moment.
      return committed(() => change(alertId, 'acked', (now) => alerts.ack(alertId, now, actor), actor, note ? { note } : null)) ? 'acked' : 'already';
    },
    /** Resolves one alert by its id, with the resolution people will read. */
    resolve(alertId: string, resolution: string, actor: string): 'resolved' | 'already' | 'unknown' {
      const a = alerts.get(alertId);
      if (!a) return 'unknown';
      if (a.state === 'resolved') return 'already';
      return committed(() => change(alertId, 'resolved', (now) => alerts.resolve(alertId, now, resolution), actor, { resolution })) ? 'resolved' : 'already';
    },
    get: (id: string) => alerts.get(id),
    history: (id: string) => alerts.history(id),
    list: (state: AlertState | 'active' | 'all', limit = 200) => alerts.list(state, limit),
    outboxPending: () => outbox.pending(),
  };

  const tick = () => {
    const now = clock.now();
    try {
      for (const id of alerts.dueForEscalation(now - escalateAfterMs)) {
        committed(() => change(
          id,
          'escalated',
          (t) => {
            if (!alerts.escalate(id, t)) return false;
            for (const crew of supervisorCrews(config)) alerts.addRoute(id, crew, 'escalation');
            return true;
          },
          null,
          { to: supervisorCrews(config) },
        ));
      }
      for (const id of alerts.dueForResend(now - resendMs)) {
        // Re-sent, not re-raised: same id, so a crew's phone shows it once.
        committed(() => store.db.transaction(() => void pending.push(announce(id, now)))());
      }
      for (const [deviceId, since] of offlineSince) {
        if (now - since < DEVICE_OFFLINE_GRACE_MS) continue;
        offlineSince.delete(deviceId);
        api.raise({ kind: 'sensor-offline', subject: `device:${deviceId}`, severity: 'warning', deviceId, detail: { offlineSince: new Date(since).toISOString() } });
      }
    } catch (err) {
      log.error({ err }, 'alert tick failed');
    }
  };

  const onAck = (topic: string, payload: Buffer) => {
    const parsed = parseSiteTopic(config.site.id, topic);
    if (parsed?.kind !== 'crewAck') return;
    const body = parseCrewAck(payload);
    if (!body.ok) {
      counters.inc('acks_rejected', body.reason);
      log.warn({ topic, reason: body.reason, detail: body.detail }, 'ack rejected');
      return;
    }
    const result = api.ack(body.value.alertId, parsed.crewId);
    if (result === 'unknown' || result === 'not-routed') {
      counters.inc('acks_rejected', result);
      log.warn({ crewId: parsed.crewId, alertId: body.value.alertId, reason: result }, 'ack rejected');
    }
  };

  const routes: FastifyPluginAsync = async (app) => {
    // Alerts are for staff and crews, not for the lobby screen.
    const staffOnly = deps.auth.requireRole('staff');
    app.get(
      '/api/alerts',
      {
        onRequest: staffOnly,
        schema: {
          querystring: Type.Object({
            state: Type.Union(['active', 'all', 'open', 'escalated', 'acked', 'resolved'].map((s) => Type.Literal(s)), { default: 'active' }),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 200 }),
          }),
        },
      },
      async (req) => {
        const { state, limit } = req.query as { state: AlertState | 'active' | 'all'; limit: number };
        return { alerts: api.list(state, limit).map((a) => payloadOf(a, clock.now())) };
      },
    );
    app.get('/api/alerts/:id', { onRequest: staffOnly, schema: { params: Type.Object({ id: Type.String({ maxLength: 64 }) }) } }, async (req) => {
      const { id } = req.params as { id: string };
      const a = api.get(id);
      if (!a) throw errors.notFound(`no alert "${id}"`);
      return { alert: payloadOf(a, clock.now()), history: api.history(id) };
    });
    // Staff on the admin page ack and resolve too; the crews are told through the same outbox.
    const StaffStep = {
      params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
      body: Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
    };
    const staffStep = (step: 'acked' | 'resolved') => async (req: FastifyRequest) => {
      const { id } = req.params as { id: string };
      const note = (req.body as { note?: string }).note?.trim() || undefined;
      const actor = `staff:${req.staff?.username ?? 'unknown'}`;
      const result = step === 'acked' ? api.ackAs(id, actor, note) : api.resolve(id, note ?? `resolved by ${actor}`, actor);
      if (result === 'unknown') throw errors.notFound(`no alert "${id}"`);
      if (result !== step) throw errors.conflict(`alert "${id}" is ${alerts.get(id)?.state ?? 'gone'}: it cannot be ${step} now`);
      deps.auth.audit(req, step === 'acked' ? 'alert.ack' : 'alert.resolve', `alert:${id}`, note ? { note } : undefined);
      return { alert: payloadOf(alerts.get(id) as AlertRow, clock.now()) };
    };
    app.post('/api/alerts/:id/ack', { onRequest: staffOnly, schema: { ...StaffStep, summary: 'a staff member acks an open or escalated alert' } }, staffStep('acked'));
    app.post('/api/alerts/:id/resolve', { onRequest: staffOnly, schema: { ...StaffStep, summary: 'a staff member resolves an alert, with a note' } }, staffStep('resolved'));
  };

  const module: Module & typeof api = {
    name: 'alerts',
    ...api,
    async start() {
      bus.on('alerts', 'deviceStatusChanged', (d) => {
        if (d.status === 'offline') offlineSince.set(d.deviceId, d.at);
        else {
          offlineSince.delete(d.deviceId);
          api.resolveSubject(`device:${d.deviceId}`, ['sensor-offline'], 'device back online');
        }
      });
      await mqtt.subscribe(topics.crewAckAny, onAck, 1);
      // aedes forgets its queues on restart: whatever is still open is sent again now.
      const now = clock.now();
      for (const a of alerts.list('active', 10_000)) {
        if (a.state !== 'acked') committed(() => store.db.transaction(() => void pending.push(announce(a.id, now)))());
      }
      timer = setInterval(tick, deps.tickMs ?? 1000);
      timer.unref();
    },
    async stop() {
      if (timer) clearInterval(timer);
      bus.removeOwner('alerts');
      await mqtt.unsubscribe(topics.crewAckAny, onAck).catch(() => undefined);
    },
    routes,
  };
  return module;
}
export type AlertsModule = ReturnType<typeof createAlertsModule>;
