import type { SensorConfig } from '../config/schema.js';

/**
 * Two-point linear calibration: the site file gives two raw values and what they mean
 * (e.g. 560 ADC counts in dry air = 0 %, 250 in water = 100 %). Without calibration the raw value
 * is the value. A clamp bounds the result, so an ADC glitch cannot show 140 % moisture.
 */
export function calibrate(raw: number, sensor: Pick<SensorConfig, 'calibration' | 'clamp'>): number {
  let value = raw;
  const c = sensor.calibration;
  if (c) {
    const [r0, r1] = c.raw;
    const [v0, v1] = c.value;
    value = v0 + ((raw - r0) * (v1 - v0)) / (r1 - r0);
  }
  if (sensor.clamp) value = Math.min(sensor.clamp.max, Math.max(sensor.clamp.min, value));
  // Two decimals: more would be noise presented as precision.
  return Math.round(value * 100) / 100;
}
