import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { loadSiteConfig } from '../../src/config/load.js';
import { packageRoot } from '../../src/core/paths.js';
import { tempDir } from '../helpers/app.js';

/**
 * The soak: the compiled service (no simulator, no Node-RED) as a child process takes ~1,000
 * readings/s over MQTT for N minutes, spread across the demo site's soil probes, bin sensors and door
 * counters, with values that make bins fill and get emptied (alerts raised, resent and resolved) and
 * people come and go. Its RSS is read from /proc/<pid>/status every 10 s: what a Pi would see.
 */
const CLI = join(packageRoot(), 'dist', 'src', 'cli.js');
const SITE = 'xianxia-demo';
const SAMPLE_MS = 10_000;

export interface ServiceChild {
  readonly pid: number;
  readonly httpUrl: string;
  readonly mqttUrl: string;
  stop(): Promise<void>;
}

/** Starts `tongxin start` from dist/ on free ports in a temporary data folder; resolves once /healthz answers. */
export async function startServiceChild(extraArgs: string[] = []): Promise<ServiceChild> {
  const { dir, remove } = tempDir('tongxin-bench-');
  const child: ChildProcess = spawn(
    process.execPath,
    // As the Pi runs it (firmware-bridge/pi/tongxin.service, npm start).
    ['--max-semi-space-size=4', CLI, 'start', '--no-simulator', '--no-nodered', '--data', dir, '--http-port', '0', '--mqtt-port', '0', '--mqtt-ws-port', '0', ...extraArgs],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: packageRoot(), env: { ...process.env, TONGXIN_LOG_LEVEL: 'warn' } },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    remove();
  };
  let out = '';
  child.stdout?.on('data', (d: Buffer) => {
    // Only the start-up banner matters; later output (warnings) is dropped so it cannot pile up.
    if (out.length < 64 * 1024) out += d.toString();
  });
  try {
    const deadline = Date.now() + 20_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`the service exited early: ${out}`);
      if (Date.now() > deadline) throw new Error(`the service did not start in 20 s: ${out}`);
      const m = /kiosk at (http:\/\/[^/\s]+)\/\s+·\s+MQTT at (mqtt:\/\/\S+)/.exec(out);
      if (m && (await fetch(`${m[1]}/healthz`).then((r) => r.ok, () => false))) {
        return { pid: child.pid as number, httpUrl: m[1] as string, mqttUrl: m[2] as string, stop };
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Publishes `perSecond` QoS 0 messages a second, paced against the wall clock, until stopped. */
export async function pacedPublisher(url: string, perSecond: number, message: (i: number, t: number) => [topic: string, payload: string]) {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
  const t0 = performance.now();
  let sent = 0;
  const timer = setInterval(() => {
    const elapsed = (performance.now() - t0) / 1000;
    const due = Math.floor(elapsed * perSecond);
    for (; sent < due; sent++) {
      const [topic, payload] = message(sent, elapsed);
      client.publish(topic, payload, { qos: 0 });
    }
  }, 5);
  return {
    sent: () => sent,
    async stop() {
      clearInterval(timer);
      const rate = sent / ((performance.now() - t0) / 1000);
      await client.endAsync();
      return { sent, rate };
    },
  };
}

/**
 * One reading of the demo site, chosen by the message index and the time since the start: soil probes
 * wander inside "ok" (no watering), each bin fills from ~5 % to ~105 % over two minutes and is then
 * emptied (warn, full and overflow alerts, a pickup that resolves them), door counters see a person
 * now and then, as many leaving as coming in.
 */
export function demoReadings(): (i: number, t: number) => [string, string] {
  const sensors = loadSiteConfig().sensors.filter((s) => s.kind === 'soil-moisture' || s.kind === 'bin-level' || s.kind === 'footfall');
  const topic = (id: string) => `tongxin/${SITE}/sensor/${id}/raw`;
  return (i, t) => {
    const k = i % sensors.length;
    const s = sensors[k]!;
    const round = Math.floor(i / sensors.length);
    let value: number;
    if (s.kind === 'soil-moisture') value = Math.round(400 + 20 * Math.sin(t / 30 + k)); // ≈ 45–58 %
    else if (s.kind === 'bin-level') {
      const phase = (t / 120 + k / 8) % 1;
      value = Number((100 - (5 + 100 * phase) * 0.9).toFixed(1)); // distance in cm: 100 empty, 10 full
    } else value = round % 50 === 0 ? 1 : 0; // a person every 50 readings of a door sensor; 0 is a heartbeat
    return [topic(s.id), JSON.stringify({ value, at: Date.now() })];
  };
}

/** VmRSS of a process in bytes, from /proc (Linux). */
export function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  if (!kb) throw new Error(`no VmRSS for process ${pid}`);
  return Number(kb) * 1024;
}

