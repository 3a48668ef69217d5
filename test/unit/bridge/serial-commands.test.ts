import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CommandFailed } from '../../../firmware-bridge/src/link.js';
import { createCommandQueue } from '../../../firmware-bridge/src/serial/commands.js';

describe('line-protocol command queue', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const setup = (online = true) => {
    const sent: { cmd: number; channel: string; state: string }[] = [];
    let isOnline = online;
    const q = createCommandQueue((cmd, channel, state) => sent.push({ cmd, channel, state }), { ackMs: 300, sends: 3 }, () => isOnline);
    return { q, sent, setOnline: (v: boolean) => (isOnline = v) };
  };

  it('resolves on the ack of the same command number', async () => {
    const { q, sent } = setup();
    const p = q.submit('r0', 'on');
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([{ cmd: 1, channel: 'r0', state: 'on' }]);
    expect(q.acked(2, 'r0', 'on')).toBe(false); // not the command waiting
    expect(q.acked(1, 'r0', 'on')).toBe(true);
    await expect(p).resolves.toBe('on');
  });

  it('re-sends after 300 ms and fails after the third send', async () => {
    const { q, sent } = setup();
    const p = q.submit('r0', 'on').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(299);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(600);
    const err = await p;
    expect(sent.map((s) => s.cmd)).toEqual([1, 1, 1]);
    expect(err).toBeInstanceOf(CommandFailed);
    expect((err as CommandFailed).reason).toBe('no-ack');
  });

  it('keeps one command in flight per channel, others go at once', async () => {
    const { q, sent } = setup();
    const a = q.submit('r0', 'on');
    const b = q.submit('r0', 'off');
    const c = q.submit('r1', 'on');
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((s) => `${s.channel}:${s.state}`)).toEqual(['r0:on', 'r1:on']);
    q.acked(1, 'r0', 'on');
    await expect(a).resolves.toBe('on');
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.at(-1)).toMatchObject({ channel: 'r0', state: 'off' });
    q.acked(sent.at(-1)?.cmd ?? 0, 'r0', 'off');
    q.acked(2, 'r1', 'on');
    await expect(b).resolves.toBe('off');
    await expect(c).resolves.toBe('on');
  });

  it('fails what waits when the node goes, and never sends a queued command to an absent node', async () => {
    const { q, sent, setOnline } = setup();
    const a = q.submit('r0', 'on').catch((e: unknown) => e);
    const b = q.submit('r0', 'off').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    setOnline(false);
    q.failAll('node-offline');
    expect(((await a) as CommandFailed).reason).toBe('node-offline');
    expect(((await b) as CommandFailed).reason).toBe('node-offline');
    expect(sent).toHaveLength(1);
  });

  it('refusals fail the command with the node’s reason; numbers wrap past 65535 skipping 0', async () => {
    const { q, sent } = setup();
    const p = q.submit('r9', 'on').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(0);
    q.refused(1, 'unknown-channel');
    const err = (await p) as CommandFailed;
    expect(err.reason).toBe('refused');
    expect(err.message).toContain('unknown-channel');
    for (let i = 0; i < 65535; i++) {
      const x = q.submit('r0', 'on');
      await vi.advanceTimersByTimeAsync(0);
      q.acked(sent.at(-1)?.cmd ?? -1, 'r0', 'on');
      await x;
    }
    expect(sent.at(-1)?.cmd).toBe(1);
  }, 60_000);
});
