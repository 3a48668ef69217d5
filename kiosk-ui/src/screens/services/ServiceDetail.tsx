import { pick, useLang } from '../../app/i18n.js';
import { useSite } from '../../app/settings.js';
import { Qr } from '../../ui/Qr.js';
import { ServiceIcon, type ServiceIconName } from './icons.js';
import type { ServiceItem } from './items.js';
import { serviceQrText } from './qr-payload.js';
import { useServicesStrings } from './strings.js';

/**
 * One service: who offers it, when and where, its public phone and address, and a QR code holding
 * the same in the language on screen, for a phone to take away. The kiosk itself never opens the link.
 */
export function ServiceDetail(props: { item: ServiceItem }) {
  const s = useServicesStrings();
  const lang = useLang();
  const site = useSite();
  const { item } = props;
  const rows: { icon: ServiceIconName; label: string; text: string; testid: string }[] = [
    { icon: 'unit', label: s.unit, text: pick(item.unit, lang), testid: 'service-unit' },
    ...(item.hours ? [{ icon: 'hours' as const, label: s.hours, text: pick(item.hours, lang), testid: 'service-hours' }] : []),
    ...(item.place ? [{ icon: 'place' as const, label: s.place, text: pick(item.place, lang), testid: 'service-place' }] : []),
    ...(item.contact ? [{ icon: 'phone' as const, label: s.phone, text: item.contact, testid: 'service-contact' }] : []),
    ...(item.link ? [{ icon: 'link' as const, label: s.link, text: item.link, testid: 'service-link' }] : []),
  ];
  const name = pick(item.name, lang);
  return (
    <div class="svc-detail" data-testid="service-detail">
      <div class="svc-detail-info">
        <dl class="svc-facts">
          {rows.map((r) => (
            <div class="svc-fact" key={r.testid} data-testid={r.testid}>
              <dt>
                <ServiceIcon name={r.icon} />
                {r.label}
              </dt>
              <dd class={r.icon === 'link' ? 'svc-link' : undefined}>{r.text}</dd>
            </div>
          ))}
        </dl>
        {item.description && (
          <p class="svc-description" data-testid="service-description">
            {pick(item.description, lang)}
          </p>
        )}
      </div>
      <figure class="svc-qr">
        <Qr text={serviceQrText(item, site.name, lang)} label={s.qr(name)} testid="service-qr" />
        <figcaption>{s.scan}</figcaption>
      </figure>
    </div>
  );
}
