import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort } from './ports.js';

const CANDIDATES = ['/usr/sbin/mosquitto', '/usr/bin/mosquitto', '/usr/local/sbin/mosquitto'];

/**
 * A real Mosquitto on 127.0.0.1 with its own config file. Missing Mosquitto is a failure, not a skip:
 * CI installs it (.ci/run), and a silent skip would hide that the external-broker path is untested.
 */
export async function startMosquitto(dir: string, opts: { port?: number; extraConfig?: string } = {}) {
  const bin = CANDIDATES.find((p) => existsSync(p));
  if (!bin) throw new Error('mosquitto is not installed: apt-get install -y mosquitto (.ci/run does this)');
  const port = opts.port ?? (await freePort());
  const conf = join(dir, `mosquitto-${port}.conf`);
  writeFileSync(conf, [`listener ${port} 127.0.0.1`, 'allow_anonymous true', 'persistence false', opts.extraConfig ?? ''].join('\n'));
  const proc: ChildProcess = spawn(bin, ['-c', conf], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 5000;
  while (!(await canConnect(port))) {
    if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`mosquitto did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    async stop() {
      if (proc.exitCode !== null) return;
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      await exited;
    },
  };
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
