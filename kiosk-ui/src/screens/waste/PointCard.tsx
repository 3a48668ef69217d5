import type { WastePoint } from '../../api/site.js';
import type { WastePointState } from '../../api/waste.js';
import { pick, useLang } from '../../app/i18n.js';
import { useLive, useNow } from '../../app/live.js';
import { useSite } from '../../app/settings.js';
import { hhmm, percent } from '../../format.js';
import { sensor } from '../../model.js';
import { Countdown } from '../../ui/Countdown.js';
import { Icon } from '../../ui/Icon.js';
import { barPercent, binView, categoryStatus, pointStatus, sameStatus, type WindowStatus } from './waste-display.js';
import { useWasteStrings } from './strings.js';

/**
 * One collection point: whether it is open now and the countdown (minutes big), where to go instead
 * when it is closed (the late-drop points), and each bin: its category's colour always with the name
 * and icon, whether that category is open, and how full it is.
 */
export function PointCard(props: { point: WastePoint; state: WastePointState | undefined; offsetMs: number; lateDrops: WastePoint[] }) {
  const { point, state } = props;
  const { model } = useLive();
  const site = useSite();
  const lang = useLang();
  const s = useWasteStrings();
  const now = useNow();
  const status: WindowStatus = state ? pointStatus(state, props.offsetMs) : { kind: 'unknown' };
  const tz = site.timezone;
  const elsewhere = props.lateDrops.filter((p) => p.id !== point.id);

  return (
    <article class="waste-point tile" data-testid={`point-${point.id}`} aria-labelledby={`point-name-${point.id}`}>
      <header class="waste-point-head">
        <h2 class="waste-point-name" id={`point-name-${point.id}`}>
          {pick(point.name, lang)}
        </h2>
        {point.lateDrop && (
          <span class="late-tag" data-testid={`late-tag-${point.id}`}>
            <Icon name="clock" class="icon" />
            <span>{s.lateDropTag}</span>
          </span>
        )}
        {point.place && (
          <p class="waste-point-place">
            <Icon name="pin" class="icon" />
            <span>{pick(point.place, lang)}</span>
          </p>
        )}
      </header>
      <div class={`waste-status status-${status.kind}`} data-testid={`point-status-${point.id}`} data-state={status.kind}>
        <p class="waste-status-word">
          <Icon name={status.kind === 'open' || status.kind === 'always' ? 'check' : status.kind === 'closed' ? 'cross' : 'alert'} class="icon" />
          <span>{status.kind === 'always' ? s.allDay : status.kind === 'open' ? s.openNow : status.kind === 'closed' ? s.closedNow : s.unknown}</span>
        </p>
        {status.kind === 'open' && (
          <p class="waste-countdown" data-testid={`point-countdown-${point.id}`}>
            {s.closesPre && <span class="pre">{s.closesPre}</span>}
            <Countdown ms={status.closesAt - now} />
            {s.closesPost && <span class="post">{s.closesPost}</span>}
          </p>
        )}
        {status.kind === 'closed' && status.opensAt !== null && (
          <p class="waste-countdown" data-testid={`point-countdown-${point.id}`}>
            {s.opensPre && <span class="pre">{s.opensPre}</span>}
            <Countdown ms={status.opensAt - now} />
            {s.opensPost && <span class="post">{s.opensPost}</span>}
            <span class="at">({hhmm(status.opensAt, tz)})</span>
          </p>
        )}
        {status.kind === 'closed' && status.opensAt === null && <p class="waste-countdown">{s.noNext}</p>}
      </div>
      {status.kind === 'closed' && elsewhere.length > 0 && (
        <p class="waste-go" data-testid={`late-hint-${point.id}`}>
          <Icon name="pin" class="icon" />
          <span>
            {s.goTo}
            {elsewhere.map((p) => [pick(p.name, lang), ...(p.place ? [pick(p.place, lang)] : [])].join(lang === 'zh' ? '，' : ', ')).join(lang === 'zh' ? '；' : '; ')}
          </span>
        </p>
      )}
      <ul class="waste-bins" aria-label={s.fill}>
        {point.bins.map((bin) => {
          const fill = state?.bins.find((b) => b.id === bin.id);
          const v = binView(fill, sensor(model, bin.sensor));
          const cat = categoryStatus(state?.categories[bin.category], point.lateDrop === true, props.offsetMs);
          // The point's status says it for every category that shares it; a category with its own
          // windows says its own.
          const own = !sameStatus(cat, status);
          const catOpen = cat.kind === 'open' || cat.kind === 'always';
          const catText =
            cat.kind === 'always'
              ? s.allDay
              : cat.kind === 'open'
                ? `${s.catOpen} · ${s.until(hhmm(cat.closesAt, tz))}`
                : cat.kind === 'closed' && cat.opensAt !== null
                  ? `${s.catClosed} · ${s.opensAt(hhmm(cat.opensAt, tz))}`
                  : s.catClosed;
          const problem = v.problem?.kind === 'no-data' ? s.noData : v.problem?.kind === 'old' ? s.oldReading(v.problem.at === null ? '—' : hhmm(v.problem.at, tz)) : null;
          return (
            <li
              key={bin.id}
              class={`waste-bin tile cat-${bin.category}${v.problem ? ' is-stale' : ''}${v.word ? ` is-${v.word}` : ''}`}
              data-testid={`bin-${bin.id}`}
              data-open={String(catOpen)}
            >
              <span class="waste-cat">
                <Icon name={bin.category} class="icon" />
                <span>{s.category[bin.category]}</span>
              </span>
              <span class="waste-meter" aria-hidden="true">
                {v.fill !== null && <span class="waste-meter-fill" style={{ width: `${barPercent(v.fill)}%` }} />}
              </span>
              <span class="waste-fill-num" aria-label={s.fill}>
                <span class="num" data-testid={`bin-fill-${bin.id}`}>
                  {percent(v.fill)}
                </span>
                {v.fill !== null && <span class="unit">%</span>}
              </span>
              {(v.word || problem) && (
                <span class={`waste-fill-word${v.word ? ' warn' : ''}`}>
                  <Icon name={v.word ? 'alert' : 'clock'} class="icon" />
                  <span>{problem ?? (v.word === 'full' ? s.full : s.nearlyFull)}</span>
                </span>
              )}
              {own && (
                <span class={`waste-cat-open${catOpen ? ' is-open' : ''}`} data-testid={`bin-open-${bin.id}`}>
                  <Icon name={catOpen ? 'check' : 'cross'} class="icon" />
                  <span>{catText}</span>
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </article>
  );
}
