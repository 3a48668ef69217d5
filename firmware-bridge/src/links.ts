import type { LinkConfig } from '../../src/config/links-schema.js';
import type { Logger } from '../../src/core/log.js';
import type { Link } from './link.js';

/**
 * The one place that knows every kind of link. A bridge process serves one link, so only that
 * link's library is loaded (johnny-five, modbus-serial and serialport cost a Pi a noticeable part
 * of a second each, paid again at every restart).
 */
export async function createLink(config: LinkConfig, opts: { log: Logger; now?: () => number }): Promise<Link> {
  switch (config.kind) {
    case 'serial':
      return (await import('./serial/serial-link.js')).createSerialLink(config, opts);
    case 'firmata':
      return (await import('./firmata/firmata-link.js')).createFirmataLink(config, opts);
    case 'modbus':
      return (await import('./modbus/modbus-link.js')).createModbusLink(config, opts);
  }
}
