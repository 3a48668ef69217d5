/**
 * The server's clock as the kiosk last heard it. The panel may have no real-time clock or a wrong
 * zone; whether to offer check-in or cancel follows the server's `now` (sent with the event list),
 * carried forward by the panel's own monotonic-enough clock. Not personal: fine at module level.
 */
let skewMs = 0;

export function noteServerNow(serverNow: number, localNow = Date.now()): void {
  skewMs = serverNow - localNow;
}

export function serverNow(localNow = Date.now()): number {
  return localNow + skewMs;
}
