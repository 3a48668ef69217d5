import { pick, useLang } from '../../app/i18n.js';
import type { ServiceCategory, ServiceCategoryId } from '../../api/services.js';
import { Button } from '../../ui/Button.js';
import { ServiceIcon } from './icons.js';
import { useServicesStrings } from './strings.js';

/**
 * Big toggle buttons, one per category that has something to show (an empty one would only lead to
 * an empty list), each with its pictogram, its name and how many services it holds.
 */
export function CategoryFilter(props: { categories: readonly ServiceCategory[]; total: number; selected: ServiceCategoryId | 'all'; onSelect: (c: ServiceCategoryId | 'all') => void }) {
  const s = useServicesStrings();
  const lang = useLang();
  const used = props.categories.filter((c) => c.count > 0);
  return (
    <div class="svc-filter" role="group" aria-label={s.filter} data-testid="services-filter">
      <Button class="svc-cat" testid="category-all" pressed={props.selected === 'all'} onClick={() => props.onSelect('all')}>
        <ServiceIcon name="all" />
        <span>{s.all}</span>
        <span class="svc-count">{s.count(props.total)}</span>
      </Button>
      {used.map((c) => (
        <Button key={c.id} class="svc-cat" testid={`category-${c.id}`} pressed={props.selected === c.id} onClick={() => props.onSelect(c.id)}>
          <ServiceIcon name={c.id} />
          <span>{pick(c.label, lang)}</span>
          <span class="svc-count">{s.count(c.count)}</span>
        </Button>
      ))}
    </div>
  );
}
