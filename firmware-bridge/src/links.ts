import type { LinkConfig } from '../../src/config/links-schema.js';
import type { Logger } from '../../src/core/log.js';
import { createFirmataLink } from './firmata/firmata-link.js';
import type { Link } from './link.js';
import { createModbusLink } from './modbus/modbus-link.js';
import { createSerialLink } from './serial/serial-link.js';

/** The one place that knows every kind of link. */
export function createLink(config: LinkConfig, opts: { log: Logger; now?: () => number }): Link {
  switch (config.kind) {
    case 'serial':
      return createSerialLink(config, opts);
    case 'firmata':
      return createFirmataLink(config, opts);
    case 'modbus':
      return createModbusLink(config, opts);
  }
}
