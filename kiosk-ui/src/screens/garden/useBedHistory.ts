import { useEffect, useState } from 'preact/hooks';
import { fetchSensorHistory } from '../../api/history.js';
import { bedSeries, HISTORY_HOURS, type Series } from './bed-history.js';

/** Hourly means change once an hour: read again now and then while the screen is open. */
const REFRESH_MS = 10 * 60_000;

/** A bed's moisture over the last days (null until its probes' histories have come). */
export function useBedHistory(sensorIds: readonly string[]): Series | null {
  const [series, setSeries] = useState<Series | null>(null);
  const key = sensorIds.join(',');
  useEffect(() => {
    const abort = new AbortController();
    const load = () => {
      Promise.allSettled(sensorIds.map((id) => fetchSensorHistory(id, { hours: HISTORY_HOURS, resolution: 'hour', limit: HISTORY_HOURS + 2 }, abort.signal))).then(
        (results) => {
          if (abort.signal.aborted) return;
          setSeries(bedSeries(results.flatMap((r) => (r.status === 'fulfilled' ? [r.value.points] : []))));
        },
        () => undefined,
      );
    };
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => {
      abort.abort();
      clearInterval(timer);
    };
  }, [key]);
  return series;
}
