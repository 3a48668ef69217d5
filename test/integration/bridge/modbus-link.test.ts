import { afterEach, describe, expect, it } from 'vitest';
import type { ModbusLinkConfig } from '../../../src/config/links-schema.js';
import { CommandFailed, type Link } from '../../../firmware-bridge/src/link.js';
import { createModbusLink } from '../../../firmware-bridge/src/modbus/modbus-link.js';
import { tempDir, waitFor } from '../../helpers/app.js';
import { describeLinkContract, recorder, type Recorded } from '../../helpers/link-contract.js';
import { createModbusSlaves, type ModbusSlaves } from '../../helpers/modbus-slave.js';
import { openPtyPair, type PtyPair } from '../../helpers/pty.js';

/**
 * The Modbus link on a real pty pair with simulated RTU slaves on the other end: a 3-in-1 soil probe
 * (moisture 0.1 %, temperature 0.1 °C signed, EC µS/cm in holding registers 0–2) at unit 1 and a
 * moisture-only probe (input register 0) at unit 2.
 */
type Reg = ModbusLinkConfig['registers'][number];
const PROBE: Reg[] = [
  { sensor: 'bed-a-moisture', unit: 1, address: 0, table: 'holding', type: 'uint16' },
  { sensor: 'bed-a-temp', unit: 1, address: 1, table: 'holding', type: 'int16' },
  { sensor: 'bed-a-ec', unit: 1, address: 2, table: 'holding', type: 'uint16' },
];
const SECOND: Reg = { sensor: 'bed-b-moisture', unit: 2, address: 0, table: 'input', type: 'uint16' };

// 500 ms (the default): shorter timeouts gave spurious ones on a loaded 2-core machine.
const config = (path: string, registers: Reg[], timeoutMs = 500): ModbusLinkConfig => ({
  id: 'garden-rs485',
  device: 'garden-probes',
  kind: 'modbus',
  path,
  baudRate: 9600,
  parity: 'even',
  pollSeconds: 0.1,
  timeoutMs,
  registers,
});

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A pty pair under stable names, slaves on its node end, the link on its device end (not started). */
async function bus(registers: Reg[], timeoutMs?: number) {
  const t = tempDir('tongxin-modbus-');
  cleanups.push(t.remove);
  const slaves = createModbusSlaves();
  slaves.set(1, 'holding', 0, 412);
  slaves.set(1, 'holding', 1, -57);
  slaves.set(1, 'holding', 2, 1330);
  slaves.set(2, 'input', 0, 318);
  const s = { pair: await openPtyPair(t.dir, 'rs485'), dir: t.dir };
  await slaves.attach(s.pair.node);
  const link = createModbusLink(config(s.pair.device, registers, timeoutMs), { reopenMs: 100 });
  cleanups.push(async () => {
    await link.stop();
    await slaves.detach();
    await s.pair.close();
  });
  return { link, slaves, s };
}

const latest = (r: Recorded, id: string) => r.samples.filter((x) => x.sensorId === id).at(-1)?.raw;
const status = (r: Recorded) => r.statuses.at(-1)?.status;
async function started(link: Link) {
  const rec = recorder();
  await link.start(rec.listener);
  await waitFor('online', () => status(rec) === 'online', 3000);
  return rec;
}

