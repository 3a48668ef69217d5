import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { HistoryPoint } from '../../api/admin/sensors.js';
import { formatDateTime } from '../time.js';

const HEIGHT = 360;

/**
 * One sensor's history as a uPlot line (a small, fast canvas chart: a month of hourly points
 * draws in a few milliseconds). Roll-up points add their min and max as thin lines, so a spike
 * inside an hour is not averaged away. The time axis is in the site's zone.
 */
export function HistoryChart(props: { points: HistoryPoint[]; unit: string; label: string; tz: string; labels: { time: string; mean: string; min: string; max: string } }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const { points, unit, tz, labels } = props;
    const xs = points.map((p) => p.at / 1000);
    const banded = points.some((p) => p.min !== undefined && p.max !== undefined);
    const fmt = (_u: uPlot, v: number | null) => (v === null || v === undefined ? '—' : `${Math.round(v * 10) / 10} ${unit}`);
    const when = (ts: number) => formatDateTime(ts * 1000, tz);
    const series: uPlot.Series[] = [{ label: labels.time, value: (_u, ts: number | null) => (ts === null || ts === undefined ? '—' : when(ts)) }, { label: banded ? `${props.label} (${labels.mean})` : props.label, stroke: '#1f5fa8', width: 2, value: fmt }];
    const data: uPlot.AlignedData = [xs, points.map((p) => p.value)];
    if (banded) {
      series.push({ label: labels.min, stroke: '#8fb3d9', width: 1, dash: [4, 4], value: fmt }, { label: labels.max, stroke: '#8fb3d9', width: 1, dash: [4, 4], value: fmt });
      data.push(points.map((p) => p.min ?? null) as number[], points.map((p) => p.max ?? null) as number[]);
    }
    const plot = new uPlot(
      {
        width: Math.max(320, el.clientWidth),
        height: HEIGHT,
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), tz),
        scales: { x: { time: true } },
        series,
        axes: [
          {
            // Ticks in the site's zone, 24-hour: times within two days, dates (and times) beyond.
            values: (u, ticks, _axis, _space, incr) => {
              const span = (u.scales.x?.max ?? 0) - (u.scales.x?.min ?? 0);
              return ticks.map((ts) => (incr >= 86_400 ? when(ts).slice(5, 10) : span <= 2 * 86_400 ? when(ts).slice(11) : when(ts).slice(5)));
            },
          },
          { label: unit, values: (_u, ticks) => ticks.map((v) => String(Math.round(v * 10) / 10)) },
        ],
      },
      data,
      el,
    );
    const onResize = () => plot.setSize({ width: Math.max(320, el.clientWidth), height: HEIGHT });
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      plot.destroy();
    };
    // The chart is rebuilt only when its data or labels change.
  }, [props.points, props.unit, props.label, props.tz, props.labels.mean]);
  return <div ref={ref} class="chart" data-testid="sensor-chart" />;
}
