import './style.css';
import { fetchDevices } from './api/devices.js';
import { fetchGarden } from './api/garden.js';
import { connectLive } from './api/live.js';
import { fetchLounge } from './api/lounge.js';
import { fetchSensors } from './api/sensors.js';
import { fetchSite, type Site } from './api/site.js';
import { STRINGS, type Lang } from './i18n.js';
import {
  applyBedState,
  applyDevice,
  applyDeviceSnapshot,
  applyGardenSnapshot,
  applyLoungeSnapshot,
  applyOccupancy,
  applyReadings,
  applySensorSnapshot,
  createModel,
} from './model.js';
import { throttle } from './throttle.js';
import { h } from './view/dom.js';
import { createScreen } from './view/screen.js';

/**
 * The lobby kiosk's live-readings page. Chinese first; the language choice lives only in memory
 * (nothing is kept in local storage). The page never needs a reload: the site is fetched once,
 * snapshots on every (re)connection of the live stream, and readings arrive over the stream.
 */
const DEFAULT_LANG: Lang = 'zh';
const RETRY_MS = 5_000;
/**
 * The live `lounge` event carries the counts but not the events' attendance, which changes with the
 * same door counts: `/api/lounge` is read again after one, at most this often.
 */
const LOUNGE_REFETCH_MS = 10_000;
/** And now and then regardless, so an event staff add during the day (or a new day's) shows up. */
const LOUNGE_POLL_MS = 5 * 60_000;

function message(root: HTMLElement, key: 'loading' | 'loadFailed'): void {
  root.replaceChildren(
    h('div', { class: 'message', testid: 'message' }, [
      h('p', { text: STRINGS.zh[key], attrs: { lang: 'zh-CN' } }),
      h('p', { text: STRINGS.en[key], attrs: { lang: 'en' } }),
    ]),
  );
}

async function loadSite(root: HTMLElement): Promise<Site> {
  for (;;) {
    try {
      return await fetchSite();
    } catch {
      message(root, 'loadFailed');
      await new Promise((r) => setTimeout(r, RETRY_MS));
    }
  }
}

async function main(): Promise<void> {
  const root = document.getElementById('app');
  if (!root) throw new Error('no #app element');
  message(root, 'loading');
  const site = await loadSite(root);
  const model = createModel(site, DEFAULT_LANG);
  const screen = createScreen(root, model, (lang) => {
    if (lang === model.lang) return;
    model.lang = lang;
    screen.render();
  });
  screen.render();

  // Each snapshot is applied on its own: a garden module that is down must not hide the bins.
  // A failed one is left as it was; the live stream's next `hello` refetches.
  const refresh = async () => {
    const [sensors, devices, garden, lounge] = await Promise.allSettled([fetchSensors(), fetchDevices(), fetchGarden(), fetchLounge()]);
    if (sensors.status === 'fulfilled') applySensorSnapshot(model, sensors.value);
    if (devices.status === 'fulfilled') applyDeviceSnapshot(model, devices.value);
    if (garden.status === 'fulfilled') applyGardenSnapshot(model, garden.value);
    if (lounge.status === 'fulfilled') applyLoungeSnapshot(model, lounge.value);
    screen.update();
  };
  const refreshLounge = throttle(() => {
    fetchLounge().then(
      (lounge) => {
        applyLoungeSnapshot(model, lounge);
        screen.update();
      },
      () => undefined,
    );
  }, LOUNGE_REFETCH_MS);
  void refresh();

  connectLive({
    onHello: () => void refresh(),
    onReadings: (readings) => {
      applyReadings(model, readings);
      screen.update();
    },
    onDevice: (device) => {
      applyDevice(model, device);
      screen.update();
    },
    onGarden: (bed) => {
      applyBedState(model, bed);
      screen.update();
    },
    onLounge: (occupancy) => {
      applyOccupancy(model, occupancy);
      screen.update();
      refreshLounge();
    },
    onState: (state, lastEventAt) => {
      model.live = state;
      model.lastEventAt = lastEventAt;
      screen.update();
    },
  });

  // The clock, the open/closed line and "not live" need time to pass even when no data comes.
  setInterval(() => screen.update(), 1_000);
  setInterval(refreshLounge, LOUNGE_POLL_MS);
}

void main();
