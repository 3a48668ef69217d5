import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/paths.js';
import { bareAedesRoundTrip, readingToCrewAlert, type Latency } from './alert-latency.bench.js';
import { rawBrokerPassThrough, serviceIngest } from './ingest.bench.js';
import { bareFastifyStartMs, serviceStartMs } from './startup.bench.js';
import { firstRenderTimes, kioskBundleBytes } from './kiosk.bench.js';
import { apiUnderLoad, type ApiLoadResult } from './api-under-load.bench.js';
import { soak, type SoakResult } from './soak.bench.js';

/**
 * `npm run bench`: every figure beside a baseline measured in the same run, because these machines
 * are shared and noisy; each is the median of several alternating runs. TONGXIN_BENCH_N sets the
 * message count for ingest.
 */
const N = Number(process.env.TONGXIN_BENCH_N ?? 20_000);
const ROUNDS = Number(process.env.TONGXIN_BENCH_ROUNDS ?? 3);
/** TONGXIN_BENCH_ONLY=kiosk,startup runs only those groups (ingest, startup, alert, kiosk, api, soak). */
const ONLY = process.env.TONGXIN_BENCH_ONLY?.split(',').map((s) => s.trim());
const runs = (group: string) => !ONLY || ONLY.includes(group);
/** The soak's length; 10 minutes unless TONGXIN_SOAK_MINUTES shortens it. */
const SOAK_MINUTES = Number(process.env.TONGXIN_SOAK_MINUTES ?? 10);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

interface Row {
  benchmark: string;
  ours: string;
  baseline: string;
  ratio: string;
  target: string;
}

