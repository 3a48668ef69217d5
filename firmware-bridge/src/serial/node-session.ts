import type { SerialLinkConfig } from '../../../src/config/links-schema.js';
import type { LinkListener } from '../link.js';
import type { Frame } from '../protocol/frame.js';
import type { createCommandQueue } from './commands.js';

/**
 * What the frames from one line-protocol node mean (PROTOCOL.md §Liveness, §Errors): the node is
 * online from a HELLO with the expected id and version until it is silent for `silenceMs` or its
 * port goes; readings are trusted only after that HELLO; sequence gaps are counted as lost frames.
 */
export interface NodeSessionDeps {
  config: SerialLinkConfig;
  expectedNodeId: string;
  protocolVersion: number;
  silenceMs: number;
  now: () => number;
  /** Sends `Q`: asks the node for its HELLO and actuator states. */
  query: () => void;
  commands: ReturnType<typeof createCommandQueue>;
  listener: () => LinkListener | undefined;
}

const SEQ_MOD = 65536;
/** Ask again for a HELLO at most this often, so a chattering unknown node cannot make us flood it. */
const QUERY_EVERY_MS = 1000;

export function createNodeSession(d: NodeSessionDeps) {
  const sensorOf = new Map(Object.entries(d.config.sensors));
  const actuatorOf = new Map(Object.entries(d.config.actuators));
  let online = false;
  let helloed = false;
  let lastSeq: number | undefined;
  let lastFrameAt = 0;
  let lastQueryAt = -Infinity;
  let watchdog: NodeJS.Timeout | undefined;
  const emit = () => d.listener();

  const setOnline = (next: boolean, reason: string) => {
    if (next === online) return;
    online = next;
    if (!next) d.commands.failAll('node-offline');
    emit()?.nodeStatus(next ? 'online' : 'offline', reason);
  };

  const askHello = () => {
    const t = d.now();
    if (t - lastQueryAt < QUERY_EVERY_MS) return;
    lastQueryAt = t;
    d.query();
  };

  const checkSeq = (seq: number) => {
    if (lastSeq !== undefined) {
      const lost = (seq - lastSeq - 1 + SEQ_MOD) % SEQ_MOD;
      if (lost > 0) emit()?.rejected('gap', `${lost} frame(s) lost before seq ${seq}`);
    }
    lastSeq = seq;
  };

  const hello = (f: Extract<Frame, { type: 'H' }>) => {
    if (f.proto !== d.protocolVersion) {
      helloed = false;
      setOnline(false, `protocol version ${f.proto}`);
      return emit()?.rejected('bad-version', `node speaks version ${f.proto}, this bridge ${d.protocolVersion}`);
    }
    if (f.nodeId !== d.expectedNodeId) {
      helloed = false;
      setOnline(false, `wrong node ${f.nodeId}`);
      return emit()?.rejected('wrong-node', `node "${f.nodeId}" on ${d.config.path}, expected "${d.expectedNodeId}"`);
    }
    helloed = true;
    lastSeq = undefined; // a node that restarted counts from 0 again
    setOnline(true, `hello from ${f.nodeId} firmware ${f.firmware}`);
  };

  return {
    online: () => online,
    start() {
      watchdog = setInterval(() => {
        if (online && d.now() - lastFrameAt > d.silenceMs) {
          helloed = false;
          setOnline(false, `silent for ${d.silenceMs} ms`);
          askHello();
        }
      }, Math.max(50, Math.floor(d.silenceMs / 6)));
    },
    stop() {
      if (watchdog) clearInterval(watchdog);
      online = false;
      helloed = false;
    },
    portOpened() {
      lastQueryAt = -Infinity;
      askHello();
    },
    portGone(reason: string) {
      helloed = false;
      setOnline(false, reason);
      // The first report of a missing port at start: say offline even though we never said online.
      if (lastFrameAt === 0 && !online) emit()?.nodeStatus('offline', reason);
      lastFrameAt = 0;
    },
    frame(f: Frame) {
      const l = emit();
      if (f.type === 'H') {
        lastFrameAt = d.now();
        return hello(f);
      }
      if (f.type === 'Q' || f.type === 'C') return l?.rejected('unknown-type', `a node sent a bridge frame (${f.type})`);
      if (!helloed) {
        askHello();
        return l?.rejected('no-hello', `${f.type} frame before HELLO`);
      }
      lastFrameAt = d.now();
      switch (f.type) {
        case 'R': {
          checkSeq(f.seq);
          const sensorId = sensorOf.get(f.channel);
          if (sensorId === undefined) return l?.rejected('unknown-channel', `reading on channel ${f.channel}`);
          return l?.sample({ sensorId, raw: f.raw, at: d.now(), seq: f.seq });
        }
        case 'B':
          return checkSeq(f.seq);
        case 'S': {
          const actuatorId = actuatorOf.get(f.channel);
          if (actuatorId === undefined) return l?.rejected('unknown-channel', `state of channel ${f.channel}`);
          return l?.actuatorState(actuatorId, f.state);
        }
        case 'A': {
          const actuatorId = actuatorOf.get(f.channel);
          if (actuatorId !== undefined) l?.actuatorState(actuatorId, f.state);
          if (!d.commands.acked(f.cmd, f.channel, f.state)) l?.rejected('late-ack', `ack for command ${f.cmd} that is not waiting`);
          return;
        }
        case 'N':
          if (!d.commands.refused(f.cmd, f.reason)) l?.rejected('late-ack', `refusal of command ${f.cmd} that is not waiting`);
          return;
        case 'E':
          return l?.rejected(`node-${f.code}`, f.detail);
      }
    },
  };
}
