/**
 * A slow drift for what stays on screen for hours (night and attract screens): a new small offset
 * every minute, so that no pixel shows the same thing all night (an LCD panel can keep a ghost image).
 * Set as a style property through the CSSOM, which the CSP allows (unlike a style attribute).
 */
const STEPS = [
  [0, 0],
  [4, -3],
  [-5, 4],
  [3, 5],
  [-4, -4],
  [6, 1],
  [-2, 6],
  [1, -6],
] as const;

export function driftOffset(now: number): { x: number; y: number } {
  const step = STEPS[Math.floor(now / 60_000) % STEPS.length] ?? STEPS[0];
  return { x: step[0], y: step[1] };
}

export function drift(now: number): { transform: string } {
  const { x, y } = driftOffset(now);
  return { transform: `translate(${x}vw, ${y}vh)` };
}
