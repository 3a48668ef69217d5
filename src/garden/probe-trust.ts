import type { SensorConfig } from '../config/schema.js';

/**
 * Whether a soil probe's latest reading can be believed. Pure: the module hands in the reading, the
 * device's presence and `now`. A probe that is not trusted still shows its last value (people want
 * to see it), but never takes part in the bed's moisture, so it can never open a valve.
 */
export type ProbeFault = 'no-reading' | 'device-offline' | 'impossible-value' | 'stale';

export interface ProbeReading {
  raw: number;
  value: number;
  /** when the device measured it (epoch ms) */
  at: number;
}

export interface ProbeStatus {
  /** the calibrated value of the latest reading, trusted or not; null before the first one */
  value: number | null;
  trusted: boolean;
  fault?: ProbeFault;
}

export function probeStatus(o: {
  reading: ProbeReading | undefined;
  validRange: SensorConfig['validRange'];
  deviceOnline: boolean;
  now: number;
  staleMs: number;
}): ProbeStatus {
  const r = o.reading;
  if (!r) return { value: null, trusted: false, fault: 'no-reading' };
  const value = r.value;
  // Same rule as the ingest API's `stale`: a value from a device we no longer hear from is not current.
  if (!o.deviceOnline) return { value, trusted: false, fault: 'device-offline' };
  // The valid range is in raw units: a capacitive probe out of the soil or shorted reads far outside it,
  // while its calibrated (clamped) value would look like an ordinary 0 % or 100 %.
  if (o.validRange && (r.raw < o.validRange.min || r.raw > o.validRange.max)) return { value, trusted: false, fault: 'impossible-value' };
  if (o.now - r.at > o.staleMs) return { value, trusted: false, fault: 'stale' };
  return { value, trusted: true };
}

/**
 * Faults that are the probe's own and worth a `probe-faulty` alert. An offline device already has its
 * `sensor-offline` alert; a probe that never reported is only the probe's fault once its device is
 * known to be alive (the module decides that, it needs the time since start).
 */
export function isProbeOwnFault(fault: ProbeFault | undefined): boolean {
  return fault === 'impossible-value' || fault === 'stale';
}
