import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A real serial line without hardware: socat joins two pseudo-terminals. Each end gets a stable
 * symlink (like the udev names a Pi gives its adapters), so a test can destroy the pair and make it
 * again under the same names, as when an adapter is unplugged and plugged back.
 * Missing socat is a failure, not a skip: CI installs it (.ci/run).
 */
export interface PtyPair {
  /** The end the code under test opens (the "device"). */
  device: string;
  /** The end the test writes into and reads from (the "node"). */
  node: string;
  /** Destroys both ends: the device end's reader sees the port go away. */
  close(): Promise<void>;
}

export function requireSocat(): string {
  const which = spawnSync('sh', ['-c', 'command -v socat'], { encoding: 'utf8' });
  const bin = which.stdout.trim();
  if (which.status !== 0 || !bin) throw new Error('socat is not installed: apt-get install -y socat (.ci/run does this)');
  return bin;
}

export async function openPtyPair(dir: string, name = 'tty'): Promise<PtyPair> {
  const bin = requireSocat();
  const device = join(dir, `${name}-device`);
  const node = join(dir, `${name}-node`);
  const proc: ChildProcess = spawn(bin, ['-d', '-d', `pty,raw,echo=0,link=${device}`, `pty,raw,echo=0,link=${node}`], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 5000;
  // socat says "starting data transfer loop" once both ptys exist and are linked.
  while (!stderr.includes('starting data transfer loop') || !existsSync(device) || !existsSync(node)) {
    if (proc.exitCode !== null || Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`socat did not make a pty pair: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  return {
    device,
    node,
    async close() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}
