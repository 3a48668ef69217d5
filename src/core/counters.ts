/**
 * Named counters with one optional label (a reason, a kind). What the service rejects or drops is
 * counted here so that /healthz (and later /metrics) can say how much and why.
 */
export interface Counters {
  inc(name: string, label?: string, by?: number): void;
  get(name: string, label?: string): number;
  total(name: string): number;
  snapshot(): Record<string, { total: number; by: Record<string, number> }>;
}

export function createCounters(): Counters {
  const values = new Map<string, Map<string, number>>();
  const NONE = '';
  return {
    inc(name, label = NONE, by = 1) {
      let byLabel = values.get(name);
      if (!byLabel) values.set(name, (byLabel = new Map()));
      byLabel.set(label, (byLabel.get(label) ?? 0) + by);
    },
    get(name, label = NONE) {
      return values.get(name)?.get(label) ?? 0;
    },
    total(name) {
      let sum = 0;
      for (const v of values.get(name)?.values() ?? []) sum += v;
      return sum;
    },
    snapshot() {
      const out: Record<string, { total: number; by: Record<string, number> }> = {};
      for (const [name, byLabel] of values) {
        const by: Record<string, number> = {};
        let total = 0;
        for (const [label, v] of byLabel) {
          total += v;
          if (label !== NONE) by[label] = v;
        }
        out[name] = { total, by };
      }
      return out;
    },
  };
}
