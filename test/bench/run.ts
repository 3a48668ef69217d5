import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/paths.js';
import { bareAedesRoundTrip, readingToCrewAlert, type Latency } from './alert-latency.bench.js';
import { rawBrokerPassThrough, serviceIngest } from './ingest.bench.js';
import { bareFastifyStartMs, serviceStartMs } from './startup.bench.js';

/**
 * `npm run bench`: every figure beside a baseline measured in the same run, because these machines
 * are shared and noisy; each is the median of several alternating runs. TONGXIN_BENCH_N sets the
 * message count for ingest.
 */
const N = Number(process.env.TONGXIN_BENCH_N ?? 20_000);
const ROUNDS = Number(process.env.TONGXIN_BENCH_ROUNDS ?? 3);
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

  const start: number[] = [];
  const bare: number[] = [];
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

  // Reading → crew alert under ~1000 readings/s of background load, beside bare aedes's round trip
  // under the same load, alternating; each figure is the median over rounds of that round's percentile.
  const bareRt: Latency[] = [];
  const alertRt: Latency[] = [];
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

  const cols: (keyof Row)[] = ['benchmark', 'ours', 'baseline', 'ratio', 'target'];
  const width = (c: keyof Row) => Math.max(c.length, ...rows.map((r) => r[c].length));
  const line = (r: Record<keyof Row, string>) => `| ${cols.map((c) => r[c].padEnd(width(c))).join(' | ')} |`;
  const header = Object.fromEntries(cols.map((c) => [c, c])) as Record<keyof Row, string>;
  const sep = Object.fromEntries(cols.map((c) => [c, '-'.repeat(width(c))])) as Record<keyof Row, string>;
  const table = [line(header), line(sep), ...rows.map(line)].join('\n');
  process.stdout.write(`\n${table}\n\n(node ${process.version}, medians of ${ROUNDS}+ rounds)\n`);
  const dir = join(packageRoot(), 'test-artifacts');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'bench.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, rows, raw, ours, start, bare, bareRt, alertRt }, null, 2));
  process.exit(0);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