export interface SoakResult {
  minutes: number;
  readingsPerSecond: number;
  accepted: number;
  rejected: number;
  /** RSS right after start, before any reading (MB). */
  startMb: number;
  endMb: number;
  maxMb: number;
  /** RSS at the end minus RSS at half time (MB). */
  lastHalfGrowthMb: number;
  /** Least-squares slope of RSS over the last half (MB/min). */
  lastHalfSlopeMbPerMin: number;
  heapUsedMb: number;
  eventLoopP99Ms: number;
  samples: { s: number; mb: number }[];
}

const MB = 1024 * 1024;

function slope(points: { s: number; mb: number }[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((a, p) => a + p.s, 0) / n;
  const my = points.reduce((a, p) => a + p.mb, 0) / n;
  const num = points.reduce((a, p) => a + (p.s - mx) * (p.mb - my), 0);
  const den = points.reduce((a, p) => a + (p.s - mx) ** 2, 0);
  return den === 0 ? 0 : (num / den) * 60;
}

/** A value from the Prometheus text (the first series of that name with those labels). */
function metric(text: string, name: string, labels = ''): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${name}${labels} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

export async function soak(minutes: number, perSecond = 1000, log: (line: string) => void = () => undefined): Promise<SoakResult> {
  const service = await startServiceChild();
  try {
    const startMb = rssOf(service.pid) / MB;
    const load = await pacedPublisher(service.mqttUrl, perSecond, demoReadings());
    const t0 = performance.now();
    const samples: { s: number; mb: number }[] = [{ s: 0, mb: startMb }];
    const endAt = t0 + minutes * 60_000;
    while (performance.now() < endAt - 100) {
      await new Promise((r) => setTimeout(r, Math.min(SAMPLE_MS, endAt - performance.now())));
      const s = (performance.now() - t0) / 1000;
      const mb = rssOf(service.pid) / MB;
      samples.push({ s, mb });
      // Where the memory is, as Prometheus would see it every 10 s: V8's heap (committed and live).
      const m = await (await fetch(`${service.httpUrl}/metrics`)).text();
      const heap = (name: string) => ((metric(m, name) ?? 0) / MB).toFixed(1);
      log(`soak ${s.toFixed(0)} s: RSS ${mb.toFixed(1)} MB (V8 heap ${heap('nodejs_heap_size_total_bytes')} MB, ${heap('nodejs_heap_size_used_bytes')} MB live), ${load.sent()} readings sent`);
    }
    const { sent, rate } = await load.stop();
    // Let the last batch land, then read the service's own account of what it took in.
    await new Promise((r) => setTimeout(r, 500));
    const text = await (await fetch(`${service.httpUrl}/metrics`)).text();
    const accepted = metric(text, 'tongxin_readings_accepted_total') ?? 0;
    const rejected = text
      .split('\n')
      .filter((l) => l.startsWith('tongxin_readings_rejected_total'))
      .reduce((a, l) => a + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
    if (accepted < sent * 0.99) throw new Error(`the service accepted ${accepted} of ${sent} readings`);
    const half = samples[samples.length - 1]!.s / 2;
    const lastHalf = samples.filter((p) => p.s >= half);
    const end = samples[samples.length - 1]!.mb;
    return {
      minutes,
      readingsPerSecond: rate,
      accepted,
      rejected,
      startMb,
      endMb: end,
      maxMb: Math.max(...samples.map((p) => p.mb)),
      lastHalfGrowthMb: end - lastHalf[0]!.mb,
      lastHalfSlopeMbPerMin: slope(lastHalf),
      heapUsedMb: (metric(text, 'nodejs_heap_size_used_bytes') ?? 0) / MB,
      eventLoopP99Ms: (metric(text, 'nodejs_eventloop_lag_p99_seconds') ?? 0) * 1000,
      samples,
    };
  } finally {
    await service.stop();
  }
}
