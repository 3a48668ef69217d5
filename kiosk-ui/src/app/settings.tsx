import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Site } from '../api/site.js';

/** The site as `/api/site` describes it, fetched once at start. */
export const SiteContext = createContext<Site | null>(null);

export function useSite(): Site {
  const site = useContext(SiteContext);
  if (!site) throw new Error('useSite outside <SiteContext.Provider>');
  return site;
}

/** Display choices a resident makes with a tap, reset when the kiosk returns home after idle. */
export interface Display {
  largeText: boolean;
}
export const DisplayContext = createContext<Display>({ largeText: false });
export const useDisplay = (): Display => useContext(DisplayContext);
