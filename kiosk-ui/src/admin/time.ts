/**
 * Times on the admin page are the site's (Asia/Shanghai), whatever zone the staff computer is set
 * to: an event "at 14:00" means 14:00 in the lounge. `datetime-local` inputs hold a wall time
 * without a zone, so they are converted here with the site zone, not the browser's.
 */
const formats = new Map<string, Intl.DateTimeFormat>();

function partsIn(ms: number, tz: string): { y: number; mo: number; d: number; h: number; mi: number } {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formats.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  return { y: Number(p.year), mo: Number(p.month), d: Number(p.day), h: Number(p.hour), mi: Number(p.minute) };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-05-01 14:05` in the site zone. */
export function formatDateTime(ms: number, tz: string): string {
  const p = partsIn(ms, tz);
  return `${p.y}-${pad(p.mo)}-${pad(p.d)} ${pad(p.h)}:${pad(p.mi)}`;
}

export function formatTime(ms: number, tz: string): string {
  const p = partsIn(ms, tz);
  return `${pad(p.h)}:${pad(p.mi)}`;
}

/** `2026-05` in the site zone: the month a report is about. */
export function monthOf(ms: number, tz: string): string {
  const p = partsIn(ms, tz);
  return `${p.y}-${pad(p.mo)}`;
}

/** The value of a `datetime-local` input showing `ms` in the site zone. */
export function toLocalInput(ms: number, tz: string): string {
  return formatDateTime(ms, tz).replace(' ', 'T');
}

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?$/;

/** Epoch ms of a `datetime-local` value read as site time; undefined when it is not a time. */
export function fromLocalInput(value: string, tz: string): number | undefined {
  const m = LOCAL.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  if (Number.isNaN(wall)) return undefined;
  // The zone's offset at a moment: its wall clock minus UTC. Asked twice so a change of offset
  // (not in Shanghai, but the zone comes from the site file) lands on the right side.
  const offset = (t: number) => {
    const p = partsIn(t, tz);
    return Date.UTC(p.y, p.mo - 1, p.d, p.h, p.mi) - Math.floor(t / 60_000) * 60_000;
  };
  const first = wall - offset(wall);
  return wall - offset(first);
}
