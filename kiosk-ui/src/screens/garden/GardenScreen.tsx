import { useSite } from '../../app/settings.js';
import { Frame } from '../../ui/Frame.js';
import { BedCard } from './BedCard.js';
import './garden.css';
import { useGardenStrings } from './strings.js';

/** The garden's beds (four in the demo), each with its live moisture, level, watering and last days. */
export function GardenScreen() {
  const s = useGardenStrings();
  const site = useSite();
  return (
    <Frame title={s.title} testid="screen-garden">
      <div class={`garden-beds beds-${Math.min(site.garden.beds.length, 4)}`}>
        {site.garden.beds.map((b) => (
          <BedCard key={b.id} bed={b} />
        ))}
      </div>
    </Frame>
  );
}
