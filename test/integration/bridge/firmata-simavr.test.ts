import type { FirmataLinkConfig } from '../../../src/config/links-schema.js';
import { createFirmataLink } from '../../../firmware-bridge/src/firmata/firmata-link.js';
import { describeLinkContract } from '../../helpers/link-contract.js';
import { standardFirmataHex, startUno } from '../../helpers/simavr.js';

/**
 * The Firmata link against the real StandardFirmata 2.4 (the prebuilt .hex from avrgirl-arduino)
 * running in simavr, reached through serialport and firmata-io on the simulator's pty: the same
 * contract as every other link. StandardFirmata in simavr takes about a whole core, so the
 * timeouts are generous.
 */
const mv = (counts: number) => Math.round((counts * 5000) / 1023);

describeLinkContract(
  'firmata on StandardFirmata in simavr',
  async () => {
    const uno = await startUno(await standardFirmataHex());
    // A Sharp GP2Y0A21YK on A1 looking at something about 17 cm away (1500 mV ≈ 307 counts).
    uno.setMillivolts(1, 1500);
    const config: FirmataLinkConfig = {
      id: 'sim-uno',
      device: 'sim-uno',
      kind: 'firmata',
      path: uno.pty,
      baudRate: 57600,
      reportSeconds: 0.25,
      sensors: [
        { type: 'analog', sensor: 'soil-1', pin: 'A0' },
        { type: 'ultrasonic', sensor: 'gap-1', pin: 'A1', controller: 'GP2Y0A21YK' },
      ],
      actuators: [{ type: 'relay', actuator: 'pump', pin: 8, activeLow: false }],
    };
    const link = createFirmataLink(config);
    return {
      link,
      sensor: { id: 'soil-1', raws: [200, 800], tolerance: 3 },
      actuatorId: 'pump',
      setRaw: async (raw) => uno.setMillivolts(0, mv(raw)),
      actuatorOutput: async () => {
        // The harness reports pins on its stdout, a different pipe from the UART's pty: let a pin
        // change that happened before the board's read-back reply reach us too.
        await new Promise((r) => setTimeout(r, 50));
        return uno.output(8) === 1 ? 'on' : 'off';
      },
      // No garbage can be put on this wire from the board's side, so the bad input is a real fault
      // of the sensor: the GP2Y's signal pulled to 0 V (unplugged, shorted) reads 0 counts, which
      // johnny-five turns into 12343.85 × 0^-1.15 = Infinity cm, and the link must refuse it.
      injectBadInput: async () => uno.setMillivolts(1, 0),
      // The simulator dies: its pty goes away under the open port.
      disconnect: () => uno.stop(),
      offlineWithinMs: 6000,
      close: () => uno.stop(),
    };
  },
  { timeoutMs: 30_000 },
);
