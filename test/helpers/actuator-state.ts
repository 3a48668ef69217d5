import mqtt from 'mqtt';
import type { RunningApp } from '../../src/app.js';
import { waitFor } from './app.js';

/**
 * Waits until an actuator's reported state (retained `actuator/<id>/state`, as an anonymous loopback
 * reader of the demo broker sees it) is `state`. A pin can move before the node's acknowledgement
 * is on the wire, so the test waits for the report rather than taking the first retained message.
 */
export async function waitForActuatorState(app: RunningApp, actuatorId: string, state: string, timeoutMs = 10_000): Promise<void> {
  const obs = await mqtt.connectAsync(app.mqttUrl, { clientId: `obs-${process.pid}-${Math.random().toString(36).slice(2)}` });
  try {
    const states: { state?: string }[] = [];
    obs.on('message', (_t, p) => states.push(JSON.parse(p.toString()) as { state?: string }));
    await obs.subscribeAsync(`tongxin/${app.config.site.id}/actuator/${actuatorId}/state`, { qos: 1 });
    await waitFor(`${actuatorId} reported ${state}`, () => states.at(-1)?.state === state, timeoutMs);
  } finally {
    await obs.endAsync();
  }
}
