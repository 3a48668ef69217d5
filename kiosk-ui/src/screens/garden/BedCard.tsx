import type { GardenLevel } from '../../api/garden.js';
import type { Bed } from '../../api/site.js';
import { pick, useLang } from '../../app/i18n.js';
import { useLive } from '../../app/live.js';
import { useSite } from '../../app/settings.js';
import { hhmm, percent } from '../../format.js';
import { Chart } from '../../ui/Chart.js';
import { Icon, type IconName } from '../../ui/Icon.js';
import { bedDisplay } from './bed-display.js';
import { useGardenStrings } from './strings.js';
import { useBedHistory } from './useBedHistory.js';

const LEVEL_ICON: Record<Exclude<GardenLevel, 'unknown'>, IconName> = { dry: 'sun', ok: 'check', wet: 'wet' };

/**
 * One bed: its moisture big (the median of the probes the controller trusts), the level as a badge
 * with an icon and a word (never colour alone), whether it is being watered, each probe's reading
 * (an untrusted one greyed and marked), why the number is missing or old, and the last days' curve.
 */
export function BedCard(props: { bed: Bed }) {
  const { bed } = props;
  const { model } = useLive();
  const site = useSite();
  const lang = useLang();
  const s = useGardenStrings();
  const d = bedDisplay(model, bed);
  // Probes the controller does not trust never make the bed's number: show none rather than a guess.
  const shown = d.problem?.kind === 'untrusted' ? null : d.moisture;
  const name = pick(bed.name, lang);
  let status: { text: string; warn: boolean } | null = null;
  if (d.problem?.kind === 'no-data') status = { text: s.noData, warn: false };
  else if (d.problem?.kind === 'untrusted') status = { text: s.probesUntrusted, warn: true };
  else if (d.problem?.kind === 'old') status = { text: s.oldReading(d.problem.at === null ? '—' : hhmm(d.problem.at, site.timezone)), warn: false };

  return (
    <article class={`bed-card tile${d.problem ? ' is-stale' : ''}`} data-testid={`bed-${bed.id}`} aria-labelledby={`bed-name-${bed.id}`}>
      <div class="bed-info">
        <h2 class="bed-name" id={`bed-name-${bed.id}`}>
          {name}
        </h2>
        <div class="bed-main">
          <p class="bed-moisture" data-testid={`bed-moisture-${bed.id}`} aria-label={s.moisture}>
            <span class="num">{percent(shown)}</span>
            {shown !== null && <span class="unit">%</span>}
          </p>
          {(d.level !== 'unknown' || d.watering) && (
            <p class="bed-badges">
              {d.level !== 'unknown' && (
                <span class={`badge level level-${d.level}`} data-level={d.level} data-testid={`bed-level-${bed.id}`}>
                  <Icon name={LEVEL_ICON[d.level]} class="icon badge-icon" />
                  <span>{s.level[d.level]}</span>
                </span>
              )}
              {d.watering && (
                <span class="badge watering" data-testid={`bed-watering-${bed.id}`}>
                  <Icon name="drizzle" class="icon badge-icon" />
                  <span>{s.watering}</span>
                </span>
              )}
            </p>
          )}
        </div>
        <ul class="bed-probes" aria-label={s.moisture}>
          {bed.sensors.map((id, i) => {
            const letter = String.fromCharCode(65 + i);
            const p = d.probes[i];
            const value = p?.value ?? null;
            const ok = p?.ok ?? false;
            // A value the controller will not use is flagged; a probe with nothing yet just shows —.
            const flagged = !ok && value !== null && d.source === 'state';
            return (
              <li key={id} class={`probe${ok ? '' : ' is-stale'}`} data-testid={`sensor-${id}`} title={flagged ? s.probeUntrusted(letter) : s.probe(letter)}>
                <span class="probe-letter">{letter}</span>
                <span class="probe-value">{value === null ? '—' : `${percent(value)}%`}</span>
                {flagged && <Icon name="alert" class="icon probe-warn" />}
              </li>
            );
          })}
        </ul>
        {status && (
          <p class={`bed-status${status.warn ? ' bed-status-warn' : ''}`} data-testid={`bed-status-${bed.id}`}>
            <Icon name={status.warn ? 'alert' : 'clock'} class="icon" />
            <span>{status.text}</span>
          </p>
        )}
      </div>
      <BedChart bed={bed} name={name} />
    </article>
  );
}

function BedChart(props: { bed: Bed; name: string }) {
  const s = useGardenStrings();
  const series = useBedHistory(props.bed.sensors);
  const enough = series !== null && series.at.length >= 2;
  const values = series?.value ?? [];
  return (
    <figure class="bed-chart" data-testid={`bed-chart-${props.bed.id}`}>
      <figcaption class="bed-chart-title">{s.chartTitle}</figcaption>
      {enough ? (
        <Chart
          xs={series.at}
          ys={series.value}
          yMin={0}
          yMax={100}
          yTicks={[0, 50, 100]}
          unit="%"
          label={s.chartLabel(props.name, Math.round(Math.min(...values)), Math.round(Math.max(...values)))}
        />
      ) : (
        <p class="bed-chart-empty">{series === null ? '…' : s.noHistory}</p>
      )}
    </figure>
  );
}
