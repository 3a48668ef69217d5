import type { ModbusLinkConfig } from '../../../src/config/links-schema.js';

/**
 * Pure helpers for the Modbus link: which requests a poll sends, how a register word becomes a raw
 * value, and how a failed request is named in the rejected counters. No I/O here, so that the
 * planning rules are tested without a serial line.
 */
export type RegisterConfig = ModbusLinkConfig['registers'][number];
export type Table = RegisterConfig['table'];

/** One read request: `length` registers from `start` in one table of one slave. */
export interface ReadRequest {
  unit: number;
  table: Table;
  start: number;
  length: number;
  /** The configured registers this request serves (several sensors may share one register). */
  registers: RegisterConfig[];
}

/** Function 03/04 may ask for at most 125 registers in one request (Modbus spec §6.3, §6.4). */
export const MAX_READ_REGISTERS = 125;

/**
 * Requests per slave, in the order the slaves first appear in the site file. Only registers with
 * consecutive addresses are merged: reading across a gap could hit an address the probe does not
 * implement and turn a good request into an illegal-data-address exception.
 */
export function planRequests(registers: readonly RegisterConfig[], maxLength = MAX_READ_REGISTERS): Map<number, ReadRequest[]> {
  const byUnit = new Map<number, RegisterConfig[]>();
  for (const r of registers) {
    const list = byUnit.get(r.unit) ?? [];
    list.push(r);
    byUnit.set(r.unit, list);
  }
  const plan = new Map<number, ReadRequest[]>();
  for (const [unit, list] of byUnit) {
    const requests: ReadRequest[] = [];
    for (const table of ['holding', 'input'] as const) {
      const sorted = list.filter((r) => r.table === table).sort((a, b) => a.address - b.address);
      let current: ReadRequest | undefined;
      for (const r of sorted) {
        const end = current ? current.start + current.length : -1;
        if (current && r.address < end) {
          current.registers.push(r); // the same register again, for another sensor id
        } else if (current && r.address === end && current.length < maxLength) {
          current.length += 1;
          current.registers.push(r);
        } else {
          current = { unit, table, start: r.address, length: 1, registers: [r] };
          requests.push(current);
        }
      }
    }
    plan.set(unit, requests);
  }
  return plan;
}

/** The same request as one request per register: the fallback when a group hits an exception. */
export function splitRequest(req: ReadRequest): ReadRequest[] {
  const byAddress = new Map<number, RegisterConfig[]>();
  for (const r of req.registers) byAddress.set(r.address, [...(byAddress.get(r.address) ?? []), r]);
  return [...byAddress].map(([address, regs]) => ({ unit: req.unit, table: req.table, start: address, length: 1, registers: regs }));
}

/** A register word as the sensor's raw value: int16 registers carry negatives in two's complement. */
export function decodeRegister(word: number, type: RegisterConfig['type']): number {
  const u = word & 0xffff;
  return type === 'int16' && u >= 0x8000 ? u - 0x10000 : u;
}

/**
 * Exception codes by name (Modbus spec §7). Rejection reasons are kebab-case words without digits,
 * as the link contract checks, so the code travels as a name: `exception-illegal-data-address`.
 */
const EXCEPTION_NAMES: Record<number, string> = {
  1: 'illegal-function',
  2: 'illegal-data-address',
  3: 'illegal-data-value',
  4: 'device-failure',
  5: 'acknowledge',
  6: 'device-busy',
  8: 'memory-parity',
  10: 'gateway-path',
  11: 'gateway-target',
};

export const ILLEGAL_DATA_ADDRESS = 2;

/** The shape of the errors modbus-serial rejects with (plain objects and Errors alike). */
export interface ModbusError {
  message?: unknown;
  errno?: unknown;
  modbusCode?: unknown;
}

/**
 * Names a failed request. `answered` tells whether a slave was on the line: an exception is a
 * well-formed reply from a live slave, a timeout or a broken frame is not.
 */
export function classifyError(err: unknown): { reason: string; answered: boolean; detail: string; code?: number } {
  const e = (typeof err === 'object' && err !== null ? err : {}) as ModbusError;
  const message = typeof e.message === 'string' ? e.message : String(err);
  if (typeof e.modbusCode === 'number') {
    const name = EXCEPTION_NAMES[e.modbusCode] ?? 'unknown';
    return { reason: `exception-${name}`, answered: true, detail: message, code: e.modbusCode };
  }
  if (e.errno === 'ETIMEDOUT') return { reason: 'timeout', answered: false, detail: message };
  if (/crc/i.test(message)) return { reason: 'crc', answered: false, detail: message };
  if (/data length|unexpected data/i.test(message)) return { reason: 'bad-frame', answered: false, detail: message };
  return { reason: 'port-error', answered: false, detail: message };
}
