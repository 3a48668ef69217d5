import type { Clock } from './core/clock.js';
import type { ClockTrust } from './core/clock-trust.js';
import type { Counters } from './core/counters.js';
import type { HealthReport } from './http/health.js';
import type { EmbeddedBroker } from './mqtt/broker.js';
import type { MqttConnection } from './mqtt/connection.js';
import type { Store } from './store/db.js';
import type { ChildStatus } from './supervise/supervisor.js';

/**
 * What /healthz reports: each part checked now, and by name what is degraded. Only a lost store makes
 * the service "down"; without a broker or a trusted clock it still serves the kiosk.
 */
export function createHealth(parts: {
  siteId: string;
  clock: Clock;
  store: Store;
  mqtt: MqttConnection;
  mqttUrl: string;
  broker: EmbeddedBroker | undefined;
  trust: ClockTrust;
  failedModules: ReadonlySet<string>;
  counters: Counters;
  /** The supervised children (bridges, Node-RED): one waiting to be restarted is degraded. */
  children: () => ChildStatus[];
  /** The uplink to a central broker, when one is configured: degraded while it is down. */
  uplink?: (() => { ok: boolean } & Record<string, unknown>) | undefined;
}): () => HealthReport {
  const startedAt = parts.clock.now();
  return () => {
    const trusted = parts.trust.trusted();
    const checks = {
      // Readable but not writable (a full disk) is degraded, not down: the kiosk and alerts go on.
      store: { ok: parts.store.ping(), writeProblem: parts.store.writeProblem() ?? null },
      broker: { ok: parts.mqtt.connected(), url: parts.mqttUrl, embedded: Boolean(parts.broker), clients: parts.broker?.connectedClients() ?? null },
      clock: { ok: trusted, trusted },
      children: { ok: true, list: parts.children().map((c) => ({ name: c.name, state: c.state, restarts: c.restarts, lastExit: c.lastExit?.reason ?? null })) },
    };
    const degraded = [...parts.failedModules].map((m) => `module:${m}`);
    if (!checks.store.ok) degraded.push('store');
    else if (checks.store.writeProblem) degraded.push(`store:${checks.store.writeProblem}`);
    if (!checks.broker.ok) degraded.push('broker');
    if (!trusted) degraded.push('clock-untrusted');
    for (const c of checks.children.list) if (c.state === 'backoff') degraded.push(`child:${c.name}`);
    checks.children.ok = !checks.children.list.some((c) => c.state === 'backoff');
    const uplink = parts.uplink?.();
    if (uplink && !uplink.ok) degraded.push('uplink');
    return {
      status: !checks.store.ok ? 'down' : degraded.length > 0 ? 'degraded' : 'ok',
      site: parts.siteId,
      uptimeSeconds: Math.round((parts.clock.now() - startedAt) / 1000),
      degraded,
      checks: uplink ? { ...checks, uplink } : checks,
      counters: parts.counters.snapshot(),
    };
  };
}
