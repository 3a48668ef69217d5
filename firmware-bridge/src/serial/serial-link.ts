import { SerialPort } from 'serialport';
import type { SerialLinkConfig } from '../../../src/config/links-schema.js';
import type { Logger } from '../../../src/core/log.js';
import { CommandFailed, type Link, type LinkListener, type SwitchState } from '../link.js';
import { decodeLine, encodeFrame, type Frame } from '../protocol/frame.js';
import { LineReader } from '../protocol/line-reader.js';
import { createCommandQueue, type CommandTimings } from './commands.js';
import { createNodeSession } from './node-session.js';

/**
 * Our line protocol (PROTOCOL.md) over a serial port. The port is opened again and again while it
 * is missing, so an adapter unplugged and plugged back (under the same udev name) resumes without a
 * restart of anything. Bytes become frames through the pure LineReader and decodeLine; what a frame
 * means for the node is node-session.ts.
 */
export interface SerialLinkOptions {
  /** The SerialPort class to use: the real one, or serialport's SerialPortMock in tests. */
  SerialPortClass?: typeof SerialPort;
  now?: () => number;
  log?: Logger;
  reopenMs?: number;
  commands?: Partial<CommandTimings>;
  /** No frame for this long: the node is offline (PROTOCOL.md: three missed heartbeats). */
  silenceMs?: number;
}

export const PROTOCOL_VERSION = 1;

export function createSerialLink(config: SerialLinkConfig, opts: SerialLinkOptions = {}): Link {
  const Port = opts.SerialPortClass ?? SerialPort;
  const now = opts.now ?? Date.now;
  const reopenMs = opts.reopenMs ?? 1000;
  const silenceMs = opts.silenceMs ?? 6000;
  const actuatorChannel = new Map(Object.entries(config.actuators).map(([ch, id]) => [id, ch]));
  let listener: LinkListener | undefined;
  let port: SerialPort | undefined;
  let stopped = false;
  let reopenTimer: NodeJS.Timeout | undefined;
  let reportedMissing = false;

  const write = (f: Frame) => {
    if (port?.isOpen) port.write(encodeFrame(f));
  };
  const commands = createCommandQueue((cmd, channel, state) => write({ type: 'C', cmd, channel, state }), { ackMs: 300, sends: 3, ...opts.commands }, () =>
    session.online(),
  );
  const session = createNodeSession({
    config,
    expectedNodeId: config.nodeId ?? config.device,
    protocolVersion: PROTOCOL_VERSION,
    silenceMs,
    now,
    query: () => write({ type: 'Q' }),
    commands,
    listener: () => listener,
  });

  const scheduleReopen = () => {
    if (stopped || reopenTimer) return;
    reopenTimer = setTimeout(() => {
      reopenTimer = undefined;
      open();
    }, reopenMs);
  };

  const open = () => {
    if (stopped) return;
    const reader = new LineReader();
    const p = new Port({ path: config.path, baudRate: config.baudRate, autoOpen: false });
    p.open((err) => {
      if (err) {
        if (!reportedMissing) {
          reportedMissing = true;
          session.portGone(`cannot open ${config.path}: ${err.message}`);
          opts.log?.warn({ path: config.path, err: err.message }, 'serial port not there; trying again');
        }
        return scheduleReopen();
      }
      if (stopped) return p.close();
      reportedMissing = false;
      port = p;
      opts.log?.info({ path: config.path }, 'serial port open');
      session.portOpened();
    });
    p.on('data', (chunk: Buffer) => {
      for (const ev of reader.push(chunk)) {
        if ('reject' in ev) {
          listener?.rejected(ev.reject, ev.detail);
          continue;
        }
        const decoded = decodeLine(ev.line);
        if (!decoded.ok) listener?.rejected(decoded.reason, decoded.detail);
        else session.frame(decoded.frame);
      }
    });
    // An unplugged adapter closes the port with `disconnected`; either way, look for it again.
    p.on('close', () => {
      if (port !== p) return;
      port = undefined;
      session.portGone('port closed');
      opts.log?.warn({ path: config.path }, 'serial port closed; trying to reopen');
      scheduleReopen();
    });
    p.on('error', (err) => opts.log?.warn({ path: config.path, err: err.message }, 'serial port error'));
  };

  return {
    async start(l) {
      listener = l;
      stopped = false;
      session.start();
      open();
    },
    command(actuatorId: string, state: SwitchState) {
      const channel = actuatorChannel.get(actuatorId);
      if (channel === undefined) return Promise.reject(new CommandFailed('unknown-actuator', actuatorId));
      if (!session.online()) return Promise.reject(new CommandFailed('node-offline'));
      return commands.submit(channel, state);
    },
    async stop() {
      stopped = true;
      if (reopenTimer) clearTimeout(reopenTimer);
      session.stop();
      commands.failAll('link-stopped');
      const p = port;
      port = undefined;
      if (p?.isOpen) await new Promise<void>((resolve) => p.close(() => resolve()));
    },
  };
}
