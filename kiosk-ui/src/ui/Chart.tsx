import { useEffect, useRef } from 'preact/hooks';
import { useDisplay, useSite } from '../app/settings.js';
import type { ChartSpec } from './chart-impl.js';
import './chart.css';

type Impl = typeof import('./chart-impl.js');
type Plot = ReturnType<Impl['createChart']>;

/**
 * A small line chart (uPlot on a canvas), drawn once per change of its data: no animation, no hover,
 * so a Pi draws it in a few milliseconds. The chart library is fetched the first time a chart is
 * shown. `label` describes the chart in words for screen readers (a canvas says nothing itself).
 */
export function Chart(props: { xs: number[]; ys: number[]; yMin: number; yMax: number; yTicks: number[]; unit: string; label: string; testid?: string }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<{ impl: Impl; chart: Plot } | null>(null);
  const { largeText } = useDisplay();
  const site = useSite();
  const spec = useRef<() => ChartSpec>(() => ({}) as ChartSpec);

  spec.current = () => {
    const el = box.current as HTMLElement;
    const css = getComputedStyle(el);
    return {
      xs: props.xs,
      ys: props.ys,
      yMin: props.yMin,
      yMax: props.yMax,
      yTicks: props.yTicks,
      unit: props.unit,
      timeZone: site.timezone,
      line: css.getPropertyValue('--chart-line').trim() || '#1e3a8a',
      grid: css.getPropertyValue('--chart-grid').trim() || '#ccc',
      ink: css.color,
      fontPx: parseFloat(css.fontSize) || 16,
    };
  };

  // (Re)built when the palette changes (large text); sized to its box, which CSS sizes.
  useEffect(() => {
    let cancelled = false;
    let observer: ResizeObserver | undefined;
    void import('./chart-impl.js').then((impl) => {
      const el = box.current;
      if (cancelled || !el) return;
      const size = () => ({ width: Math.max(40, el.clientWidth), height: Math.max(40, el.clientHeight) });
      plot.current = { impl, chart: impl.createChart(el, spec.current(), size()) };
      observer = new ResizeObserver(() => {
        const s = size();
        const chart = plot.current?.chart;
        if (chart && (chart.width !== s.width || chart.height !== s.height)) chart.setSize(s);
      });
      observer.observe(el);
    });
    return () => {
      cancelled = true;
      observer?.disconnect();
      plot.current?.chart.destroy();
      plot.current = null;
    };
  }, [largeText, site.timezone]);

  useEffect(() => {
    if (plot.current) plot.current.impl.updateChart(plot.current.chart, spec.current());
  }, [props.xs, props.ys]);

  return <div class="chart" ref={box} role="img" aria-label={props.label} data-testid={props.testid} />;
}
