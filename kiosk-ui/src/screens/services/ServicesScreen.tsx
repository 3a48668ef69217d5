import { useEffect, useState } from 'preact/hooks';
import { pick, useLang } from '../../app/i18n.js';
import { fetchServiceCategories, fetchServices, type ServiceCategory, type ServiceCategoryId } from '../../api/services.js';
import { Button } from '../../ui/Button.js';
import { Frame } from '../../ui/Frame.js';
import { Pager } from '../../ui/Pager.js';
import { CategoryFilter } from './CategoryFilter.js';
import { ServiceIcon } from './icons.js';
import { ServiceDetail } from './ServiceDetail.js';
import { useServicesStrings } from './strings.js';
import { toItems, type ServiceItem } from './items.js';
import { useShortScreen } from '../../ui/use-short-screen.js';
import './services.css';

type Data = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; categories: ServiceCategory[]; items: ServiceItem[] };

/**
 * The partner units' services: big category buttons, the list a page at a time, and a service's
 * details with a QR code to take away. The catalogue is small and read once when the screen opens;
 * filtering happens here, so a tap answers at once.
 */
export function ServicesScreen() {
  const s = useServicesStrings();
  const lang = useLang();
  const [data, setData] = useState<Data>({ state: 'loading' });
  const [category, setCategory] = useState<ServiceCategoryId | 'all'>('all');
  const [open, setOpen] = useState<ServiceItem | null>(null);
  const [attempt, setAttempt] = useState(0);
  const pageSize = useShortScreen() ? 2 : 4;

  useEffect(() => {
    const abort = new AbortController();
    setData({ state: 'loading' });
    Promise.all([fetchServiceCategories(abort.signal), fetchServices(undefined, abort.signal)]).then(
      ([categories, partners]) => setData({ state: 'ready', categories, items: toItems(partners) }),
      () => {
        if (!abort.signal.aborted) setData({ state: 'failed' });
      },
    );
    return () => abort.abort();
  }, [attempt]);

  if (open) {
    return (
      <Frame title={pick(open.name, lang)} testid="screen-services" onBack={() => setOpen(null)}>
        <ServiceDetail item={open} />
      </Frame>
    );
  }

  const shown = data.state === 'ready' ? data.items.filter((i) => category === 'all' || i.category === category) : [];
  return (
    <Frame title={s.title} testid="screen-services">
      {data.state === 'loading' && <p class="svc-status" data-testid="services-loading">{s.loading}</p>}
      {data.state === 'failed' && (
        <div class="svc-status" data-testid="services-failed">
          <p>{s.failed}</p>
          <Button kind="primary" testid="services-retry" onClick={() => setAttempt((n) => n + 1)}>
            {s.retry}
          </Button>
        </div>
      )}
      {data.state === 'ready' && (
        <div class="svc-list-view">
          <CategoryFilter categories={data.categories} total={data.items.length} selected={category} onSelect={setCategory} />
          {shown.length === 0 ? (
            <p class="svc-status" data-testid="services-none">
              {s.none}
            </p>
          ) : (
            <Pager
              key={`${category}-${pageSize}`}
              testid="services-list"
              items={shown}
              pageSize={pageSize}
              render={(item) => (
                <li key={item.id}>
                  <Button class="svc-item" testid={`service-${item.id}`} onClick={() => setOpen(item)}>
                    <ServiceIcon name={item.category} class="svc-item-icon" />
                    <span class="svc-item-text">
                      <span class="svc-item-name">{pick(item.name, lang)}</span>
                      <span class="svc-item-unit">{pick(item.unit, lang)}</span>
                      <span class="svc-item-meta">
                        {item.hours && (
                          <span class="svc-meta">
                            <ServiceIcon name="hours" />
                            <span class="sr-label">{s.hours}</span>
                            {pick(item.hours, lang)}
                          </span>
                        )}
                        {item.place && (
                          <span class="svc-meta">
                            <ServiceIcon name="place" />
                            <span class="sr-label">{s.place}</span>
                            {pick(item.place, lang)}
                          </span>
                        )}
                      </span>
                    </span>
                    <span class="svc-item-open" aria-hidden="true">
                      ▶
                    </span>
                  </Button>
                </li>
              )}
            />
          )}
        </div>
      )}
    </Frame>
  );
}
