import { CommandFailed, type SwitchState } from '../link.js';

/**
 * Commands in flight on a line-protocol node (PROTOCOL.md §Commands): numbered 1–65535, one at a
 * time per channel, the same frame re-sent when no answer came in `ackMs`, failed after `sends`.
 * Knows nothing of ports: it is given a function that writes a frame.
 */
export interface CommandTimings {
  ackMs: number;
  sends: number;
}

interface Pending {
  cmd: number;
  channel: string;
  state: SwitchState;
  sent: number;
  timer: NodeJS.Timeout | undefined;
  resolve(state: SwitchState): void;
  reject(err: CommandFailed): void;
}

export function createCommandQueue(
  send: (cmd: number, channel: string, state: SwitchState) => void,
  timings: CommandTimings,
  /** Checked when a queued command's turn comes: the node may have gone while it waited. */
  isOnline: () => boolean,
) {
  let nextCmd = 1;
  const inFlight = new Map<number, Pending>();
  /** The tail of each channel's chain, so a second command waits for the first to finish. */
  const tails = new Map<string, Promise<unknown>>();

  const settle = (p: Pending) => {
    if (p.timer) clearTimeout(p.timer);
    inFlight.delete(p.cmd);
  };

  const transmit = (p: Pending) => {
    p.sent += 1;
    send(p.cmd, p.channel, p.state);
    p.timer = setTimeout(() => {
      if (p.sent < timings.sends) return transmit(p);
      settle(p);
      p.reject(new CommandFailed('no-ack', `no answer to ${timings.sends} sends of command ${p.cmd}`));
    }, timings.ackMs);
  };

  const allocate = () => {
    const cmd = nextCmd;
    nextCmd = nextCmd >= 65535 ? 1 : nextCmd + 1;
    return cmd;
  };

  return {
    /** Sends a command once the channel's previous one is done; resolves with the acknowledged state. */
    submit(channel: string, state: SwitchState): Promise<SwitchState> {
      const previous = tails.get(channel) ?? Promise.resolve();
      const run = previous.then(
        () =>
          new Promise<SwitchState>((resolve, reject) => {
            if (!isOnline()) return reject(new CommandFailed('node-offline'));
            const p: Pending = { cmd: allocate(), channel, state, sent: 0, timer: undefined, resolve, reject };
            inFlight.set(p.cmd, p);
            transmit(p);
          }),
      );
      const tail = run.catch(() => undefined);
      tails.set(channel, tail);
      void tail.then(() => {
        if (tails.get(channel) === tail) tails.delete(channel);
      });
      return run;
    },
    /** An `A` frame. Returns false when no such command is waiting (a late or duplicate ack). */
    acked(cmd: number, channel: string, state: SwitchState): boolean {
      const p = inFlight.get(cmd);
      if (!p || p.channel !== channel) return false;
      settle(p);
      p.resolve(state);
      return true;
    },
    /** An `N` frame. */
    refused(cmd: number, reason: string): boolean {
      const p = inFlight.get(cmd);
      if (!p) return false;
      settle(p);
      p.reject(new CommandFailed('refused', reason));
      return true;
    },
    /** The node went away or the link stopped: everything waiting fails now, nothing is kept for later. */
    failAll(reason: 'node-offline' | 'link-stopped') {
      for (const p of [...inFlight.values()]) {
        settle(p);
        p.reject(new CommandFailed(reason));
      }
    },
  };
}
