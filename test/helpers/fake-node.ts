import { decodeLine, encodeFrame, type Frame, type NodeFrame } from '../../firmware-bridge/src/protocol/frame.js';
import { LineReader } from '../../firmware-bridge/src/protocol/line-reader.js';

/**
 * A line-protocol node written in TypeScript, for the serial link's tests on a pty and on the mock
 * binding (the real firmware in simavr has its own tests). It answers `Q` with HELLO and states,
 * acknowledges commands (or stays silent, to test retries), heart-beats, and sends what the test
 * asks, including garbage.
 */
export interface FakeNodeOptions {
  nodeId: string;
  actuators: string[];
  /** Where the node's bytes go (the pty's node end, or the mock binding). */
  write(bytes: string | Buffer): void;
  heartbeatMs?: number;
}

export function createFakeNode(o: FakeNodeOptions) {
  const reader = new LineReader();
  const outputs = new Map(o.actuators.map((ch) => [ch, 'off' as 'on' | 'off']));
  const received: Frame[] = [];
  let seq = 0;
  let lastCmd = 0;
  let answering = true;
  let alive = true;
  const send = (f: NodeFrame) => {
    if (alive) o.write(encodeFrame(f));
  };
  const hello = () => {
    send({ type: 'H', proto: 1, nodeId: o.nodeId, firmware: 'fake-1.0' });
    for (const [channel, state] of outputs) send({ type: 'S', channel, state });
  };
  const timer = setInterval(() => send({ type: 'B', seq: seq++ & 0xffff, uptime: 1 }), o.heartbeatMs ?? 500);

  return {
    received,
    outputs,
    /** Bytes from the bridge. */
    receive(chunk: Buffer) {
      for (const ev of reader.push(chunk)) {
        if (!('line' in ev)) continue;
        const d = decodeLine(ev.line);
        if (!d.ok) continue;
        received.push(d.frame);
        if (d.frame.type === 'Q') hello();
        if (d.frame.type === 'C' && answering) {
          const { cmd, channel, state } = d.frame;
          if (!outputs.has(channel)) {
            send({ type: 'N', cmd, reason: 'unknown-channel' });
            continue;
          }
          if (cmd !== lastCmd) outputs.set(channel, state);
          lastCmd = cmd;
          send({ type: 'A', cmd, channel, state: outputs.get(channel) ?? state });
        }
      }
    },
    hello,
    reading(channel: string, raw: number) {
      send({ type: 'R', seq: seq++ & 0xffff, channel, raw });
    },
    /** Skip sequence numbers, as if frames were lost on the line. */
    loseFrames(n: number) {
      seq += n;
    },
    raw(bytes: string) {
      if (alive) o.write(bytes);
    },
    setAnswering(v: boolean) {
      answering = v;
    },
    /** Power off: no more heartbeats or answers. */
    silence() {
      alive = false;
    },
    stop() {
      alive = false;
      clearInterval(timer);
    },
  };
}
export type FakeNode = ReturnType<typeof createFakeNode>;
