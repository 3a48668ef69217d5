import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { localParts } from '../format.js';

/**
 * The one place that knows uPlot (a small, fast canvas chart). Loaded on demand by Chart.tsx, so the
 * kiosk's first page load does not carry it. No cursor, legend or selection: nothing on the kiosk
 * answers to hover, and the chart is read, not explored.
 */
export interface ChartSpec {
  /** epoch ms, ascending */
  xs: number[];
  ys: number[];
  yMin: number;
  yMax: number;
  /** the y-axis ticks, e.g. [0, 50, 100] */
  yTicks: number[];
  unit: string;
  timeZone: string;
  /** CSS colours, read from the palette variables (so large-text mode gets its high-contrast ones) */
  line: string;
  grid: string;
  ink: string;
  /** CSS px, for the axis labels */
  fontPx: number;
}

const DAY_MS = 86_400_000;

/** Local midnights inside [min, max] (epoch s), for the x-axis: one tick per day. */
export function midnights(minS: number, maxS: number, timeZone: string): number[] {
  const min = minS * 1000;
  const { minutes } = localParts(min, timeZone);
  const out: number[] = [];
  let t = Math.ceil(min / 60_000) * 60_000 + ((1440 - minutes) % 1440) * 60_000;
  if (minutes === 0) t = min;
  for (; t <= maxS * 1000; t += DAY_MS) out.push(Math.round(t / 1000));
  return out;
}

/** `M/D` of the local day that starts at `s` (epoch s); just `D` where a day is too narrow for more. */
function dayLabel(s: number, timeZone: string, short: boolean): string {
  const { date } = localParts(s * 1000 + 60_000, timeZone);
  const [, m, d] = date.split('-');
  return short ? String(Number(d)) : `${Number(m)}/${Number(d)}`;
}

function data(spec: ChartSpec): uPlot.AlignedData {
  return [spec.xs.map((x) => x / 1000), spec.ys];
}

export function createChart(el: HTMLElement, spec: ChartSpec, size: { width: number; height: number }): uPlot {
  const font = `${Math.round(spec.fontPx)}px ${getComputedStyle(el).fontFamily}`;
  const axis = { stroke: spec.ink, font, grid: { stroke: spec.grid, width: 1 }, ticks: { show: false } };
  const opts: uPlot.Options = {
    ...size,
    pxAlign: 0,
    cursor: { show: false },
    legend: { show: false },
    select: { show: false, left: 0, top: 0, width: 0, height: 0 },
    scales: { x: { time: true }, y: { range: [spec.yMin, spec.yMax] } },
    series: [{}, { stroke: spec.line, width: Math.max(2, spec.fontPx / 6), points: { show: false } }],
    axes: [
      {
        ...axis,
        size: spec.fontPx * 1.8,
        splits: (u) => midnights(u.scales.x?.min ?? 0, u.scales.x?.max ?? 0, spec.timeZone),
        values: (u, splits) => {
          // Room per day, in CSS px: "11/28" needs about three ems.
          const span = (u.scales.x?.max ?? 0) - (u.scales.x?.min ?? 0);
          const perDay = span > 0 ? (u.bbox.width / devicePixelRatio) * (86_400 / span) : Infinity;
          return splits.map((s) => dayLabel(s, spec.timeZone, perDay < spec.fontPx * 3.5));
        },
      },
      {
        ...axis,
        size: spec.fontPx * 3,
        // A low chart has room for its ends only.
        splits: (u) => (u.bbox.height / devicePixelRatio < spec.fontPx * 6 ? [spec.yTicks[0] ?? 0, spec.yTicks[spec.yTicks.length - 1] ?? 100] : spec.yTicks),
        values: (_u, splits) => splits.map((v) => `${v}${spec.unit}`),
      },
    ],
  };
  return new uPlot(opts, data(spec), el);
}

export function updateChart(chart: uPlot, spec: ChartSpec): void {
  chart.setData(data(spec));
}
