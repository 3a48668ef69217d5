import type { PublicPartner, PublicService } from '../../api/services.js';
import type { Text } from '../../api/site.js';

/** A service as the list shows it: with the name of the unit that offers it. */
export interface ServiceItem extends PublicService {
  unit: Text;
}

/** The catalogue flattened in the server's order (partners in staff order, then their services). */
export function toItems(partners: readonly PublicPartner[]): ServiceItem[] {
  return partners.flatMap((p) => p.services.map((svc) => ({ ...svc, unit: p.name })));
}
