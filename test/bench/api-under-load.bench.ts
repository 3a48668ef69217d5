import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { Agent, get } from 'node:http';
import { join } from 'node:path';
import { DEMO_SITE_FILE, parseSiteYaml } from '../../src/config/load.js';
import { packageRoot } from '../../src/core/paths.js';
import { tempDir } from '../helpers/app.js';
import { demoReadings, pacedPublisher, startServiceChild } from './soak.bench.js';

/**
 * Kiosk API requests/s while ~1,000 readings/s are ingested, beside the same HTTP load against a bare
 * fastify process answering the very same JSON bodies (captured from the service first), in the same
 * run, windows alternating. Both servers are child processes; the load comes from this process: N
 * keep-alive connections, each sending its next request when the last one's answer has arrived, the
 * paths rotating. The site file lifts the public rate limit (120 a minute per client, which a bench
 * from one address would hit at once) but keeps the limiter in the path, as a kiosk pays for it.
 */
export const PATHS = ['/api/sensors', '/api/waste/points', '/api/garden'];
const INGEST_PER_SECOND = 1000;
const WARM_UP_MS = 1000;

const BARE = `
  const { readFileSync } = await import('node:fs');
  const Fastify = (await import('fastify')).default;
  const bodies = JSON.parse(readFileSync(process.env.BENCH_BODIES, 'utf8'));
  const app = Fastify();
  for (const [path, body] of Object.entries(bodies)) app.get(path, async () => body);
  await app.listen({ port: 0, host: '127.0.0.1' });
  console.log('bare at http://127.0.0.1:' + app.server.address().port + '/');
`;

/** `workers` keep-alive connections requesting the paths in turn for `ms`; answers other than 200 fail the bench. */
export async function httpLoad(baseUrl: string, paths: readonly string[], workers: number, ms: number): Promise<number> {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: workers });
  const request = (path: string) =>
    new Promise<void>((resolve, reject) => {
      get({ hostname, port, path, agent }, (res) => {
        if (res.statusCode !== 200) reject(new Error(`GET ${path}: HTTP ${res.statusCode}`));
        res.resume(); // read the whole body, as a client would
        res.on('end', resolve);
        res.on('error', reject);
      }).on('error', reject);
    });
  const run = async (until: number) => {
    let n = 0;
    await Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        for (let k = w; performance.now() < until; k++, n++) await request(paths[k % paths.length] as string);
      }),
    );
    return n;
  };
  try {
    await run(performance.now() + WARM_UP_MS);
    const t0 = performance.now();
    const n = await run(t0 + ms);
    return n / ((performance.now() - t0) / 1000);
  } finally {
    agent.destroy();
  }
}

/** A site file: the demo site with the public rate limit out of reach (JSON is YAML). */
function benchSiteFile(dir: string): string {
  const parsed = parseSiteYaml(readFileSync(DEMO_SITE_FILE, 'utf8'));
  if (!parsed.ok) throw new Error('the demo site does not parse');
  const doc = parsed.doc as { http: Record<string, unknown> };
  doc.http = { ...doc.http, publicRateLimitPerMinute: 1_000_000_000 };
  const file = join(dir, 'bench-site.yaml');
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

async function startBare(bodiesFile: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--input-type=module', '-e', BARE], { stdio: ['ignore', 'pipe', 'inherit'], cwd: packageRoot(), env: { ...process.env, BENCH_BODIES: bodiesFile } });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    const url = /bare at (http:\/\/[^/\s]+)\//.exec(out)?.[1];
    if (url) return { url, stop };
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`bare fastify did not start: ${out}`);
    }
    await new Promise((r) => setTimeout(r, 10));
  }
}

export interface ApiLoadResult {
  /** Requests/s per round. */
  ours: number[];
  bare: number[];
  ingestPerSecond: number[];
  workers: number;
  seconds: number;
  bytes: Record<string, number>;
}

export async function apiUnderLoad(rounds: number, seconds = Number(process.env.TONGXIN_API_SECONDS ?? 5), workers = Number(process.env.TONGXIN_API_WORKERS ?? 16)): Promise<ApiLoadResult> {
  const { dir, remove } = tempDir('tongxin-bench-api-');
  const service = await startServiceChild(['--site', benchSiteFile(dir)]);
  let bare: Awaited<ReturnType<typeof startBare>> | undefined;
  try {
    // Some readings first, so the bodies hold values (and the bare server answers the same bytes).
    const warm = await pacedPublisher(service.mqttUrl, INGEST_PER_SECOND, demoReadings());
    await new Promise((r) => setTimeout(r, 1500));
    await warm.stop();
    const bodies: Record<string, unknown> = {};
    const bytes: Record<string, number> = {};
    for (const path of PATHS) {
      const res = await fetch(`${service.httpUrl}${path}`);
      if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
      const text = await res.text();
      bodies[path] = JSON.parse(text);
      bytes[path] = Buffer.byteLength(text);
    }
    const bodiesFile = join(dir, 'bodies.json');
    writeFileSync(bodiesFile, JSON.stringify(bodies));
    bare = await startBare(bodiesFile);

    const out: ApiLoadResult = { ours: [], bare: [], ingestPerSecond: [], workers, seconds, bytes };
    for (let i = 0; i < rounds; i++) {
      out.bare.push(await httpLoad(bare.url, PATHS, workers, seconds * 1000));
      const ingest = await pacedPublisher(service.mqttUrl, INGEST_PER_SECOND, demoReadings());
      out.ours.push(await httpLoad(service.httpUrl, PATHS, workers, seconds * 1000));
      out.ingestPerSecond.push((await ingest.stop()).rate);
    }
    return out;
  } finally {
    await bare?.stop();
    await service.stop();
    remove();
  }
}
