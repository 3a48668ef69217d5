import { resolve, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { SiteConfig } from './config/schema.js';
import { siteTopics } from './contract/topics.js';
import { createBus } from './core/bus.js';
import { systemClock, type Clock } from './core/clock.js';
import { createClockTrust } from './core/clock-trust.js';
import { createCounters, type Counters } from './core/counters.js';
import { childLogger, type Logger } from './core/log.js';
import type { Module } from './core/module.js';
import type { ModuleDeps } from './deps.js';
import type { TongxinEvents } from './events.js';
import { createHealth } from './health.js';
import { healthPlugin, type HealthReport } from './http/health.js';
import { livePlugin } from './http/live.js';
import { metricsPlugin } from './http/metrics.js';
import { createMetrics } from './metrics/metrics.js';
import { sitePlugin } from './http/site.js';
import { adminPagePlugin } from './http/admin-page.js';
import { buildHttp } from './http/server.js';
import { createAuthenticator } from './mqtt/auth.js';
import { mintInternalCredentials } from './mqtt/internal-credentials.js';
import { startEmbeddedBroker, type BoundListener, type EmbeddedBroker } from './mqtt/broker.js';
import { connectMqtt, type MqttConnection } from './mqtt/connection.js';
import { createOutboxService } from './mqtt/outbox-service.js';
import { createAlertsModule, type AlertsModule } from './alerts/alerts-module.js';
import { createDevicesModule } from './sensors/devices-module.js';
import { createWasteModule, type WasteModule } from './waste/waste-module.js';
import { createIngestModule } from './sensors/ingest-module.js';
import { startSimulator, type Simulator } from './sim/simulator.js';
import { allMigrations } from './migrations.js';
import { createStaffAuth } from './staff/auth.js';
import { createConcernsModule } from './concerns/concerns-module.js';
import { createGardenModule } from './garden/garden-module.js';
import { createReportModule } from './report/report-module.js';
import { createHealthModule } from './health/health-module.js';
import { createHistoryModule } from './history/history-module.js';
import { createHistoryReads } from './history/history-reads.js';
import { siteCalendar } from './waste/calendar.js';
import { createLoungeModule } from './lounge/lounge-module.js';
import { createServicesModule } from './services/services-module.js';
import { createStaffModule } from './staff/staff-module.js';
import { createStaffStore } from './staff/staff-store.js';
import { openStore, type Store } from './store/db.js';
import { wallTimeMeta } from './store/wall-time.js';
import { createNativeModule } from './sensors/native-module.js';
import { createSupervisor, type Supervisor } from './supervise/supervisor.js';
import { superviseBridges } from './supervise/bridges.js';
import { loopbackFor, superviseNodeRed, type NodeRedTuning } from './supervise/nodered.js';
import { createNodeRedRequestsModule } from './nodered/requests-module.js';
import { createDailySummaryModule } from './nodered/summary-module.js';
import { createHomeAssistantModule } from './homeassistant/homeassistant-module.js';
import { announceServiceStatus, serviceWill } from './homeassistant/service-status.js';
import { startUplink } from './uplink/start.js';

/**
 * The composition root: builds every part from the validated site config, starts them in order and
 * stops them in reverse. A module that fails to start is logged and reported as degraded; the rest
 * keep running (EXAMPLES.md §1).
 */
export interface AppOptions {
  config: SiteConfig;
  log: Logger;
  clock?: Clock;
  /** Where the NTP-synchronised marker lives; tests point it elsewhere. */
  ntpMarker?: string;
  /** Node-RED's settings, shipped flows and probe timings; tests use their own. */
  nodered?: Partial<NodeRedTuning>;
}

export interface RunningApp {
  readonly config: SiteConfig;
  readonly httpUrl: string;
  readonly mqttUrl: string;
  /** The embedded broker's listeners as bound (empty with an external broker). */
  readonly brokerListeners: readonly BoundListener[];
  readonly http: FastifyInstance;
  readonly store: Store;
  /** The service's own broker connection (tests watch the whole broker through it). */
  readonly mqtt: MqttConnection;
  readonly counters: Counters;
  readonly supervisor: Supervisor;
  readonly alerts: AlertsModule;
  readonly waste: WasteModule;
  health(): HealthReport;
  stop(): Promise<void>;
}

const CLOCK_CHECK_MS = 60_000;

export async function startApp(opts: AppOptions): Promise<RunningApp> {
  const { config } = opts;
  const clock = opts.clock ?? systemClock;
  const log = opts.log;
  const appLog = childLogger(log, 'app');
  const counters = createCounters();
  const topics = siteTopics(config.site.id);
  const bus = createBus<TongxinEvents>(childLogger(log, 'bus'));
  const cleanups: (() => Promise<void> | void)[] = [];
  const stopAll = async () => {
    for (const fn of cleanups.reverse()) {
      try {
        await fn();
      } catch (err) {
        appLog.error({ err }, 'error while stopping');
      }
    }
    cleanups.length = 0;
  };

  try {
    const dataDir = resolve(config.dataDir);
    const store = openStore(join(dataDir, 'tongxin.db'), childLogger(log, 'store'), allMigrations);
    cleanups.push(() => store.close());

    const trust = createClockTrust({
      clock,
      trustAtStart: config.clock.trustAtStart,
      store: wallTimeMeta(store),
      ...(opts.ntpMarker ? { ntpMarker: opts.ntpMarker } : {}),
    });
    trust.check();
    const trustTimer = setInterval(() => trust.check(), CLOCK_CHECK_MS);
    trustTimer.unref();
    cleanups.push(() => clearInterval(trustTimer));

    const credentials = mintInternalCredentials(config);

    let broker: EmbeddedBroker | undefined;
    if (config.mqtt.embedded) {
      broker = await startEmbeddedBroker({
        siteId: config.site.id,
        listeners: config.mqtt.embedded.listeners,
        authenticate: createAuthenticator(config, credentials.all),
        log: childLogger(log, 'broker'),
        counters,
        discoveryPrefix: config.homeassistant.enabled ? config.homeassistant.discoveryPrefix : undefined,
      });
      const b = broker;
      cleanups.push(() => b.close());
    }
    const mqttUrl = broker?.url ?? (config.mqtt.external?.url as string);
    const mqtt: MqttConnection = await connectMqtt({
      url: mqttUrl,
      clientId: `tongxin-service-${config.site.id}`,
      username: broker ? credentials.service.username : config.mqtt.external?.username,
      password: broker ? credentials.service.password : config.mqtt.external?.password,
      will: serviceWill(topics),
      log: childLogger(log, 'mqtt'),
      counters,
    });
    cleanups.push(() => mqtt.close());
    // The service's own availability (retained, with its will): Home Assistant's entities follow it.
    const serviceStatus = announceServiceStatus(mqtt, topics, childLogger(log, 'mqtt'));
    cleanups.push(() => serviceStatus.stop());

    const staffStore = createStaffStore(store.db);
    const auth = createStaffAuth({ store: staffStore, clock });
    const outbox = createOutboxService({ db: store.db, mqtt, topics, clock, log: childLogger(log, 'outbox') });
    outbox.start();
    cleanups.push(() => outbox.stop());
    const deps: ModuleDeps = { config, topics, store, bus, mqtt, clock, log, counters, auth, outbox };
    const devices = createDevicesModule(deps);
    // One reader of raw readings and roll-ups, for the sensors' history API and the bins' fill history.
    const historyReads = createHistoryReads(store.db, config.history);
    const ingest = createIngestModule({ ...deps, isDeviceOnline: devices.isOnline, historyReads });
    // A bin's fill history past the raw retention comes from the roll-ups, like a sensor's.
    const readingsHistory = (sensorId: string, since: number, limit: number) => historyReads.read({ sensorId, since, now: clock.now(), resolution: 'auto', limit }).points;
    const alerts = createAlertsModule(deps);
    const calendar = siteCalendar(config);
    // The schedule re-checks trust at every tick: when NTP syncs, lids should follow within seconds.
    const waste = createWasteModule({ ...deps, alerts, calendar, clockTrusted: trust.check, readingsHistory });
    const staff = createStaffModule({ auth, store: staffStore, clock });
    const garden = createGardenModule({ ...deps, alerts, calendar, isDeviceOnline: devices.isOnline, latestReadings: ingest.readings.latest });
    // Node-RED's side of the service: its requests (applied by the same rules as staff changes) and the daily summary.
    const noderedRequests = createNodeRedRequestsModule({ ...deps, alerts, garden, audit: (actor, action, target, detail) => staffStore.audit(clock.now(), actor, action, target, detail) });
    const dailySummary = createDailySummaryModule({ ...deps, clockTrusted: trust.check });
    const modules: Module[] = [staff, devices, ingest, createNativeModule(deps), alerts, waste, garden, createServicesModule(deps), createHealthModule(deps), createLoungeModule(deps), createConcernsModule(deps), createReportModule(deps), createHistoryModule(deps), noderedRequests, dailySummary];
    modules.push(createHomeAssistantModule(deps));
    const failedModules = new Set<string>();
    for (const m of modules) {
      try {
        await m.start();
        cleanups.push(() => m.stop());
      } catch (err) {
        failedModules.add(m.name);
        appLog.error({ err, module: m.name }, 'module failed to start; running without it');
      }
    }

    const supervisor = createSupervisor({ log, clock, counters });
    const bridges = await superviseBridges({
      config,
      supervisor,
      mqtt,
      mqttUrl,
      topics,
      credentialsFor: (linkId) => (broker ? credentials.bridges.get(linkId) : config.mqtt.external?.username !== undefined ? { username: config.mqtt.external.username, password: config.mqtt.external.password ?? '' } : undefined),
      now: clock.now,
      log,
      counters,
    });
    supervisor.start();
    cleanups.push(() => supervisor.stop());
    cleanups.push(() => bridges.stop());

    // Forwards tongxin/<site>/… to a central broker when configured; the site runs alone without it.
    const local = { url: mqttUrl, username: broker ? credentials.service.username : config.mqtt.external?.username, password: broker ? credentials.service.password : config.mqtt.external?.password };
    const uplink = await startUplink({ config, local, store, clock, log, counters, onFailed: () => failedModules.add('uplink') });
    if (uplink) cleanups.push(() => uplink.stop());

    const health = createHealth({ siteId: config.site.id, clock, store, mqtt, mqttUrl, broker, trust, failedModules, counters, children: () => supervisor.status(), uplink: uplink?.status });

    const http = await buildHttp({
      log: childLogger(log, 'http'),
      plugins: [healthPlugin(health), metricsPlugin({ auth, metrics: createMetrics({ counters, store, outboxPending: outbox.pending, mqtt, brokerClients: broker?.connectedClients, children: () => supervisor.status(), health, uplink: uplink?.status }) }), sitePlugin(config), adminPagePlugin, livePlugin({ bus, counters, clock }), ...modules.flatMap((m) => (m.routes ? [m.routes] : []))],
    });
    await http.listen({ port: config.http.port, host: config.http.host });
    cleanups.push(() => http.close());
    const addr = http.server.address();
    const httpPort = typeof addr === 'object' && addr ? addr.port : config.http.port;
    const httpUrl = `http://${config.http.host.includes(':') ? `[${config.http.host}]` : config.http.host}:${httpPort}`;

    // Node-RED last, once the HTTP port is known: its editor checks staff logins against it. The
    // service does not depend on it: without it, alerts, the schedule and the lids go on.
    if (config.nodered.enabled) {
      try {
        const nodered = await superviseNodeRed({
          config,
          supervisor,
          dataDir,
          mqttUrl,
          mqttCredentials: broker
            ? { username: credentials.nodered.username, password: credentials.nodered.password }
            : config.nodered.mqtt
              ? { username: config.nodered.mqtt.username, password: config.nodered.mqtt.password ?? '' }
              : undefined,
          httpUrl: `http://${loopbackFor(config.http.host)}:${httpPort}`,
          log,
          ...(opts.nodered ? { tuning: opts.nodered } : {}),
        });
        cleanups.push(() => nodered.stop());
      } catch (err) {
        failedModules.add('node-red');
        appLog.error({ err }, 'Node-RED could not be started; running without it');
      }
    }

    let simulator: Simulator | undefined;
    if (config.simulator.enabled) {
      simulator = await startSimulator({
        config,
        url: mqttUrl,
        clock,
        log,
        publishStatus: Boolean(broker),
        credentials: (deviceId) => {
          const c = credentials.simulated.get(deviceId);
          return broker && c ? { username: c.username, password: c.password, clientId: c.username } : undefined;
        },
      });
      const sim = simulator;
      cleanups.push(() => sim.stop());
    }

    appLog.info({ site: config.site.id, http: httpUrl, mqtt: mqttUrl, dataDir, simulator: Boolean(simulator) }, 'tongxin started');
    return { config, httpUrl, mqttUrl, brokerListeners: broker?.listeners ?? [], http, store, mqtt, counters, supervisor, alerts, waste, health, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
