/**
 * How fast a serial link resumes after its adapter is unplugged and plugged back (a socat pty pair
 * destroyed and recreated under the same names), and whether file handles leak: 50 cycles.
 * `npx tsx test/bench/serial-replug.ts` (needs socat). The test suite asserts the bounds; this prints the figures.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSerialLink } from '../../firmware-bridge/src/serial/serial-link.ts';
import { recorder } from '../helpers/link-contract.ts';
import { openPtyPair } from '../helpers/pty.ts';
import { SERIAL_TEST_CONFIG, fakeNodeOnPty } from '../helpers/serial-harness.ts';
const d = mkdtempSync(join(tmpdir(), 'tongxin-replug-'));
let pair = await openPtyPair(d);
let n = await fakeNodeOnPty(pair);
const link = createSerialLink(SERIAL_TEST_CONFIG(pair.device), { reopenMs: 100 });
const rec = recorder();
await link.start(rec.listener);
const wait = async (f: () => boolean) => { while (!f()) await new Promise((r) => setTimeout(r, 5)); };
await wait(() => rec.statuses.at(-1)?.status === 'online');
const times: number[] = []; const offs: number[] = [];
const fd0 = readdirSync('/proc/self/fd').length;
for (let i = 0; i < 50; i++) {
  const t0 = Date.now();
  await n.close(); await pair.close();
  await wait(() => rec.statuses.at(-1)?.status === 'offline');
  offs.push(Date.now() - t0);
  pair = await openPtyPair(d); n = await fakeNodeOnPty(pair);
  const t = Date.now(); const seen = rec.samples.length; const node = n.node;
  const tick = setInterval(() => node.reading('m0', 1), 20);
  await wait(() => rec.samples.length > seen);
  clearInterval(tick);
  times.push(Date.now() - t);
}
const s = [...times].sort((a, b) => a - b);
console.log('resume ms median', s[25], 'p90', s[45], 'max', s[49], 'offline-detect median', [...offs].sort((a,b)=>a-b)[25], 'fds before', fd0, 'after', readdirSync('/proc/self/fd').length);
await link.stop(); await n.close(); await pair.close(); process.exit(0);
