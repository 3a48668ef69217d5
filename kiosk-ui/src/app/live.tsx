import { createContext, type ComponentChildren } from 'preact';
import { useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { fetchDevices } from '../api/devices.js';
import { fetchGarden } from '../api/garden.js';
import { connectLive } from '../api/live.js';
import { fetchLounge } from '../api/lounge.js';
import { fetchSensors } from '../api/sensors.js';
import type { Site } from '../api/site.js';
import { fetchWastePoints } from '../api/waste.js';
import {
  applyBedState,
  applyBin,
  applyDevice,
  applyDeviceSnapshot,
  applyGardenSnapshot,
  applyLoungeSnapshot,
  applyOccupancy,
  applyPoint,
  applyReadings,
  applySensorSnapshot,
  applyWasteSnapshot,
  createModel,
  type Model,
} from '../model.js';
import { throttle } from '../throttle.js';

/**
 * The live picture of the site: snapshots on every (re)connection of the server-sent event stream,
 * then updates over it. The model is one mutable object (see model.ts); `version` changes whenever it
 * did, so components that read it re-render. Screens read it with `useLive()`.
 */
export interface Live {
  model: Model;
  version: number;
}

const LiveContext = createContext<Live | null>(null);

export function useLive(): Live {
  const live = useContext(LiveContext);
  if (!live) throw new Error('useLive outside <LiveProvider>');
  return live;
}

/**
 * The live `lounge` event carries the counts but not the events' attendance, which changes with the
 * same door counts: `/api/lounge` is read again after one, at most this often.
 */
const LOUNGE_REFETCH_MS = 10_000;
/** And now and then regardless, so an event staff add during the day (or a new day's) shows up. */
const LOUNGE_POLL_MS = 5 * 60_000;
/**
 * Bins and points come over the stream (`bin`, `point`), but the server sends a bin's fill at most
 * every 5 s, so the last change of a burst can wait for the bin's next reading: a slow poll catches it.
 */
const WASTE_POLL_MS = 60_000;

export function LiveProvider(props: { site: Site; children: ComponentChildren }) {
  const model = useMemo(() => createModel(props.site), [props.site]);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let pending = false;
    // Many readings can arrive in one burst; one render per frame is enough.
    const changed = () => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => {
        pending = false;
        setVersion((v) => v + 1);
      });
    };
    // Each snapshot is applied on its own: a garden module that is down must not hide the bins.
    const refresh = async () => {
      const [sensors, devices, garden, lounge, waste] = await Promise.allSettled([fetchSensors(), fetchDevices(), fetchGarden(), fetchLounge(), fetchWastePoints()]);
      if (sensors.status === 'fulfilled') applySensorSnapshot(model, sensors.value);
      if (devices.status === 'fulfilled') applyDeviceSnapshot(model, devices.value);
      if (garden.status === 'fulfilled') applyGardenSnapshot(model, garden.value);
      if (lounge.status === 'fulfilled') applyLoungeSnapshot(model, lounge.value);
      if (waste.status === 'fulfilled') applyWasteSnapshot(model, waste.value, Date.now());
      changed();
    };
    const refreshLounge = throttle(() => {
      fetchLounge().then(
        (lounge) => {
          applyLoungeSnapshot(model, lounge);
          changed();
        },
        () => undefined,
      );
    }, LOUNGE_REFETCH_MS);
    void refresh();
    const conn = connectLive({
      onHello: () => void refresh(),
      onReadings: (readings) => {
        applyReadings(model, readings);
        changed();
      },
      onDevice: (device) => {
        applyDevice(model, device);
        changed();
      },
      onGarden: (bed) => {
        applyBedState(model, bed);
        changed();
      },
      onLounge: (occupancy) => {
        applyOccupancy(model, occupancy);
        changed();
        refreshLounge();
      },
      onBin: (bin) => {
        applyBin(model, bin);
        changed();
      },
      onPoint: (point) => {
        applyPoint(model, point, Date.now());
        changed();
      },
      onState: (state, lastEventAt) => {
        model.live = state;
        model.lastEventAt = lastEventAt;
        changed();
      },
    });
    const poll = setInterval(refreshLounge, LOUNGE_POLL_MS);
    const wastePoll = setInterval(() => {
      fetchWastePoints().then(
        (waste) => {
          applyWasteSnapshot(model, waste, Date.now());
          changed();
        },
        () => undefined,
      );
    }, WASTE_POLL_MS);
    return () => {
      clearInterval(poll);
      clearInterval(wastePoll);
      conn.close();
    };
  }, [model]);

  return <LiveContext.Provider value={{ model, version }}>{props.children}</LiveContext.Provider>;
}

/** The wall time, ticking once a second: clocks, countdowns and "not live since" need time to pass. */
export function useNow(stepMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), stepMs);
    return () => clearInterval(t);
  }, [stepMs]);
  return now;
}
