/** Small pure helpers for what numbers and times look like on the screen. */

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `HH:MM` in the site's time zone (the kiosk's own clock zone may be anything). */
export function hhmm(ms: number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f.format(ms);
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Whole percent: a resident reads 47 %, not 46.77 %. */
export function percent(value: number | null): string {
  return value === null ? '—' : String(Math.round(value));
}

/** Is `HH:MM` now within [open, close) in the site's time zone? */
export function isOpen(nowMs: number, timeZone: string, open: string, close: string): boolean {
  const t = hhmm(nowMs, timeZone);
  return open <= close ? t >= open && t < close : t >= open || t < close;
}
