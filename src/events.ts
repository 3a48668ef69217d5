import type { CrewAlertPayload, DeviceStatus, Reading } from './contract/payloads.js';

/** Every event on the in-process bus and its payload. Names are in the past tense. */
export interface TongxinEvents {
  readingAccepted: Reading;
  deviceStatusChanged: DeviceStatus;
  alertChanged: CrewAlertPayload;
}
