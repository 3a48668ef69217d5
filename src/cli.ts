#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, InvalidArgumentError } from 'commander';
import { applyOverrides } from './config/overrides.js';
import { DEMO_SITE_FILE, formatIssues, loadSiteConfig, parseSiteYaml, validateSiteConfig } from './config/load.js';
import { systemClock } from './core/clock.js';
import { isTongxinError } from './core/errors.js';
import { createLogger } from './core/log.js';

/**
 * `tongxin …`: one binary for the service, the simulator and the maintainer's small jobs. The heavy
 * parts (broker, HTTP, argon2) are imported by the command that needs them, so `config check` is quick.
 */
const EXIT_CONFIG = 2;
const STOP_DEADLINE_MS = 10_000;

const port = (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('not a port number');
  return n;
};

function loadOrExit(file: string | undefined) {
  try {
    return loadSiteConfig(file ?? DEMO_SITE_FILE);
  } catch (err) {
    if (isTongxinError(err)) {
      process.stderr.write(`${err.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    throw err;
  }
}

const program = new Command('tongxin').description('Tongxin (同Xin): shared-lounge controller and kiosk').showHelpAfterError();

program
  .command('start')
  .description('run the service: broker, rules, store, HTTP and kiosk (the demo site when no --site is given)')
  .option('--site <file>', 'site file (YAML); default: the embedded demo site')
  .option('--data <dir>', 'data folder (overrides the site file)')
  .option('--http-port <port>', 'HTTP port (0: any free port)', port)
  .option('--mqtt-port <port>', 'embedded broker TCP port (0: any free port)', port)
  .option('--mqtt-ws-port <port>', 'embedded broker WebSocket port (0: any free port)', port)
  .option('--no-simulator', 'do not run the sensor simulator even if the site enables it')
  .option('--no-nodered', 'do not run Node-RED even if the site enables it')
  .action(async (o: { site?: string; data?: string; httpPort?: number; mqttPort?: number; mqttWsPort?: number; simulator: boolean; nodered: boolean }) => {
    const config = applyOverrides(loadOrExit(o.site), {
      ...(o.data !== undefined ? { dataDir: o.data } : {}),
      ...(o.httpPort !== undefined ? { httpPort: o.httpPort } : {}),
      ...(o.mqttPort !== undefined ? { mqttPort: o.mqttPort } : {}),
      ...(o.mqttWsPort !== undefined ? { mqttWsPort: o.mqttWsPort } : {}),
      ...(o.simulator ? {} : { simulator: false }),
      ...(o.nodered ? {} : { nodered: false }),
    });
    const log = createLogger();
    const { startApp } = await import('./app.js');
    const app = await startApp({ config, log });
    process.stdout.write(`\nTongxin is running: kiosk at ${app.httpUrl}/  ·  MQTT at ${app.mqttUrl}\n\n`);
    let stopping = false;
    const shutdown = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'shutting down');
      // systemd waits 90 s before SIGKILL; we never need more than a few.
      setTimeout(() => {
        log.error('shutdown took too long; exiting anyway');
        process.exit(1);
      }, STOP_DEADLINE_MS).unref();
      app.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          log.error({ err }, 'error during shutdown');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
  });

program
  .command('simulate')
  .description('publish simulated sensor readings for a site to any MQTT broker')
  .requiredOption('--url <url>', 'broker URL, e.g. mqtt://127.0.0.1:1883')
  .option('--site <file>', 'site file (YAML); default: the embedded demo site')
  .option('--username <name>', 'broker user name')
  .option('--password <password>', 'broker password')
  .option('--status', 'also publish device status (the credentials must allow it)', false)
  .option('--interval <seconds>', 'seconds between readings', Number)
  .option('--speed <factor>', 'how much faster than real time sensors change', Number)
  .action(async (o: { url: string; site?: string; username?: string; password?: string; status: boolean; interval?: number; speed?: number }) => {
    const config = loadOrExit(o.site);
    const log = createLogger();
    const { startSimulator } = await import('./sim/simulator.js');
    const sim = await startSimulator({
      config,
      url: o.url,
      clock: systemClock,
      log,
      publishStatus: o.status,
      ...(o.interval !== undefined ? { intervalMs: o.interval * 1000 } : {}),
      ...(o.speed !== undefined ? { speed: o.speed } : {}),
      ...(o.username !== undefined
        ? { credentials: (id: string) => ({ username: o.username as string, password: o.password ?? '', clientId: `sim-${id}-${process.pid}` }) }
        : {}),
    });
    const stop = () => void sim.stop().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });

program
  .command('bridge')
  .description('run the firmware bridge for one serial, Firmata or Modbus link (tongxin start runs one per link by itself)')
  .requiredOption('--link <id>', 'the link to serve, from the site file\'s links')
  .option('--site <file>', 'site file (YAML); default: the embedded demo site')
  .option('--url <url>', 'broker URL; default: the site\'s external broker, or its first embedded listener')
  .option('--username <name>', 'broker user (a device user for the link\'s device); the password is read from TONGXIN_MQTT_PASSWORD')
  .action(async (o: { link: string; site?: string; url?: string; username?: string }) => {
    const log = createLogger();
    const { SPEC_ENV, bridgeSpecFor, specFromEnv } = await import('../firmware-bridge/src/spec.js');
    // Supervised by `tongxin start`: everything, credentials included, comes in the environment.
    let spec = specFromEnv();
    if (spec && spec.link.id !== o.link) throw new Error(`${SPEC_ENV} is for link "${spec.link.id}", not "${o.link}"`);
    if (!spec) {
      const config = loadOrExit(o.site);
      const listener = config.mqtt.embedded?.listeners.find((l) => !l.websocket);
      const url = o.url ?? config.mqtt.external?.url ?? (listener ? `mqtt://${listener.host}:${listener.port}` : undefined);
      if (!url) throw new Error('no broker URL: give --url');
      const password = process.env.TONGXIN_MQTT_PASSWORD;
      try {
        spec = bridgeSpecFor(config, o.link, {
          url,
          clientId: `bridge-${o.link}-${process.pid}`,
          ...(o.username !== undefined ? { username: o.username } : {}),
          ...(password !== undefined ? { password } : {}),
        });
      } catch (err) {
        process.stderr.write(`${(err as Error).message}\n`);
        process.exit(EXIT_CONFIG);
      }
    }
    const { bridgeMain } = await import('../firmware-bridge/src/main.js');
    process.exit(await bridgeMain(spec, log));
  });

const configCmd = program.command('config').description('site file tools');
configCmd
  .command('check')
  .argument('<file>', 'site file (YAML)')
  .description('validate a site file and report every problem at once; starts nothing')
  .action((file: string) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      process.stderr.write(`cannot read ${file}: ${(err as Error).message}\n`);
      process.exit(EXIT_CONFIG);
    }
    const parsed = parseSiteYaml(text);
    const result = parsed.ok ? validateSiteConfig(parsed.doc) : parsed;
    if (!result.ok) {
      process.stderr.write(`${formatIssues(file, result.issues)}\n`);
      process.exit(EXIT_CONFIG);
    }
    process.stdout.write(`${file}: ok (site ${result.config.site.id}, ${result.config.sensors.length} sensors, ${result.config.points.length} collection points)\n`);
  });

