import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ORPHAN_GUARD } from '../../../src/supervise/nodered.js';
import { tempDir, useCleanup, waitFor } from '../../helpers/app.js';

const defer = useCleanup();

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('the guard loaded into Node-RED', () => {
  it('ends a child whose parent died without stopping it (kill -9 outside systemd), so it cannot hold the port', async () => {
    // A shell starts a long-lived node with the guard and exits as soon as it runs (the guard is
    // loaded before the script), orphaning it.
    const { dir, remove } = tempDir('tongxin-orphan-');
    defer(remove);
    const up = join(dir, 'up');
    const script = `"${process.execPath}" --import '${ORPHAN_GUARD}' -e 'require("fs").writeFileSync(process.argv[1], "up"); setInterval(() => {}, 1000)' '${up}' >/dev/null 2>&1 & echo $!; for i in $(seq 200); do [ -s '${up}' ] && break; sleep 0.05; done`;
    const r = spawnSync('bash', ['-c', script], { encoding: 'utf8' });
    const pid = Number(r.stdout.trim());
    expect(pid).toBeGreaterThan(0);
    try {
      await waitFor('the orphan to exit', () => !alive(pid), 6000, 50);
    } finally {
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  it('leaves a child with a living parent alone', async () => {
    const r = spawnSync(process.execPath, ['--import', ORPHAN_GUARD, '-e', 'setTimeout(() => console.log("done"), 2500)'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe('done');
    expect(r.status).toBe(0);
  });
});
