import { useLive } from '../../app/live.js';
import { useDisplay, useSite } from '../../app/settings.js';
import { Frame } from '../../ui/Frame.js';
import { Icon } from '../../ui/Icon.js';
import { Pager } from '../../ui/Pager.js';
import { PointCard } from './PointCard.js';
import { useWasteStrings } from './strings.js';
import './waste.css';

/** Points shown side by side; more page with ▲ ▼. In large text a point takes the whole width. */
const PER_PAGE = 2;
const PER_PAGE_LARGE = 1;

/**
 * Every collection point: open now or when next, its bins' fill, and where to go outside the windows.
 * The points' states live in the live model (snapshot on connect, then the `bin` and `point` events).
 */
export function WasteScreen() {
  const s = useWasteStrings();
  const site = useSite();
  const { model } = useLive();
  const { largeText } = useDisplay();
  const waste = model.waste;
  const perPage = largeText ? PER_PAGE_LARGE : PER_PAGE;
  const lateDrops = site.points.filter((p) => p.lateDrop);
  return (
    <Frame title={s.title} testid="screen-waste">
      {waste === null ? (
        <p class="waste-loading">{s.loading}</p>
      ) : (
        <div class={`waste-screen per-page-${perPage}`}>
          {!waste.clockTrusted && (
            <p class="waste-clock" data-testid="waste-clock-untrusted">
              <Icon name="alert" class="icon" />
              <span>{s.clockUntrusted}</span>
            </p>
          )}
          <Pager
            items={site.points}
            pageSize={perPage}
            testid="waste-points"
            render={(p) => (
              <li key={p.id} class="waste-point-item">
                <PointCard point={p} state={waste.points.find((x) => x.id === p.id)} offsetMs={waste.offsetMs} lateDrops={lateDrops} />
              </li>
            )}
          />
        </div>
      )}
    </Frame>
  );
}
