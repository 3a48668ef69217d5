import type { ComponentChildren } from 'preact';

/**
 * Pictograms drawn as inline SVG. Not emoji: a Pi (and CI) has no colour-emoji font, and Chromium
 * would draw an empty box. Each icon is decorative (`aria-hidden`); its meaning is always in words
 * next to it (never an icon or a colour alone).
 */
const PATHS = {
  // home tiles
  services: ['M4 24 L14 14 L22 18 L30 12 L44 24', 'M14 14 L24 26 Q27 29 30 26 L22 18', 'M4 24 L12 32 L20 38 Q24 40 27 37 L36 30 L44 24'],
  health: ['M24 41 L8 25 Q2 17 8 11 Q15 5 24 14 Q33 5 40 11 Q46 17 40 25 Z'],
  garden: ['M24 44 L24 22', 'M24 26 Q10 26 8 10 Q22 10 24 26', 'M24 22 Q26 8 40 6 Q40 20 24 22', 'M10 44 L38 44'],
  waste: ['M10 12 L38 12', 'M20 12 L20 7 L28 7 L28 12', 'M13 12 L15 42 L33 42 L35 12', 'M20 18 L20 36', 'M28 18 L28 36'],
  lounge: ['M6 22 L24 7 L42 22', 'M11 18 L11 42 L37 42 L37 18', 'M20 42 L20 30 L28 30 L28 42'],
  concerns: ['M6 10 L42 10 L42 32 L22 32 L12 41 L14 32 L6 32 Z', 'M14 18 L34 18', 'M14 25 L28 25'],
  // waste categories (Shanghai's four)
  recyclable: ['M24 6 L32 18 L16 18 Z', 'M34 22 L42 36 L28 36', 'M14 22 L6 36 L20 36', 'M28 36 L20 36'],
  hazardous: ['M24 5 L44 41 L4 41 Z', 'M24 17 L24 30', 'M24 35 L24 36'],
  wet: ['M24 6 Q38 22 38 30 Q38 42 24 42 Q10 42 10 30 Q10 22 24 6 Z'],
  dry: ['M10 14 L38 14 L35 42 L13 42 Z', 'M8 14 L40 14', 'M19 8 L29 8'],
  // states and things
  sun: ['M24 16 A8 8 0 1 0 24.01 16', 'M24 3 L24 9', 'M24 39 L24 45', 'M3 24 L9 24', 'M39 24 L45 24', 'M9 9 L13 13', 'M35 35 L39 39', 'M9 39 L13 35', 'M35 13 L39 9'],
  drizzle: ['M12 26 Q4 26 5 18 Q7 11 15 13 Q18 5 27 7 Q35 8 35 16 Q44 16 43 23 Q42 27 36 27 Z', 'M15 33 L13 39', 'M24 33 L22 39', 'M33 33 L31 39'],
  check: ['M8 25 L19 36 L40 12'],
  cross: ['M12 12 L36 36', 'M36 12 L12 36'],
  alert: ['M24 5 L44 41 L4 41 Z', 'M24 17 L24 30', 'M24 35 L24 36'],
  clock: ['M24 6 A18 18 0 1 0 24.01 6', 'M24 13 L24 24 L32 29'],
  pin: ['M24 44 Q10 28 10 19 A14 14 0 0 1 38 19 Q38 28 24 44 Z', 'M24 14 A5 5 0 1 0 24.01 14'],
  moon: ['M30 6 A18 18 0 1 0 42 32 A14 14 0 0 1 30 6 Z'],
  door: ['M12 44 L12 5 L36 5 L36 44', 'M6 44 L42 44', 'M30 25 L30 26'],
  hand: ['M16 44 L12 30 Q10 26 14 25 L18 30 L18 9 Q18 6 21 6 Q24 6 24 9 L24 22 L24 18 Q24 15 27 15 Q30 15 30 18 L30 22 Q30 19 33 19 Q36 19 36 22 L36 34 Q36 40 32 44'],
  users: ['M18 7 A7 7 0 1 0 18.01 7', 'M4 42 Q4 26 18 26 Q32 26 32 42', 'M31 8 A6 6 0 1 1 31 20', 'M36 27 Q44 29 44 42'],
  calendar: ['M6 10 L42 10 L42 42 L6 42 Z', 'M6 19 L42 19', 'M16 5 L16 13', 'M32 5 L32 13'],
} as const;

export type IconName = keyof typeof PATHS;

/**
 * The one SVG pictogram: a line drawing in the text colour on a square `grid` (48 for the paths
 * above; 24 for the Feather-style shapes of the concerns and services screens), decorative.
 */
export function SvgIcon(props: { class: string; grid: number; strokeWidth: number; size?: number; children: ComponentChildren }) {
  return (
    <svg
      class={props.class}
      width={props.size}
      height={props.size}
      viewBox={`0 0 ${props.grid} ${props.grid}`}
      fill="none"
      stroke="currentColor"
      stroke-width={props.strokeWidth}
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {props.children}
    </svg>
  );
}

export function Icon(props: { name: IconName; size?: number; class?: string }) {
  return (
    <SvgIcon class={props.class ?? 'icon'} grid={48} strokeWidth={3} size={props.size ?? 48}>
      {PATHS[props.name].map((d) => (
        <path key={d} d={d} />
      ))}
    </SvgIcon>
  );
}
