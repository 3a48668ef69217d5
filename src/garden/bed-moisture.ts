import { median } from '../core/stats.js';
import type { ProbeStatus } from './probe-trust.js';

export { median };

/**
 * A bed's moisture from its probes: the median of the trusted ones. The median, not the mean, so one
 * probe in a puddle or in a dry corner cannot decide alone once a bed has three or more. null when
 * no probe is trusted: the bed's moisture is then unknown, and it is not watered automatically.
 */
export function bedMoisture(probes: Readonly<Record<string, ProbeStatus>>): number | null {
  const trusted: number[] = [];
  for (const p of Object.values(probes)) if (p.trusted && p.value !== null) trusted.push(p.value);
  return median(trusted);
}
