/**
 * A tiny DOM builder. Text goes in through textContent only (never innerHTML) and no element gets a
 * `style` attribute: the CSP forbids inline styles, so looks come from classes in style.css.
 */
export interface Props {
  class?: string;
  testid?: string;
  text?: string;
  attrs?: Record<string, string>;
  hidden?: boolean;
}

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props = {}, children: (Node | null | undefined)[] = []): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  if (props.class) el.className = props.class;
  if (props.testid) el.dataset.testid = props.testid;
  if (props.text !== undefined) el.textContent = props.text;
  if (props.hidden) el.hidden = true;
  for (const [k, v] of Object.entries(props.attrs ?? {})) el.setAttribute(k, v);
  for (const c of children) if (c) el.append(c);
  return el;
}

export function setText(el: Element, text: string): void {
  if (el.textContent !== text) el.textContent = text;
}

export function toggle(el: Element, cls: string, on: boolean): void {
  el.classList.toggle(cls, on);
}

const SVG_NS = 'http://www.w3.org/2000/svg';

// Line icons in the style of Feather (MIT): [element, attributes] on a 24×24 grid.
type Shape = [string, Record<string, string>];
const ICONS = {
  recyclable: [
    ['polyline', { points: '23 4 23 10 17 10' }],
    ['polyline', { points: '1 20 1 14 7 14' }],
    ['path', { d: 'M3.51 9a9 9 0 0 1 14.85-3.36L23 10M1 14l4.64 4.36A9 9 0 0 0 20.49 15' }],
  ],
  hazardous: [
    ['path', { d: 'M10.29 3.86L1.82 18a2 2 0 0 0 1.71 3h16.94a2 2 0 0 0 1.71-3L13.71 3.86a2 2 0 0 0-3.42 0z' }],
    ['line', { x1: '12', y1: '9', x2: '12', y2: '13' }],
    ['line', { x1: '12', y1: '17', x2: '12.01', y2: '17' }],
  ],
  wet: [['path', { d: 'M12 2.69l5.66 5.66a8 8 0 1 1-11.31 0z' }]],
  dry: [
    ['polyline', { points: '3 6 5 6 21 6' }],
    ['path', { d: 'M19 6v14a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V6m3 0V4a2 2 0 0 1 2-2h4a2 2 0 0 1 2 2v2' }],
    ['line', { x1: '10', y1: '11', x2: '10', y2: '17' }],
    ['line', { x1: '14', y1: '11', x2: '14', y2: '17' }],
  ],
  clock: [
    ['circle', { cx: '12', cy: '12', r: '10' }],
    ['polyline', { points: '12 6 12 12 16 14' }],
  ],
  alert: [
    ['circle', { cx: '12', cy: '12', r: '10' }],
    ['line', { x1: '12', y1: '8', x2: '12', y2: '12' }],
    ['line', { x1: '12', y1: '16', x2: '12.01', y2: '16' }],
  ],
  // Garden levels: a sun for dry, a tick for ok, a drop for wet; rain from a cloud for watering.
  sun: [
    ['circle', { cx: '12', cy: '12', r: '5' }],
    ['line', { x1: '12', y1: '1', x2: '12', y2: '3' }],
    ['line', { x1: '12', y1: '21', x2: '12', y2: '23' }],
    ['line', { x1: '4.22', y1: '4.22', x2: '5.64', y2: '5.64' }],
    ['line', { x1: '18.36', y1: '18.36', x2: '19.78', y2: '19.78' }],
    ['line', { x1: '1', y1: '12', x2: '3', y2: '12' }],
    ['line', { x1: '21', y1: '12', x2: '23', y2: '12' }],
    ['line', { x1: '4.22', y1: '19.78', x2: '5.64', y2: '18.36' }],
    ['line', { x1: '18.36', y1: '5.64', x2: '19.78', y2: '4.22' }],
  ],
  check: [['polyline', { points: '20 6 9 17 4 12' }]],
  drizzle: [
    ['line', { x1: '8', y1: '19', x2: '8', y2: '21' }],
    ['line', { x1: '8', y1: '13', x2: '8', y2: '15' }],
    ['line', { x1: '16', y1: '19', x2: '16', y2: '21' }],
    ['line', { x1: '16', y1: '13', x2: '16', y2: '15' }],
    ['line', { x1: '12', y1: '21', x2: '12', y2: '23' }],
    ['line', { x1: '12', y1: '15', x2: '12', y2: '17' }],
    ['path', { d: 'M20 16.58A5 5 0 0 0 18 7h-1.26A8 8 0 1 0 4 15.25' }],
  ],
  users: [
    ['path', { d: 'M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2' }],
    ['circle', { cx: '9', cy: '7', r: '4' }],
    ['path', { d: 'M23 21v-2a4 4 0 0 0-3-3.87' }],
    ['path', { d: 'M16 3.13a4 4 0 0 1 0 7.75' }],
  ],
  calendar: [
    ['rect', { x: '3', y: '4', width: '18', height: '18', rx: '2', ry: '2' }],
    ['line', { x1: '16', y1: '2', x2: '16', y2: '6' }],
    ['line', { x1: '8', y1: '2', x2: '8', y2: '6' }],
    ['line', { x1: '3', y1: '10', x2: '21', y2: '10' }],
  ],
} satisfies Record<string, Shape[]>;

export type IconName = keyof typeof ICONS;

export function icon(name: IconName, cls = 'icon'): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  for (const [k, v] of Object.entries({
    viewBox: '0 0 24 24',
    fill: 'none',
    stroke: 'currentColor',
    'stroke-width': '2.2',
    'stroke-linecap': 'round',
    'stroke-linejoin': 'round',
    'aria-hidden': 'true',
    focusable: 'false',
    class: cls,
  }))
    svg.setAttribute(k, v);
  for (const [tag, attrs] of ICONS[name] as Shape[]) {
    const el = document.createElementNS(SVG_NS, tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    svg.append(el);
  }
  return svg;
}