describe('modbus link on a pty', () => {
  it('reads moisture, a negative temperature and EC from one probe in one request, and a second unit on the same bus', async () => {
    const { link, slaves } = await bus([...PROBE, SECOND]);
    const rec = await started(link);
    await waitFor('all four sensors', () => ['bed-a-moisture', 'bed-a-temp', 'bed-a-ec', 'bed-b-moisture'].every((id) => latest(rec, id) !== undefined), 3000);
    expect([latest(rec, 'bed-a-moisture'), latest(rec, 'bed-a-temp'), latest(rec, 'bed-a-ec'), latest(rec, 'bed-b-moisture')]).toEqual([412, -57, 1330, 318]);
    // Unit 1's three registers travel as one function 03 request, unit 2's as a function 04.
    expect(slaves.seen).toContainEqual({ unit: 1, fn: 3, start: 0, length: 3 });
    expect(slaves.seen).toContainEqual({ unit: 2, fn: 4, start: 0, length: 1 });
    expect(slaves.seen.every((q) => q.length === 3 || q.unit === 2)).toBe(true);
    slaves.set(1, 'holding', 1, 215);
    await waitFor('a new temperature', () => latest(rec, 'bed-a-temp') === 215, 3000);
    expect(rec.rejected).toEqual([]);
    await expect(link.command('bed-a-temp', 'on')).rejects.toMatchObject({ reason: 'unknown-actuator' });
  });

  it('counts an illegal address as an exception, and keeps reading the good registers of its group', async () => {
    const spare: Reg = { sensor: 'bed-a-spare', unit: 1, address: 3, table: 'holding', type: 'uint16' };
    const { link, slaves } = await bus([...PROBE, spare, SECOND]);
    const rec = await started(link);
    await waitFor('exception counted', () => rec.rejected.some((r) => r.reason === 'exception-illegal-data-address'), 3000);
    const n = rec.samples.length;
    await waitFor('good registers after the exception', () => rec.samples.slice(n).some((s) => s.sensorId === 'bed-a-ec'), 3000);
    expect(new Set(rec.rejected.map((r) => r.reason))).toEqual(new Set(['exception-illegal-data-address']));
    expect(rec.rejected.at(-1)?.detail).toMatch(/unit 1 holding 3\+1/);
    expect(slaves.seen).toContainEqual({ unit: 1, fn: 3, start: 3, length: 1 });
    expect(rec.samples.some((s) => s.sensorId === 'bed-a-spare')).toBe(false);
    expect(status(rec)).toBe('online');
  });

  it('keeps a probe that answers only with exceptions online: it is on the bus, its register map is wrong', async () => {
    const { link } = await bus([{ ...PROBE[0]!, sensor: 'bed-a-typo', address: 9 }]);
    const rec = await started(link);
    expect(rec.rejected.map((r) => r.reason)).toContain('exception-illegal-data-address');
    expect(rec.samples).toEqual([]);
  });

  it('stays online while one slave answers, goes offline when none does, and comes back', async () => {
    const { link, slaves } = await bus([...PROBE, SECOND], 200); // timeouts expected: keep them short
    const rec = await started(link);
    slaves.setSilent(true, 2);
    await waitFor('unit 2 timing out', () => rec.rejected.some((r) => r.reason === 'timeout' && r.detail.startsWith('unit 2')), 3000);
    expect(status(rec)).toBe('online');
    slaves.setSilent(true, 1);
    await waitFor('offline', () => status(rec) === 'offline', 3000);
    expect(rec.statuses.at(-1)?.reason).toBe('timeout');
    slaves.setSilent(false, 1);
    slaves.setSilent(false, 2);
    await waitFor('online again', () => status(rec) === 'online', 3000);
  });

  it('counts a reply with a corrupt CRC and reads the next one', async () => {
    const { link, slaves } = await bus(PROBE);
    const rec = await started(link);
    slaves.corruptNext();
    await waitFor('crc counted', () => rec.rejected.some((r) => r.reason === 'crc'), 3000);
    const n = rec.samples.length;
    await waitFor('samples again', () => rec.samples.length > n, 3000);
    expect(rec.rejected.map((r) => r.reason)).toEqual(['crc']);
  });

  it('drops a reply that comes after its request timed out, rather than take it for a later answer', async () => {
    const { link, slaves } = await bus(PROBE, 300);
    const rec = await started(link);
    const asked = slaves.seen.length;
    slaves.answerLate(); // the reply to the next request says 412 and comes one request late
    await waitFor('the request answered late', () => slaves.seen.length > asked, 2000);
    // Within the 300 ms the link waits: every answer from now on says 777, only the late one 412.
    slaves.set(1, 'holding', 0, 777);
    const n = rec.samples.length;
    await waitFor('timeout counted', () => rec.rejected.some((r) => r.reason === 'timeout'), 2000);
    await waitFor('three fresh polls', () => rec.samples.slice(n).filter((s) => s.raw === 777).length >= 3, 2000);
    const moisture = rec.samples.slice(n).filter((s) => s.sensorId === 'bed-a-moisture');
    expect(moisture.map((s) => s.raw).filter((raw) => raw !== 777)).toEqual([]);
  });

  it('reports an unplugged adapter offline and resumes under the same name without a restart', async () => {
    const { link, slaves, s } = await bus(PROBE);
    const rec = await started(link);
    await s.pair.close();
    await waitFor('offline', () => status(rec) === 'offline', 2000);
    expect(rec.statuses.at(-1)?.reason).toBe('port-closed');
    await new Promise((r) => setTimeout(r, 300)); // a few reopen attempts against a missing path
    s.pair = await openPtyPair(s.dir, 'rs485');
    await slaves.attach(s.pair.node);
    slaves.set(1, 'holding', 0, 655);
    const plugged = Date.now();
    await waitFor('readings resume', () => latest(rec, 'bed-a-moisture') === 655, 3000);
    expect(Date.now() - plugged).toBeLessThan(3000);
    expect(status(rec)).toBe('online');
    expect(rec.fatal).toEqual([]);
  });

  it('starts with the adapter missing, and polls once it appears; stop() ends polling', async () => {
    const { link, slaves, s } = await bus(PROBE);
    await s.pair.close();
    const rec = recorder();
    await link.start(rec.listener);
    expect(rec.statuses).toEqual([{ status: 'offline', reason: 'port-missing' }]);
    s.pair = await openPtyPair(s.dir, 'rs485');
    await slaves.attach(s.pair.node);
    await waitFor('online', () => status(rec) === 'online' && latest(rec, 'bed-a-moisture') === 412, 3000);
    await link.stop();
    const seen = slaves.seen.length;
    await new Promise((r) => setTimeout(r, 300));
    expect(slaves.seen.length).toBe(seen);
    await expect(link.command('x', 'on')).rejects.toBeInstanceOf(CommandFailed);
  });
});

describeLinkContract('modbus on a pty', async () => {
  const t = tempDir('tongxin-modbus-contract-');
  const slaves: ModbusSlaves = createModbusSlaves();
  slaves.set(1, 'holding', 0, 300);
  const pair: PtyPair = await openPtyPair(t.dir, 'rs485');
  await slaves.attach(pair.node);
  return {
    link: createModbusLink(config(pair.device, [PROBE[0]!]), { reopenMs: 100 }),
    sensor: { id: 'bed-a-moisture', raws: [412, 655], tolerance: 0 },
    setRaw: async (raw) => slaves.set(1, 'holding', 0, raw),
    injectBadInput: async () => slaves.corruptNext(),
    disconnect: () => pair.close(),
    offlineWithinMs: 2000,
    async close() {
      await slaves.detach();
      await pair.close();
      t.remove();
    },
  };
});
