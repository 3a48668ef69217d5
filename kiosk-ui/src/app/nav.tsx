import { createContext } from 'preact';
import { useContext } from 'preact/hooks';

/**
 * Where the kiosk is. Kept in memory only: nothing personal ever goes into a URL (KIOSK.md), and the
 * screen a resident left is not bookmarkable anyway. A screen's own steps (form pages, details) are
 * its own state; `back()` returns to the screen that opened this one, `home()` to the tiles.
 */
export type ScreenName = 'home' | 'services' | 'health' | 'garden' | 'waste' | 'lounge' | 'concerns';
export const TILE_SCREENS: readonly Exclude<ScreenName, 'home'>[] = ['services', 'health', 'garden', 'waste', 'lounge', 'concerns'];

export interface Nav {
  screen: ScreenName;
  go(screen: ScreenName): void;
  back(): void;
  home(): void;
}

export const NavContext = createContext<Nav>({ screen: 'home', go: () => undefined, back: () => undefined, home: () => undefined });

export function useNav(): Nav {
  return useContext(NavContext);
}
