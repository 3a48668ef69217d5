import { describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../../../src/config/load.js';
import { planActuatorRequest, type GardenHold } from '../../../src/nodered/actuator-request.js';

/** The demo site: four beds with a valve each, lids on point 1's bins, no relay. */
const demo = loadSiteConfig();
const config = { ...demo, actuators: [...demo.actuators, { id: 'fan-1', device: 'garden-node', kind: 'relay' as const }, { id: 'valve-spare', device: 'garden-node', kind: 'valve' as const }] };
const free = () => undefined;

describe('planActuatorRequest: Node-RED asks, the service decides', () => {
  it('a garden valve becomes an override of its bed, with the minutes asked (the garden caps them)', () => {
    expect(planActuatorRequest({ actuatorId: 'valve-herbs', state: 'on', minutes: 999 }, config, free)).toEqual({ action: 'override', bedId: 'bed-herbs', state: 'on', minutes: 999 });
    expect(planActuatorRequest({ actuatorId: 'valve-nectar', state: 'off' }, config, free)).toEqual({ action: 'override', bedId: 'bed-nectar', state: 'off' });
    // auto ends an override: minutes mean nothing there
    expect(planActuatorRequest({ actuatorId: 'valve-nectar', state: 'auto', minutes: 5 }, config, free)).toEqual({ action: 'override', bedId: 'bed-nectar', state: 'auto' });
  });

  it.each<[GardenHold]>([['raining'], ['quiet-time'], ['valve-stuck']])('refuses to turn a valve on while %s, but lets it be turned off or back to auto', (hold) => {
    const asked: string[] = [];
    const holdFor = (bedId: string) => (asked.push(bedId), hold);
    expect(planActuatorRequest({ actuatorId: 'valve-herbs', state: 'on', minutes: 5 }, config, holdFor)).toEqual({ action: 'refuse', reason: hold, detail: { bedId: 'bed-herbs' } });
    expect(asked).toEqual(['bed-herbs']);
    expect(planActuatorRequest({ actuatorId: 'valve-herbs', state: 'off' }, config, holdFor)).toMatchObject({ action: 'override', state: 'off' });
    expect(planActuatorRequest({ actuatorId: 'valve-herbs', state: 'auto' }, config, holdFor)).toMatchObject({ action: 'override', state: 'auto' });
  });

  it('refuses lids (they follow the waste schedule), relays, valves of no bed, unknown ids and unknown states', () => {
    expect(planActuatorRequest({ actuatorId: 'lid-p1-wet', state: 'open' }, config, free)).toEqual({ action: 'refuse', reason: 'lids-follow-the-schedule' });
    expect(planActuatorRequest({ actuatorId: 'lid-p1-wet', state: 'closed' }, config, free)).toEqual({ action: 'refuse', reason: 'lids-follow-the-schedule' });
    expect(planActuatorRequest({ actuatorId: 'fan-1', state: 'on' }, config, free)).toMatchObject({ action: 'refuse', reason: 'not-controllable' });
    expect(planActuatorRequest({ actuatorId: 'valve-spare', state: 'on' }, config, free)).toEqual({ action: 'refuse', reason: 'valve-not-in-a-bed' });
    expect(planActuatorRequest({ actuatorId: 'no-such-valve', state: 'on' }, config, free)).toEqual({ action: 'refuse', reason: 'unknown-actuator' });
    expect(planActuatorRequest({ actuatorId: 'valve-herbs', state: 'open' }, config, free)).toEqual({ action: 'refuse', reason: 'bad-state', detail: { allowed: ['on', 'off', 'auto'] } });
  });
});
