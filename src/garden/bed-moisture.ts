import type { ProbeStatus } from './probe-trust.js';

/**
 * A bed's moisture from its probes: the median of the trusted ones. The median, not the mean, so one
 * probe in a puddle or in a dry corner cannot decide alone once a bed has three or more.
 */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** null when no probe is trusted: the bed's moisture is then unknown, and it is not watered automatically. */
export function bedMoisture(probes: Readonly<Record<string, ProbeStatus>>): number | null {
  const trusted: number[] = [];
  for (const p of Object.values(probes)) if (p.trusted && p.value !== null) trusted.push(p.value);
  return median(trusted);
}
