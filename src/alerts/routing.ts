import type { SiteConfig, WasteCategory } from '../config/schema.js';

/**
 * Who must act on an alert: the crews that collect its category at its point. Alerts without a
 * category (a sensor gone offline) go to the supervisor crews. Pure, so the routing table is tested
 * without a broker.
 */
export function responsibleCrews(config: SiteConfig, about: { category?: WasteCategory | undefined; pointId?: string | undefined }): string[] {
  if (about.category === undefined) return supervisorCrews(config);
  const category = about.category;
  return config.crews
    .filter((c) => !c.supervisor && c.categories.includes(category) && (c.points === undefined || about.pointId === undefined || c.points.includes(about.pointId)))
    .map((c) => c.id);
}

export function supervisorCrews(config: SiteConfig): string[] {
  return config.crews.filter((c) => c.supervisor).map((c) => c.id);
}
