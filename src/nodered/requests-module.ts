import type { AlertsModule } from '../alerts/alerts-module.js';
import { parseActuatorRequest, parseAlertRequest, readRequestId, type Parsed } from '../contract/parse.js';
import type { ReplyPayload } from '../contract/payloads.js';
import { parseSiteTopic } from '../contract/topics.js';
import { isTongxinError } from '../core/errors.js';
import { childLogger } from '../core/log.js';
import type { Module } from '../core/module.js';
import { createThrottledWarn } from '../core/throttled-log.js';
import type { ModuleDeps } from '../deps.js';
import type { GardenModule } from '../garden/garden-module.js';
import { planActuatorRequest } from './actuator-request.js';
import { createRecentReplies } from './recent-replies.js';

/**
 * Node-RED's requests to the service (`request/actuator/<id>`, `request/alert/<id>`), each answered on
 * `reply/<requestId>`. Node-RED may publish nothing else (src/mqtt/acl.ts): whatever a flow wants
 * done goes through here and the same rules as the admin page. A malformed request is counted and
 * logged with its reason, never thrown, and refused on its reply topic when its requestId can be read.
 */
export const NODERED_ACTOR = 'node-red';
export const REQUESTS_HANDLED = 'nodered_requests';
export const REQUESTS_REJECTED = 'nodered_requests_rejected';
export const REQUESTS_REPEATED = 'nodered_requests_repeated';

export interface NodeRedRequestsDeps extends ModuleDeps {
  alerts: Pick<AlertsModule, 'ackAs' | 'resolve'>;
  garden: Pick<GardenModule, 'override' | 'automationHold'>;
  /** The staff audit log, where every override also goes, under the actor `node-red`. */
  audit: (actor: string, action: string, target: string, detail: unknown) => void;
}

export function createNodeRedRequestsModule(deps: NodeRedRequestsDeps) {
  const { config, mqtt, topics, counters, alerts, garden } = deps;
  const log = childLogger(deps.log, 'nodered');
  const warn = createThrottledWarn(log, { now: deps.clock.now });
  const recent = createRecentReplies();

  const reply = (key: string, r: ReplyPayload) => {
    recent.set(key, r);
    counters.inc(REQUESTS_HANDLED, r.ok ? 'ok' : (r.reason ?? 'refused'));
    mqtt.publish(topics.reply(r.requestId), JSON.stringify(r), { qos: 1, retain: false }).catch((err: unknown) => {
      log.warn({ requestId: r.requestId, err: (err as Error).message }, 'could not publish a reply');
    });
  };

  /** Parses, answers a repeat with the first answer, and hands a fresh request to `handle`. */
  const serve =
    <T extends { requestId: string }>(parse: (p: Buffer) => Parsed<T>, handle: (topic: string, body: T) => Omit<ReplyPayload, 'requestId'>) =>
    (topic: string, payload: Buffer) => {
      const parsed = parse(payload);
      if (!parsed.ok) {
        counters.inc(REQUESTS_REJECTED, parsed.reason);
        warn(`malformed:${parsed.reason}`, { topic, reason: parsed.reason, detail: parsed.detail.slice(0, 200) }, 'Node-RED request rejected');
        const requestId = readRequestId(payload);
        if (requestId !== undefined) reply(`${topic} ${requestId}`, { requestId, ok: false, reason: 'malformed', detail: { reason: parsed.reason, detail: parsed.detail.slice(0, 200) } });
        return;
      }
      const key = `${topic} ${parsed.value.requestId}`;
      const earlier = recent.get(key);
      if (earlier) {
        counters.inc(REQUESTS_REPEATED);
        void mqtt.publish(topics.reply(earlier.requestId), JSON.stringify(earlier), { qos: 1, retain: false }).catch(() => undefined);
        return;
      }
      let answer: Omit<ReplyPayload, 'requestId'>;
      try {
        answer = handle(topic, parsed.value);
      } catch (err) {
        log.error({ err, topic, requestId: parsed.value.requestId }, 'Node-RED request failed');
        answer = { ok: false, reason: isTongxinError(err) ? err.code : 'error', detail: { message: (err as Error).message } };
      }
      reply(key, { requestId: parsed.value.requestId, ...answer });
    };

  const onActuator = serve(parseActuatorRequest, (topic, body) => {
    const parsed = parseSiteTopic(config.site.id, topic);
    if (parsed?.kind !== 'actuatorRequest') return { ok: false, reason: 'unknown-actuator' };
    const plan = planActuatorRequest({ actuatorId: parsed.actuatorId, state: body.state, minutes: body.minutes }, config, garden.automationHold);
    if (plan.action === 'refuse') {
      log.info({ actuatorId: parsed.actuatorId, state: body.state, requestId: body.requestId, reason: plan.reason }, 'Node-RED actuator request refused');
      return { ok: false, reason: plan.reason, ...(plan.detail ? { detail: plan.detail } : {}) };
    }
    const result = garden.override({
      bedId: plan.bedId,
      state: plan.state,
      minutes: plan.minutes,
      actor: NODERED_ACTOR,
      audit: (detail) => deps.audit(NODERED_ACTOR, 'garden.override', `bed:${plan.bedId}`, { ...detail, requestId: body.requestId, ...(body.reason ? { reason: body.reason } : {}) }),
    });
    return { ok: true, detail: { bedId: plan.bedId, actuatorId: parsed.actuatorId, ...result } };
  });

  const onAlert = serve(parseAlertRequest, (topic, body) => {
    const parsed = parseSiteTopic(config.site.id, topic);
    if (parsed?.kind !== 'alertRequest') return { ok: false, reason: 'unknown-alert' };
    const { alertId } = parsed;
    if (body.action === 'ack') {
      const r = alerts.ackAs(alertId, NODERED_ACTOR);
      if (r === 'unknown') return { ok: false, reason: 'unknown-alert' };
      if (r === 'resolved') return { ok: false, reason: 'already-resolved' };
      log.info({ alertId, requestId: body.requestId, changed: r === 'acked' }, 'alert acked by Node-RED');
      return { ok: true, detail: { alertId, state: 'acked', changed: r === 'acked' } };
    }
    const r = alerts.resolve(alertId, body.note ?? 'resolved by Node-RED', NODERED_ACTOR);
    if (r === 'unknown') return { ok: false, reason: 'unknown-alert' };
    log.info({ alertId, requestId: body.requestId, changed: r === 'resolved' }, 'alert resolved by Node-RED');
    return { ok: true, detail: { alertId, state: 'resolved', changed: r === 'resolved' } };
  });

  const module: Module = {
    name: 'nodered-requests',
    async start() {
      await mqtt.subscribe(topics.actuatorRequestAny, onActuator, 1);
      await mqtt.subscribe(topics.alertRequestAny, onAlert, 1);
    },
    async stop() {
      await mqtt.unsubscribe(topics.actuatorRequestAny, onActuator).catch(() => undefined);
      await mqtt.unsubscribe(topics.alertRequestAny, onAlert).catch(() => undefined);
    },
  };
  return module;
}
