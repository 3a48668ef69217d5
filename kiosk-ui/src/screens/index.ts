import type { FunctionComponent } from 'preact';
import type { ScreenName } from '../app/nav.js';
import { ConcernsScreen } from './concerns/ConcernsScreen.js';
import { GardenScreen } from './garden/GardenScreen.js';
import { HealthScreen } from './health/HealthScreen.js';
import { Home } from './home/Home.js';
import { LoungeScreen } from './lounge/LoungeScreen.js';
import { ServicesScreen } from './services/ServicesScreen.js';
import { WasteScreen } from './waste/WasteScreen.js';

/** Every screen of the kiosk, by name. Each screen's folder owns its components and strings. */
export const SCREENS: Record<ScreenName, FunctionComponent> = {
  home: Home,
  services: ServicesScreen,
  health: HealthScreen,
  garden: GardenScreen,
  waste: WasteScreen,
  lounge: LoungeScreen,
  concerns: ConcernsScreen,
};
