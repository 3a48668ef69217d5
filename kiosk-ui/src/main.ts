import './style.css';
import { fetchDevices } from './api/devices.js';
import { connectLive } from './api/live.js';
import { fetchSensors } from './api/sensors.js';
import { fetchSite, type Site } from './api/site.js';
import { STRINGS, type Lang } from './i18n.js';
import { applyDevice, applyDeviceSnapshot, applyReadings, applySensorSnapshot, createModel } from './model.js';
import { h } from './view/dom.js';
import { createScreen } from './view/screen.js';

/**
 * The lobby kiosk's live-readings page. Chinese first; the language choice lives only in memory
 * (nothing is kept in local storage). The page never needs a reload: the site is fetched once,
 * snapshots on every (re)connection of the live stream, and readings arrive over the stream.
 */
const DEFAULT_LANG: Lang = 'zh';
const RETRY_MS = 5_000;

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

  const refresh = async () => {
    try {
      const [sensors, devices] = await Promise.all([fetchSensors(), fetchDevices()]);
      applySensorSnapshot(model, sensors);
      applyDeviceSnapshot(model, devices);
      screen.update();
    } catch {
      // The server is away; the live stream's next `hello` refetches.
    }
  };
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
    onState: (state, lastEventAt) => {
      model.live = state;
      model.lastEventAt = lastEventAt;
      screen.update();
    },
  });

  // The clock, the open/closed line and "not live" need time to pass even when no data comes.
  setInterval(() => screen.update(), 1_000);
}

void main();