const userCmd = program.command('user').description('staff accounts');
userCmd
  .command('add')
  .description('create a staff account (the first admin, say); the password is read on standard input')
  .requiredOption('--username <name>', 'login name')
  .requiredOption('--role <role>', 'admin, staff or committee')
  .option('--site <file>', 'site file (YAML); default: the embedded demo site')
  .option('--data <dir>', 'data folder (overrides the site file)')
  .action(async (o: { username: string; role: string; site?: string; data?: string }) => {
    const { ROLES, createStaffStore } = await import('./staff/staff-store.js');
    const { MIN_PASSWORD_LENGTH, hashPassword } = await import('./staff/passwords.js');
    if (!(ROLES as string[]).includes(o.role)) {
      process.stderr.write(`--role must be one of: ${ROLES.join(', ')}\n`);
      process.exit(EXIT_CONFIG);
    }
    const password = await readStdin();
    if (password.length < MIN_PASSWORD_LENGTH) {
      process.stderr.write(`a staff password needs at least ${MIN_PASSWORD_LENGTH} characters\n`);
      process.exit(EXIT_CONFIG);
    }
    const config = loadOrExit(o.site);
    const { openStore } = await import('./store/db.js');
    const { allMigrations } = await import('./migrations.js');
    const { resolve, join } = await import('node:path');
    const dataDir = resolve(o.data ?? config.dataDir);
    // Safe while the service runs: SQLite in WAL mode takes a second writer.
    const store = openStore(join(dataDir, 'tongxin.db'), createLogger({ level: 'warn' }), allMigrations);
    const staff = createStaffStore(store.db);
    if (staff.byName(o.username)) {
      process.stderr.write(`user "${o.username}" already exists\n`);
      store.close();
      process.exit(EXIT_CONFIG);
    }
    staff.add(o.username, await hashPassword(password), o.role as (typeof ROLES)[number], Date.now());
    staff.audit(Date.now(), 'command-line', 'user.add', o.username, { role: o.role });
    store.close();
    process.stdout.write(`created ${o.role} "${o.username}" in ${dataDir}\n`);
  });

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

program
  .command('hash-password')
  .description('read a password on standard input and print its argon2 hash for the site file')
  .action(async () => {
    const password = await readStdin();
    if (password.length < 8) {
      process.stderr.write('a password needs at least 8 characters\n');
      process.exit(EXIT_CONFIG);
    }
    const { hash } = await import('@node-rs/argon2');
    process.stdout.write(`${await hash(password)}\n`);
  });

const dbCmd = program.command('db').description('database tools');
dbCmd
  .command('backup')
  .argument('<file>', 'where to write the copy')
  .description('copy the database while the service runs (SQLite online backup), then check the copy')
  .option('--site <file>', 'site file (YAML); default: the embedded demo site')
  .option('--data <dir>', 'data folder (overrides the site file)')
  .option('--force', 'overwrite FILE if it exists', false)
  .action(async (file: string, o: { site?: string; data?: string; force: boolean }) => {
    const { existsSync } = await import('node:fs');
    const { join, resolve } = await import('node:path');
    const { BackupError, backupDatabase } = await import('./store/backup.js');
    const dataDir = resolve(o.data ?? loadOrExit(o.site).dataDir);
    if (!existsSync(dataDir)) {
      process.stderr.write(`data folder ${dataDir} does not exist: give --data (or --site) for the service's data folder\n`);
      process.exit(EXIT_CONFIG);
    }
    try {
      const r = await backupDatabase(join(dataDir, 'tongxin.db'), file, { force: o.force });
      const mb = (r.bytes / 1_048_576).toFixed(1);
      process.stdout.write(`backup written to ${r.file}: ${r.bytes} bytes (${mb} MiB), ${r.pages} pages of ${r.pageSize} bytes, integrity ok, in ${(r.ms / 1000).toFixed(1)} s\n`);
    } catch (err) {
      if (!(err instanceof BackupError)) throw err;
      process.stderr.write(`backup failed: ${err.message}\n`);
      // A copy that fails its check is a problem of the database, not of the command line.
      process.exit(err.reason === 'integrity' ? 1 : EXIT_CONFIG);
    }
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