async function main() {
  const rows: Row[] = [];

  const raw: number[] = [];
  const ours: number[] = [];
  if (runs('ingest')) {
    for (let i = 0; i < ROUNDS; i++) {
      raw.push(await rawBrokerPassThrough(N));
      ours.push(await serviceIngest(N));
    }
    const ingestRatio = median(ours) / median(raw);
    rows.push({
      benchmark: `ingest, ${N} readings (readings/s)`,
      ours: median(ours).toFixed(0),
      baseline: `${median(raw).toFixed(0)} raw aedes pass-through`,
      ratio: `${(ingestRatio * 100).toFixed(0)} %`,
      target: '≥ 50 %',
    });
  }

  const start: number[] = [];
  const bare: number[] = [];
  if (runs('startup')) {
    for (let i = 0; i < Math.max(ROUNDS, 5); i++) {
      bare.push(await bareFastifyStartMs());
      start.push(await serviceStartMs());
    }
    rows.push({
      benchmark: 'cold start to healthy /healthz (ms)',
      ours: median(start).toFixed(0),
      baseline: `${median(bare).toFixed(0)} bare fastify process`,
      ratio: `${(median(start) / median(bare)).toFixed(2)} ×`,
      target: '< 2000 ms',
    });
  }

  // Reading → crew alert under ~1000 readings/s of background load, beside bare aedes's round trip
  // under the same load, alternating; each figure is the median over rounds of that round's percentile.
  const bareRt: Latency[] = [];
  const alertRt: Latency[] = [];
  if (runs('alert')) {
    for (let i = 0; i < ROUNDS; i++) {
      bareRt.push(await bareAedesRoundTrip(300));
      alertRt.push(await readingToCrewAlert(200));
    }
    const ms = (xs: Latency[], p: 'p50' | 'p99') => median(xs.map((x) => x[p]));
    const fmt = (xs: Latency[]) => `${ms(xs, 'p50').toFixed(1)} / ${ms(xs, 'p99').toFixed(1)}`;
    rows.push({
      benchmark: 'reading → crew alert latency p50/p99 (ms)',
      ours: fmt(alertRt),
      baseline: `${fmt(bareRt)} bare aedes round trip`,
      ratio: `${(ms(alertRt, 'p99') / ms(bareRt, 'p99')).toFixed(1)} × (p99)`,
      target: 'p99 < 20 ms',
    });
  }

  // The lobby screen on a slow CPU: bytes sent, and time to the home screen with 4× CPU throttling.
  let kiosk: { bundle: ReturnType<typeof kioskBundleBytes>; render: Awaited<ReturnType<typeof firstRenderTimes>> } | undefined;
  if (runs('kiosk')) {
    const bundle = kioskBundleBytes();
    const render = await firstRenderTimes(Math.max(ROUNDS, 5));
    kiosk = { bundle, render };
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    rows.push({
      benchmark: 'kiosk JS+CSS, gzipped',
      ours: kb(bundle.gzip),
      baseline: `${kb(bundle.raw)} before gzip`,
      ratio: `${((bundle.gzip / bundle.raw) * 100).toFixed(0)} %`,
      target: '—',
    });
    rows.push({
      benchmark: 'kiosk first render, CPU 4× slower (ms)',
      ours: median(render.kioskMs).toFixed(0),
      baseline: `${median(render.bareMs).toFixed(0)} bare page first paint`,
      ratio: `${(median(render.kioskMs) / median(render.bareMs)).toFixed(1)} ×`,
      target: '—',
    });
  }

  // Kiosk API requests/s with ~1000 readings/s being ingested, beside a bare fastify answering the same
  // JSON bodies, windows alternating.
  let api: ApiLoadResult | undefined;
  if (runs('api')) {
    api = await apiUnderLoad(ROUNDS);
    rows.push({
      benchmark: `kiosk API under ingest of ${median(api.ingestPerSecond).toFixed(0)} readings/s (requests/s)`,
      ours: median(api.ours).toFixed(0),
      baseline: `${median(api.bare).toFixed(0)} bare fastify, same JSON`,
      ratio: `${((median(api.ours) / median(api.bare)) * 100).toFixed(0)} %`,
      target: '—',
    });
  }

  // The service's RSS through a soak at 1000 readings/s: at the end beside right after start, and its
  // growth over the last half.
  let soaked: SoakResult | undefined;
  if (runs('soak')) {
    soaked = await soak(SOAK_MINUTES, 1000, (line) => process.stderr.write(`${line}\n`));
    rows.push({
      benchmark: `service RSS after a ${SOAK_MINUTES}-min soak at ${soaked.readingsPerSecond.toFixed(0)} readings/s (MB)`,
      ours: soaked.endMb.toFixed(1),
      baseline: `${soaked.startMb.toFixed(1)} right after start`,
      ratio: `${(soaked.endMb / soaked.startMb).toFixed(2)} ×`,
      target: '< 150 MB',
    });
    rows.push({
      benchmark: 'service RSS growth over the soak’s last half',
      ours: `${soaked.lastHalfSlopeMbPerMin.toFixed(2)} MB/min`,
      baseline: `${soaked.lastHalfGrowthMb >= 0 ? '+' : ''}${soaked.lastHalfGrowthMb.toFixed(1)} MB end − half time`,
      ratio: `${((soaked.lastHalfGrowthMb / soaked.endMb) * 100).toFixed(1)} %`,
      target: 'flat',
    });
  }

  const cols: (keyof Row)[] = ['benchmark', 'ours', 'baseline', 'ratio', 'target'];
  const width = (c: keyof Row) => Math.max(c.length, ...rows.map((r) => r[c].length));
  const line = (r: Record<keyof Row, string>) => `| ${cols.map((c) => r[c].padEnd(width(c))).join(' | ')} |`;
  const header = Object.fromEntries(cols.map((c) => [c, c])) as Record<keyof Row, string>;
  const sep = Object.fromEntries(cols.map((c) => [c, '-'.repeat(width(c))])) as Record<keyof Row, string>;
  const table = [line(header), line(sep), ...rows.map(line)].join('\n');
  process.stdout.write(`\n${table}\n\n(node ${process.version}, medians of ${ROUNDS}+ rounds)\n`);
  const dir = join(packageRoot(), 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bench.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, rows, raw, ours, start, bare, bareRt, alertRt, kiosk, api, soak: soaked }, null, 2));
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
