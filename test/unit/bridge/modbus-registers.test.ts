import { describe, expect, it } from 'vitest';
import { classifyError, decodeRegister, planRequests, splitRequest, type RegisterConfig } from '../../../firmware-bridge/src/modbus/registers.js';

const reg = (sensor: string, address: number, more: Partial<RegisterConfig> = {}): RegisterConfig => ({
  sensor,
  unit: 1,
  address,
  table: 'holding',
  type: 'uint16',
  ...more,
});

/** The plan as plain tuples, easier to read in a failure than nested objects. */
const shape = (plan: ReturnType<typeof planRequests>) =>
  [...plan].map(([unit, reqs]) => [unit, reqs.map((r) => `${r.table}:${r.start}+${r.length}:${r.registers.map((x) => x.sensor).join(',')}`)]);

describe('planRequests', () => {
  it('reads the three registers of a 3-in-1 soil probe in one request, whatever their order in the file', () => {
    const plan = planRequests([reg('ec', 2), reg('moisture', 0), reg('temp', 1, { type: 'int16' })]);
    expect(shape(plan)).toEqual([[1, ['holding:0+3:moisture,temp,ec']]]);
  });

  it('does not read across a gap, so an address the probe lacks is never asked for', () => {
    const plan = planRequests([reg('a', 0), reg('b', 1), reg('c', 5)]);
    expect(shape(plan)).toEqual([[1, ['holding:0+2:a,b', 'holding:5+1:c']]]);
  });

  it('keeps tables and units apart, units in the order they first appear', () => {
    const plan = planRequests([reg('u2', 0, { unit: 2 }), reg('h', 0), reg('i', 1, { table: 'input' }), reg('h2', 1)]);
    expect(shape(plan)).toEqual([
      [2, ['holding:0+1:u2']],
      [1, ['holding:0+2:h,h2', 'input:1+1:i']],
    ]);
  });

  it('serves two sensor ids from one register without reading it twice', () => {
    const plan = planRequests([reg('raw', 4), reg('also', 4), reg('next', 5)]);
    expect(shape(plan)).toEqual([[1, ['holding:4+2:raw,also,next']]]);
  });

  it('never asks for more registers than one request may carry', () => {
    const many = Array.from({ length: 130 }, (_, i) => reg(`s${i}`, i));
    const lengths = planRequests(many).get(1)?.map((r) => [r.start, r.length]);
    expect(lengths).toEqual([
      [0, 125],
      [125, 5],
    ]);
    expect(planRequests(many.slice(0, 4), 2).get(1)?.map((r) => r.length)).toEqual([2, 2]);
  });
});

describe('splitRequest', () => {
  it('turns a group into one request per address, shared registers staying together', () => {
    const [group] = planRequests([reg('a', 7), reg('b', 8), reg('b2', 8)]).get(1) ?? [];
    expect(group).toBeDefined();
    const singles = splitRequest(group!);
    expect(singles.map((r) => [r.start, r.length, r.registers.map((x) => x.sensor)])).toEqual([
      [7, 1, ['a']],
      [8, 1, ['b', 'b2']],
    ]);
  });
});

describe('decodeRegister', () => {
  it('sign-extends int16 and leaves uint16 as it is', () => {
    expect(decodeRegister(0xffc7, 'int16')).toBe(-57);
    expect(decodeRegister(0x8000, 'int16')).toBe(-32768);
    expect(decodeRegister(0x7fff, 'int16')).toBe(32767);
    expect(decodeRegister(0xffc7, 'uint16')).toBe(65479);
    expect(decodeRegister(412, 'int16')).toBe(412);
  });
});

describe('classifyError', () => {
  // The shapes below are what modbus-serial 8.0.25 rejects with (index.js).
  const exception = (code: number) => Object.assign(new Error(`Modbus exception ${code}: …`), { modbusCode: code });

  it('names exceptions by meaning, and an exception is an answer from a live slave', () => {
    expect(classifyError(exception(2))).toMatchObject({ reason: 'exception-illegal-data-address', answered: true, code: 2 });
    expect(classifyError(exception(1)).reason).toBe('exception-illegal-function');
    expect(classifyError(exception(99)).reason).toBe('exception-unknown');
  });

  it('tells a timeout, a bad CRC, a short frame and a closed port apart', () => {
    expect(classifyError({ name: 'TransactionTimedOutError', message: 'Timed out', errno: 'ETIMEDOUT' })).toMatchObject({ reason: 'timeout', answered: false });
    expect(classifyError(new Error('CRC error'))).toMatchObject({ reason: 'crc', answered: false });
    expect(classifyError(new Error('Data length error, expected 11 got 7')).reason).toBe('bad-frame');
    expect(classifyError({ name: 'PortNotOpenError', message: 'Port Not Open', errno: 'ECONNREFUSED' }).reason).toBe('port-error');
  });

  it('gives reasons the link contract accepts: kebab-case without digits', () => {
    const reasons = [exception(2), exception(6), exception(42), new Error('CRC error'), { errno: 'ETIMEDOUT' }, 'weird'].map((e) => classifyError(e).reason);
    for (const r of reasons) expect(r).toMatch(/^[a-z][a-z-]+$/);
  });
});
