import type { JSX } from 'preact';
import type { ConcernState } from '../../api/concerns.js';
import { SvgIcon } from '../../ui/Icon.js';

/**
 * Pictures drawn in the app (no emoji font on the Pi, no image from outside): one per concern
 * category, one per state of the loop, and the three ways into the screen. Line drawings on a 24×24
 * grid in the style of Feather (MIT). Every one is shown with its words: never a picture or a colour alone.
 */
const CATEGORY: Record<string, JSX.Element> = {
  'tree-signal': (
    <>
      <circle cx="8" cy="8" r="5" />
      <line x1="8" y1="13" x2="8" y2="22" />
      <rect x="15" y="3" width="6" height="12" rx="2" />
      <circle cx="18" cy="6.5" r="1" />
      <circle cx="18" cy="11.5" r="1" />
      <line x1="18" y1="15" x2="18" y2="22" />
    </>
  ),
  'street-stalls': (
    <>
      <path d="M3 4h18l2 6H1z" />
      <path d="M3 10v10h18V10" />
      <path d="M9 20v-5h6v5" />
    </>
  ),
  'bike-parking': (
    <>
      <circle cx="5.5" cy="16.5" r="3.5" />
      <circle cx="18.5" cy="16.5" r="3.5" />
      <path d="M5.5 16.5L9 9h7l2.5 7.5" />
      <path d="M9 9l3.5 7.5L16 9" />
      <path d="M7.5 6H11" />
    </>
  ),
  waste: (
    <>
      <polyline points="3 6 5 6 21 6" />
      <path d="M19 6v14a2 2 0 0 1-2 2H7a2 2 0 0 1-2-2V6m3 0V4a2 2 0 0 1 2-2h4a2 2 0 0 1 2 2v2" />
      <line x1="10" y1="11" x2="10" y2="17" />
      <line x1="14" y1="11" x2="14" y2="17" />
    </>
  ),
  noise: (
    <>
      <polygon points="11 5 6 9 2 9 2 15 6 15 11 19 11 5" />
      <path d="M19.07 4.93a10 10 0 0 1 0 14.14M15.54 8.46a5 5 0 0 1 0 7.07" />
    </>
  ),
  lighting: (
    <>
      <path d="M9 18h6" />
      <path d="M10 22h4" />
      <path d="M12 2a7 7 0 0 0-4 12.74V16h8v-1.26A7 7 0 0 0 12 2z" />
    </>
  ),
  accessibility: (
    <>
      <circle cx="11" cy="4" r="2" />
      <path d="M11 7v7h6l2.5 6" />
      <path d="M11 10h5" />
      <path d="M15.5 19.5A6 6 0 1 1 7 12" />
    </>
  ),
  other: <path d="M21 11.5a8.38 8.38 0 0 1-.9 3.8 8.5 8.5 0 0 1-7.6 4.7 8.38 8.38 0 0 1-3.8-.9L3 21l1.9-5.7a8.38 8.38 0 0 1-.9-3.8 8.5 8.5 0 0 1 4.7-7.6 8.38 8.38 0 0 1 3.8-.9h.5a8.48 8.48 0 0 1 8 8v.5z" />,
};

const STATE: Record<ConcernState | 'all', JSX.Element> = {
  all: (
    <>
      <line x1="8" y1="6" x2="21" y2="6" />
      <line x1="8" y1="12" x2="21" y2="12" />
      <line x1="8" y1="18" x2="21" y2="18" />
      <line x1="3" y1="6" x2="3.01" y2="6" />
      <line x1="3" y1="12" x2="3.01" y2="12" />
      <line x1="3" y1="18" x2="3.01" y2="18" />
    </>
  ),
  raised: (
    <>
      <line x1="22" y1="2" x2="11" y2="13" />
      <polygon points="22 2 15 22 11 13 2 9 22 2" />
    </>
  ),
  accepted: <polyline points="20 6 9 17 4 12" />,
  declined: (
    <>
      <circle cx="12" cy="12" r="10" />
      <line x1="15" y1="9" x2="9" y2="15" />
      <line x1="9" y1="9" x2="15" y2="15" />
    </>
  ),
  'in-consultation': (
    <>
      <path d="M17 21v-2a4 4 0 0 0-4-4H5a4 4 0 0 0-4 4v2" />
      <circle cx="9" cy="7" r="4" />
      <path d="M23 21v-2a4 4 0 0 0-3-3.87" />
      <path d="M16 3.13a4 4 0 0 1 0 7.75" />
    </>
  ),
  resolved: (
    <>
      <path d="M22 11.08V12a10 10 0 1 1-5.93-9.14" />
      <polyline points="22 4 12 14.01 9 11.01" />
    </>
  ),
  rated: <polygon points="12 2 15.09 8.26 22 9.27 17 14.14 18.18 21.02 12 17.77 5.82 21.02 7 14.14 2 9.27 8.91 8.26 12 2" />,
};

const MENU: Record<'raise' | 'board' | 'follow', JSX.Element> = {
  raise: (
    <>
      <path d="M12 20h9" />
      <path d="M16.5 3.5a2.12 2.12 0 0 1 3 3L7 19l-4 1 1-4z" />
    </>
  ),
  board: (
    <>
      <rect x="3" y="3" width="18" height="18" rx="2" />
      <line x1="7" y1="8" x2="17" y2="8" />
      <line x1="7" y1="12" x2="17" y2="12" />
      <line x1="7" y1="16" x2="13" y2="16" />
    </>
  ),
  follow: (
    <>
      <circle cx="11" cy="11" r="8" />
      <line x1="21" y1="21" x2="16.65" y2="16.65" />
    </>
  ),
};

/** Each picture is the app's one SVG pictogram (ui/Icon), on the 24×24 grid. */
const picture = (content: JSX.Element, extra: string | undefined) => (
  <SvgIcon class={`cn-icon ${extra ?? ''}`} grid={24} strokeWidth={2}>
    {content}
  </SvgIcon>
);

export const CategoryPicture = (props: { id: string; class?: string }) => picture(CATEGORY[props.id] ?? (CATEGORY.other as JSX.Element), props.class);
export const StateIcon = (props: { state: ConcernState | 'all'; class?: string }) => picture(STATE[props.state], props.class);
export const MenuIcon = (props: { name: keyof typeof MENU; class?: string }) => picture(MENU[props.name], props.class);
