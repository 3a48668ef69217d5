import type { BinStatePayload, CrewAlertPayload, DeviceStatus, GardenStatePayload, LoungeOccupancyPayload, PointStatePayload, Reading } from './contract/payloads.js';

/** Every event on the in-process bus and its payload. Names are in the past tense. */
export interface TongxinEvents {
  readingAccepted: Reading;
  deviceStatusChanged: DeviceStatus;
  alertChanged: CrewAlertPayload;
  binStateChanged: BinStatePayload;
  pointStateChanged: PointStatePayload;
  gardenStateChanged: GardenStatePayload;
  occupancyChanged: LoungeOccupancyPayload;
  /** One person through a door (from the door's in/out counters). */
  doorPassed: { doorId: string; direction: 'in' | 'out'; at: number };
  pickupRecorded: { binId: string; pointId: string; category: string; at: number; fillBefore: number; fillAfter: number; slotKey: string | null };
}
