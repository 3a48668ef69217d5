import type { SiteConfig } from '../config/schema.js';
import { isTongxinError } from '../core/errors.js';
import { isCategory } from './categories.js';
import { cleanLink, cleanPartner, cleanService, KIND_PATTERN, type PartnerFields, type ServiceFields } from './input.js';

/**
 * The first catalogue, from the site file's sample partners, in the file's order. The site file is
 * looser than the staff API (any category string, any URI), so what does not fit is mended where a
 * sensible reading exists (unknown category → other, odd link → none) and skipped otherwise; each
 * such case is a warning for the log, never a failed start.
 */
export interface SeedPlan {
  partners: { fields: PartnerFields; services: ServiceFields[] }[];
  warnings: string[];
}

export function seedPlan(configPartners: SiteConfig['partners']): SeedPlan {
  const plan: SeedPlan = { partners: [], warnings: [] };
  for (const p of configPartners) {
    const kind = p.kind.trim().toLowerCase().replace(/[\s_]+/g, '-');
    if (!KIND_PATTERN.test(kind)) plan.warnings.push(`partner ${p.id}: kind "${p.kind}" is not a short lowercase word; using "other"`);
    let fields: PartnerFields;
    try {
      fields = cleanPartner({ name: p.name, kind: KIND_PATTERN.test(kind) ? kind : 'other' });
    } catch (err) {
      plan.warnings.push(`partner ${p.id} skipped: ${message(err)}`);
      continue;
    }
    const services: ServiceFields[] = [];
    p.services.forEach((s, i) => {
      const where = `partner ${p.id}, service ${i + 1}`;
      let category = s.category;
      if (!isCategory(category)) {
        plan.warnings.push(`${where}: unknown category "${category}"; using "other"`);
        category = 'other';
      }
      let link = s.link;
      if (link !== undefined) {
        try {
          link = cleanLink(link);
        } catch (err) {
          plan.warnings.push(`${where}: link left out: ${message(err)}`);
          link = undefined;
        }
      }
      try {
        services.push(cleanService({ ...s, category, link: link ?? null }));
      } catch (err) {
        plan.warnings.push(`${where} skipped: ${message(err)}`);
      }
    });
    plan.partners.push({ fields, services });
  }
  return plan;
}

const message = (err: unknown) => (isTongxinError(err) || err instanceof Error ? err.message : String(err));
