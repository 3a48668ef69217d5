import { get, type Bilingual } from './http.js';

/** What the admin page needs of the site: its name and time zone (every time is shown in it). */
export interface SiteInfo {
  id: string;
  name: Bilingual;
  timezone: string;
}

export const fetchSiteInfo = (signal?: AbortSignal) => get<SiteInfo>('/api/site', signal);
