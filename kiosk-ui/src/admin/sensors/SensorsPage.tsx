import { useState } from 'preact/hooks';
import { fetchHistory, fetchSensors, RANGES, type Range, type Sensor } from '../../api/admin/sensors.js';
import { defineStrings, pick, useLang, type Lang } from '../../app/i18n.js';
import { ErrorNote, useLoad, useSession } from '../context.js';
import { useCommon } from '../strings.js';
import { formatDateTime } from '../time.js';
import { HistoryChart } from './HistoryChart.js';

const useStrings = defineStrings({
  zh: {
    heading: '传感器历史曲线',
    sensor: '传感器',
    range: '时间范围',
    ranges: { '24h': '24 小时', '7d': '7 天', '30d': '30 天' },
    resolutions: { raw: '原始读数', minute: '每分钟平均', hour: '每小时平均' },
    shown: (n: number, res: string) => `${n} 个点 · ${res}`,
    latest: (v: string, at: string) => `最新：${v}（${at}）`,
    stale: '（设备离线或暂无读数，不是当前值）',
    noData: '这个时间范围内没有读数。',
    time: '时间',
    mean: '平均',
    min: '最低',
    max: '最高',
  },
  en: {
    heading: 'Sensor history',
    sensor: 'Sensor',
    range: 'Range',
    ranges: { '24h': '24 hours', '7d': '7 days', '30d': '30 days' },
    resolutions: { raw: 'raw readings', minute: 'per-minute means', hour: 'hourly means' },
    shown: (n: number, res: string) => `${n} points · ${res}`,
    latest: (v: string, at: string) => `Latest: ${v} (${at})`,
    stale: '(device offline or no reading yet: not a current value)',
    noData: 'No readings in this range.',
    time: 'Time',
    mean: 'mean',
    min: 'min',
    max: 'max',
  },
});

export function sensorName(s: Sensor, lang: Lang): string {
  const n = s.name;
  const name = n === null ? '' : typeof n === 'string' ? n : pick(n, lang);
  return name ? `${name} (${s.id})` : s.id;
}

/** Pick a sensor and a range; the chart draws its history from `/api/sensors/:id/history`. */
export function SensorsPage() {
  const t = useStrings();
  const common = useCommon();
  const lang = useLang();
  const { tz } = useSession();
  const sensors = useLoad((signal) => fetchSensors(signal), []);
  const [chosen, setChosen] = useState<string | undefined>(undefined);
  const [range, setRange] = useState<Range>('24h');
  const list = sensors.data ?? [];
  const sensor = list.find((s) => s.id === chosen) ?? list[0];
  const history = useLoad((signal) => (sensor ? fetchHistory(sensor.id, range, signal) : Promise.resolve(undefined)), [sensor?.id, range]);
  const kinds = [...new Set(list.map((s) => s.kind))];

  return (
    <section class="page">
      <h2>{t.heading}</h2>
      <ErrorNote error={sensors.error ?? history.error} />
      <div class="toolbar">
        <label class="inline-field">
          <span>{t.sensor}</span>
          <select value={sensor?.id ?? ''} onChange={(e) => setChosen(e.currentTarget.value)} data-testid="sensor-select">
            {kinds.map((k) => (
              <optgroup label={k}>
                {list
                  .filter((s) => s.kind === k)
                  .map((s) => (
                    <option value={s.id}>{sensorName(s, lang)}</option>
                  ))}
              </optgroup>
            ))}
          </select>
        </label>
        <span role="group" aria-label={t.range} class="segmented">
          {(Object.keys(RANGES) as Range[]).map((r) => (
            <button type="button" aria-pressed={range === r} onClick={() => setRange(r)} data-testid={`range-${r}`}>
              {t.ranges[r]}
            </button>
          ))}
        </span>
      </div>
      {sensor && sensor.value !== null && sensor.at !== null ? (
        <p class="summary" data-testid="sensor-latest">
          {t.latest(`${Math.round(sensor.value * 10) / 10} ${sensor.unit}`, formatDateTime(sensor.at, tz))} {sensor.stale ? t.stale : ''}
        </p>
      ) : null}
      {history.data && sensor ? (
        <>
          <p class="table-count" data-testid="sensor-points">
            {t.shown(history.data.points.length, t.resolutions[history.data.resolution])}
          </p>
          {history.data.points.length > 0 ? (
            <HistoryChart points={history.data.points} unit={sensor.unit} label={sensorName(sensor, lang)} tz={tz} labels={{ time: t.time, mean: t.mean, min: t.min, max: t.max }} />
          ) : (
            <p class="note">{t.noData}</p>
          )}
        </>
      ) : (
        <p class="note">{common.loading}</p>
      )}
    </section>
  );
}
