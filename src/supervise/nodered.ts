import { randomBytes } from 'node:crypto';
import { constants, copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { SiteConfig } from '../config/schema.js';
import { freePort } from '../core/free-port.js';
import { childLogger, type Logger } from '../core/log.js';
import { packageRoot } from '../core/paths.js';
import type { ChildSpec, Supervisor } from './supervisor.js';

/**
 * Node-RED as a supervised child process (DESIGN.md §Processes: one bad function node can stall its
 * whole runtime, so it must not share the service's event loop). Before the first start its user
 * folder is prepared inside the data folder: the shipped flows are copied there once and never
 * overwritten, and a credential secret is made when none is given. Node-RED reads the rest of its
 * configuration (flows/settings.cjs) from the environment passed here.
 *
 * Hang detection: every few seconds the service asks Node-RED for its editor page (it answers even
 * behind adminAuth); an answer is a heartbeat. A blocked event loop answers nothing, and the
 * supervisor kills and restarts it. Meanwhile the service goes on alone: Node-RED only ever asks.
 */
export const NODERED_CHILD = 'node-red';
export const SECRET_ENV = 'TONGXIN_NODERED_SECRET';
export const SECRET_FILE = '.credential-secret';

/** Timings; the defaults are for a Pi, where Node-RED takes several seconds to start. */
export interface NodeRedTuning {
  /** Node-RED's settings file and shipped flows (tests use their own). */
  flowsDir: string;
  settingsFile: string;
  probeEveryMs: number;
  probeTimeoutMs: number;
  /** No answer for this long (start-up included) and it is killed. */
  heartbeatTimeoutMs: number;
  backoff: NonNullable<ChildSpec['backoff']>;
  stopTimeoutMs: number;
}

export function defaultNodeRedTuning(): NodeRedTuning {
  const flowsDir = join(packageRoot(), 'flows');
  return {
    flowsDir,
    settingsFile: join(flowsDir, 'settings.cjs'),
    probeEveryMs: 5000,
    probeTimeoutMs: 3000,
    heartbeatTimeoutMs: 30_000,
    backoff: { initialMs: 1000, maxMs: 30_000 },
    stopTimeoutMs: 5000,
  };
}

/**
 * Loaded into the child before Node-RED: if the service dies without stopping it (kill -9 outside
 * systemd), Node-RED is re-parented and exits instead of holding its port against the next start.
 */
export const ORPHAN_GUARD = `data:text/javascript,${encodeURIComponent(
  'const parent = process.ppid; setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 2000).unref();',
)}`;

/** The address to reach a listener on from this machine: a wildcard bind is reached over loopback. */
export function loopbackFor(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * The user folder inside the data folder: flows copied once (a maintainer's edits are never
 * overwritten; a newer shipped file is only mentioned in the log) and a credential secret.
 */
export function prepareUserDir(o: { userDir: string; shippedFlows: string; env: NodeJS.ProcessEnv; log: Logger }): void {
  mkdirSync(o.userDir, { recursive: true });
  const flows = join(o.userDir, 'flows.json');
  if (!existsSync(flows)) {
    if (existsSync(o.shippedFlows)) {
      copyFileSync(o.shippedFlows, flows, constants.COPYFILE_EXCL);
      o.log.info({ flows }, 'default flows copied into the data folder');
    } else {
      o.log.warn({ shipped: o.shippedFlows }, 'no shipped flows to copy; Node-RED starts with none');
    }
  } else if (existsSync(o.shippedFlows) && statSync(o.shippedFlows).mtimeMs > statSync(flows).mtimeMs) {
    o.log.info({ flows, shipped: o.shippedFlows }, 'the shipped flows are newer than the ones in use; they are left as they are (import the new ones in the editor to take them)');
  }
  const secretFile = join(o.userDir, SECRET_FILE);
  if (!o.env[SECRET_ENV] && !existsSync(secretFile)) {
    // Node-RED encrypts the flows' credentials (webhook tokens…) with it; settings.cjs reads it.
    writeFileSync(secretFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    o.log.info({ file: secretFile }, 'credential secret created');
  }
}

export async function superviseNodeRed(o: {
  config: SiteConfig;
  supervisor: Supervisor;
  /** Absolute data folder. */
  dataDir: string;
  mqttUrl: string;
  /** Node-RED's broker account (role nodered), if there is one. */
  mqttCredentials: { username: string; password: string } | undefined;
  /** The service's own base URL, for adminAuth to check staff logins. */
  httpUrl: string;
  log: Logger;
  tuning?: Partial<NodeRedTuning>;
}): Promise<{ port: number; url: string; stop(): void }> {
  const log = childLogger(o.log, 'nodered');
  const t = { ...defaultNodeRedTuning(), ...o.tuning };
  if (!existsSync(t.settingsFile)) throw new Error(`Node-RED settings file ${t.settingsFile} is missing`);
  const redJs = createRequire(import.meta.url).resolve('node-red/red.js');
  const { host } = o.config.nodered;
  // Port 0 means "any free one", chosen once so that restarts and the probe agree on it.
  const port = o.config.nodered.port === 0 ? await freePort(host) : o.config.nodered.port;
  const userDir = join(o.dataDir, 'node-red');
  prepareUserDir({ userDir, shippedFlows: join(t.flowsDir, 'flows.json'), env: process.env, log });

  const env: Record<string, string> = {
    TONGXIN_SITE_ID: o.config.site.id,
    TONGXIN_MQTT_URL: o.mqttUrl,
    // Set even when empty: a value inherited from the service's environment is not Node-RED's.
    TONGXIN_MQTT_USERNAME: o.mqttCredentials?.username ?? '',
    TONGXIN_MQTT_PASSWORD: o.mqttCredentials?.password ?? '',
    TONGXIN_HTTP_URL: o.httpUrl,
    TONGXIN_NODERED_PORT: String(port),
    TONGXIN_NODERED_HOST: host,
    TONGXIN_FLOWS_DIR: t.flowsDir,
    // Where the credential secret file is: settings.cjs is loaded before Node-RED knows its userDir.
    TONGXIN_NODERED_USER_DIR: userDir,
  };
  const secret = process.env[SECRET_ENV];
  if (secret) env[SECRET_ENV] = secret;

  o.supervisor.add({
    name: NODERED_CHILD,
    command: process.execPath,
    // uiHost is also given here: Node-RED binds 0.0.0.0 when its settings forget it.
    args: ['--import', ORPHAN_GUARD, redJs, '--settings', t.settingsFile, '--userDir', userDir, '--port', String(port), '--define', `uiHost=${host}`],
    env,
    cwd: userDir,
    heartbeatTimeoutMs: t.heartbeatTimeoutMs,
    backoff: t.backoff,
    stopTimeoutMs: t.stopTimeoutMs,
  });

  const url = `http://${loopbackFor(host)}:${port}/`;
  let inFlight = false;
  const probe = async () => {
    if (inFlight) return;
    inFlight = true;
    try {
      // Any HTTP answer will do: the event loop that sent it is alive.
      const res = await fetch(url, { signal: AbortSignal.timeout(t.probeTimeoutMs), redirect: 'manual' });
      await res.body?.cancel();
      o.supervisor.heartbeat(NODERED_CHILD);
    } catch {
      // No answer: not starting yet, restarting, or hung; the supervisor's timeout decides.
    } finally {
      inFlight = false;
    }
  };
  const timer = setInterval(() => void probe(), t.probeEveryMs);
  timer.unref();
  log.info({ url, userDir, settings: t.settingsFile }, 'Node-RED supervised');
  return {
    port,
    url,
    stop: () => clearInterval(timer),
  };
}
