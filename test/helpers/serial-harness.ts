import { SerialPort, SerialPortMock } from 'serialport';
import type { SerialLinkConfig } from '../../src/config/links-schema.js';
import { createSerialLink, type SerialLinkOptions } from '../../firmware-bridge/src/serial/serial-link.js';
import { createFakeNode, type FakeNode } from './fake-node.js';
import type { LinkHarness } from './link-contract.js';
import { openPtyPair, type PtyPair } from './pty.js';

/** A serial link with a fake node behind it: on a socat pty pair (the real binding) or on serialport's mock binding. */
export const SERIAL_TEST_CONFIG = (path: string): SerialLinkConfig => ({
  id: 'test-link',
  kind: 'serial',
  device: 'node-a',
  path,
  baudRate: 57600,
  sensors: { m0: 'soil-a', u0: 'bin-a' },
  actuators: { r0: 'lid-a', r1: 'valve-a' },
});

export interface PtyNode {
  node: FakeNode;
  port: SerialPort;
  close(): Promise<void>;
}

/** Opens the node end of a pty pair and puts a fake node on it. */
export async function fakeNodeOnPty(pair: PtyPair, nodeId = 'node-a'): Promise<PtyNode> {
  const port = new SerialPort({ path: pair.node, baudRate: 57600, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const node = createFakeNode({ nodeId, actuators: ['r0', 'r1'], write: (b) => port.write(b) });
  port.on('data', (d: Buffer) => node.receive(d));
  port.on('error', () => undefined);
  return {
    node,
    port,
    async close() {
      node.stop();
      if (port.isOpen) await new Promise<void>((r) => port.close(() => r()));
    },
  };
}

export async function ptyHarness(dir: string, opts: SerialLinkOptions = {}): Promise<LinkHarness & { node: FakeNode }> {
  const pair = await openPtyPair(dir);
  const n = await fakeNodeOnPty(pair);
  const link = createSerialLink(SERIAL_TEST_CONFIG(pair.device), { reopenMs: 200, ...opts });
  return {
    link,
    node: n.node,
    sensor: { id: 'soil-a', raws: [412, 655], tolerance: 0 },
    actuatorId: 'lid-a',
    setRaw: async (raw) => n.node.reading('m0', raw),
    actuatorOutput: async () => n.node.outputs.get('r0') ?? 'off',
    injectBadInput: async () => n.node.raw('R,1,m0,5*0000\n'),
    disconnect: async () => {
      await n.close();
      await pair.close();
    },
    offlineWithinMs: 3000,
    close: async () => {
      await n.close();
      await pair.close();
    },
  };
}

let mockCount = 0;

/** The same fake node on serialport's mock binding: writes are intercepted, data is emitted into the port. */
export async function mockHarness(opts: SerialLinkOptions = {}): Promise<LinkHarness & { node: FakeNode }> {
  const path = `/dev/fake-tongxin-${process.pid}-${mockCount++}`;
  SerialPortMock.binding.createPort(path, { echo: false, record: false });
  let opened: SerialPortMock | undefined;
  let node: FakeNode | undefined;
  class Capturing extends SerialPortMock {
    constructor(o: ConstructorParameters<typeof SerialPortMock>[0]) {
      super(o);
      opened = this;
      this.once('open', () => {
        const binding = this.port as unknown as { write(b: Buffer): Promise<void>; emitData(d: Buffer | string): void };
        const write = binding.write.bind(binding);
        node = createFakeNode({ nodeId: 'node-a', actuators: ['r0', 'r1'], write: (b) => binding.emitData(b), heartbeatMs: 200 });
        binding.write = async (b: Buffer) => {
          await write(b);
          node?.receive(Buffer.from(b));
        };
      });
    }
  }
  const link = createSerialLink(SERIAL_TEST_CONFIG(path), { SerialPortClass: Capturing as unknown as typeof SerialPort, silenceMs: 1000, reopenMs: 200, ...opts });
  const the = () => {
    if (!node) throw new Error('the mock port is not open yet');
    return node;
  };
  return {
    link,
    get node() {
      return the();
    },
    sensor: { id: 'soil-a', raws: [412, 655], tolerance: 0 },
    actuatorId: 'lid-a',
    setRaw: async (raw) => the().reading('m0', raw),
    actuatorOutput: async () => the().outputs.get('r0') ?? 'off',
    injectBadInput: async () => the().raw('R,1,m0,5*0000\n'),
    // A node that loses power: the port stays, the frames stop.
    disconnect: async () => the().silence(),
    offlineWithinMs: 3000,
    close: async () => {
      node?.stop();
      if (opened?.isOpen) await new Promise<void>((r) => opened?.close(() => r()));
      SerialPortMock.binding.reset();
    },
  };
}
