import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/core/paths.js';
import { tempDir } from '../helpers/app.js';

/**
 * Cold start to a healthy /healthz of the compiled service (no simulator), as a ratio of the same
 * measure for a bare fastify process answering one route: what Node and the HTTP stack cost anyway.
 */
const CLI = join(packageRoot(), 'dist', 'src', 'cli.js');
const BARE = `
  const Fastify = (await import('fastify')).default;
  const app = Fastify();
  app.get('/healthz', async () => ({ status: 'ok' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  console.log('kiosk at http://127.0.0.1:' + app.server.address().port + '/');
`;

async function timeToHealthy(args: string[]): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: packageRoot(), env: { ...process.env, TONGXIN_LOG_LEVEL: 'warn' } });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited early: ${out}`);
      const url = /kiosk at (http:\/\/[^/\s]+)\//.exec(out)?.[1];
      if (url) {
        const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
        if (ok) return performance.now() - t0;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  }
}

export async function serviceStartMs(): Promise<number> {
  const { dir, remove } = tempDir('tongxin-bench-');
  try {
    return await timeToHealthy([CLI, 'start', '--no-simulator', '--no-nodered', '--data', dir, '--http-port', '0', '--mqtt-port', '0', '--mqtt-ws-port', '0']);
  } finally {
    remove();
  }
}

export function bareFastifyStartMs(): Promise<number> {
  return timeToHealthy(['--input-type=module', '-e', BARE]);
}
