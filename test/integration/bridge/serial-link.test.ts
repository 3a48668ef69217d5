import { readdirSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { CommandFailed } from '../../../firmware-bridge/src/link.js';
import { createSerialLink } from '../../../firmware-bridge/src/serial/serial-link.js';
import { tempDir, waitFor } from '../../helpers/app.js';
import { describeLinkContract, recorder } from '../../helpers/link-contract.js';
import { openPtyPair } from '../../helpers/pty.js';
import { SERIAL_TEST_CONFIG, fakeNodeOnPty, mockHarness, ptyHarness } from '../../helpers/serial-harness.js';

const dirs: (() => void)[] = [];
afterEach(() => dirs.splice(0).forEach((rm) => rm()));
const dir = () => {
  const t = tempDir('tongxin-serial-');
  dirs.push(t.remove);
  return t.dir;
};

describeLinkContract('serial line protocol on a socat pty (real binding)', () => ptyHarness(dir()));
describeLinkContract('serial line protocol on the mock binding', () => mockHarness());

describe('serial link: the protocol rules', () => {
  it('re-sends an unanswered command with the same number, and fails it after three sends', async () => {
    const h = await ptyHarness(dir());
    const rec = recorder();
    await h.link.start(rec.listener);
    await waitFor('online', () => rec.statuses.at(-1)?.status === 'online', 5000);
    h.node.setAnswering(false);
    setTimeout(() => h.node.setAnswering(true), 450);
    await expect(h.link.command('lid-a', 'on')).resolves.toBe('on');
    const sends = h.node.received.filter((f) => f.type === 'C');
    expect(sends.length).toBeGreaterThanOrEqual(2);
    expect(new Set(sends.map((f) => (f.type === 'C' ? f.cmd : 0))).size).toBe(1);

    h.node.setAnswering(false);
    const before = h.node.received.filter((f) => f.type === 'C').length;
    const err = await h.link.command('lid-a', 'off').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CommandFailed);
    expect((err as CommandFailed).reason).toBe('no-ack');
    expect(h.node.received.filter((f) => f.type === 'C').length - before).toBe(3);
    await h.link.stop();
    await h.close();
  });

  it('trusts no reading before a HELLO from the expected node, and counts lost frames', async () => {
    const pair = await openPtyPair(dir());
    const n = await fakeNodeOnPty(pair, 'someone-else');
    const link = createSerialLink(SERIAL_TEST_CONFIG(pair.device), { reopenMs: 200 });
    const rec = recorder();
    await link.start(rec.listener);
    await waitFor('wrong-node counted', () => rec.rejected.some((r) => r.reason === 'wrong-node'), 5000);
    n.node.reading('m0', 400);
    await waitFor('no-hello counted', () => rec.rejected.some((r) => r.reason === 'no-hello'), 5000);
    expect(rec.samples).toHaveLength(0);
    expect(rec.statuses.some((s) => s.status === 'online')).toBe(false);
    await link.stop();
    await n.close();

    const good = await fakeNodeOnPty(pair);
    const link2 = createSerialLink(SERIAL_TEST_CONFIG(pair.device), { reopenMs: 200 });
    const rec2 = recorder();
    await link2.start(rec2.listener);
    await waitFor('online', () => rec2.statuses.at(-1)?.status === 'online', 5000);
    good.node.reading('m0', 1);
    good.node.loseFrames(4);
    good.node.reading('m0', 2);
    good.node.reading('zz', 3);
    good.node.raw(`${'R,1,m0,1'.padEnd(120, '0')}*0000\n`);
    await waitFor('gap, unknown channel and too-long counted', () => ['gap', 'unknown-channel', 'too-long'].every((r) => rec2.rejected.some((x) => x.reason === r)), 5000);
    expect(rec2.rejected.find((r) => r.reason === 'gap')?.detail).toMatch(/^4 frame/);
    expect(rec2.samples.map((s) => s.raw)).toEqual([1, 2]);
    await link2.stop();
    await good.close();
    await pair.close();
  });

  it('resumes after the adapter is unplugged and plugged back 20 times, within 3 s each time, leaking no handles', async () => {
    const d = dir();
    const pair0 = await openPtyPair(d);
    let n = await fakeNodeOnPty(pair0);
    const link = createSerialLink(SERIAL_TEST_CONFIG(pair0.device), { reopenMs: 100 });
    const rec = recorder();
    await link.start(rec.listener);
    await waitFor('online', () => rec.statuses.at(-1)?.status === 'online', 5000);
    const fds = () => readdirSync('/proc/self/fd').length;
    let pair = pair0;
    const resumeTimes: number[] = [];
    let fdsAfterFirst = 0;
    for (let i = 0; i < 20; i++) {
      await n.close();
      await pair.close();
      await waitFor('offline after unplug', () => rec.statuses.at(-1)?.status === 'offline', 3000);
      pair = await openPtyPair(d); // the same names, as udev gives
      n = await fakeNodeOnPty(pair);
      const plugged = Date.now();
      const seen = rec.samples.length;
      const node = n.node;
      const ticker = setInterval(() => node.reading('m0', 500 + i), 50);
      try {
        await waitFor(`readings after replug ${i + 1}`, () => rec.samples.length > seen && rec.samples.at(-1)?.raw === 500 + i, 3000);
      } finally {
        clearInterval(ticker);
      }
      resumeTimes.push(Date.now() - plugged);
      if (i === 0) fdsAfterFirst = fds();
    }
    // Handles are compared after the first cycle, once every lazy handle (the binding's) exists.
    expect(fds(), `open handles after 20 replugs (after the first: ${fdsAfterFirst})`).toBeLessThanOrEqual(fdsAfterFirst + 2);
    expect(Math.max(...resumeTimes), `resume times ${resumeTimes.join(', ')} ms`).toBeLessThan(3000);
    await link.stop();
    await n.close();
    await pair.close();
  }, 120_000);
});
