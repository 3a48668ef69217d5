import { existsSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loopbackFor, prepareUserDir, SECRET_FILE } from '../../../src/supervise/nodered.js';
import { memoryLogger, tempDir, useCleanup } from '../../helpers/app.js';

const defer = useCleanup();

function setup() {
  const { dir, remove } = tempDir('tongxin-nodered-dir-');
  defer(remove);
  const shippedFlows = join(dir, 'shipped-flows.json');
  writeFileSync(shippedFlows, '[{"id":"shipped","type":"tab"}]');
  const userDir = join(dir, 'data', 'node-red');
  const logger = memoryLogger();
  const prepare = (env: NodeJS.ProcessEnv = {}) => prepareUserDir({ userDir, shippedFlows, env, log: logger.log });
  return { dir, shippedFlows, userDir, prepare, lines: logger.lines };
}

describe('the Node-RED user folder inside the data folder', () => {
  it('gets the shipped flows on first start and keeps a maintainer’s flows afterwards', () => {
    const { shippedFlows, userDir, prepare, lines } = setup();
    prepare();
    const flows = join(userDir, 'flows.json');
    expect(readFileSync(flows, 'utf8')).toBe(readFileSync(shippedFlows, 'utf8'));
    writeFileSync(flows, '[{"id":"edited","type":"tab"}]');
    writeFileSync(shippedFlows, '[{"id":"shipped-v2","type":"tab"}]');
    // The new release's file is older than the edit: nothing to say, nothing overwritten.
    utimesSync(shippedFlows, new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    prepare();
    expect(readFileSync(flows, 'utf8')).toContain('edited');
    expect(lines.some((l) => l.includes('newer'))).toBe(false);
    // A newer shipped file is only mentioned.
    utimesSync(shippedFlows, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));
    prepare();
    expect(readFileSync(flows, 'utf8')).toContain('edited');
    expect(lines.filter((l) => l.includes('shipped flows are newer'))).toHaveLength(1);
  });

  it('makes a credential secret readable by its owner only, once, unless the environment gives one', () => {
    const a = setup();
    a.prepare();
    const file = join(a.userDir, SECRET_FILE);
    const secret = readFileSync(file, 'utf8').trim();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    a.prepare();
    expect(readFileSync(file, 'utf8').trim()).toBe(secret);

    const b = setup();
    b.prepare({ TONGXIN_NODERED_SECRET: 'from-the-environment' });
    expect(existsSync(join(b.userDir, SECRET_FILE))).toBe(false);
  });

  it('starts with no flows when none are shipped, says so, and takes them once they are', () => {
    const { userDir, prepare, lines } = setup();
    const quiet = memoryLogger();
    prepareUserDir({ userDir, shippedFlows: join(userDir, 'missing.json'), env: {}, log: quiet.log });
    expect(existsSync(join(userDir, 'flows.json'))).toBe(false);
    expect(quiet.lines.some((l) => l.includes('no shipped flows'))).toBe(true);
    prepare();
    expect(existsSync(join(userDir, 'flows.json'))).toBe(true);
    expect(lines.some((l) => l.includes('default flows copied'))).toBe(true);
  });

  it('reaches a wildcard bind over loopback', () => {
    expect(loopbackFor('0.0.0.0')).toBe('127.0.0.1');
    expect(loopbackFor('::')).toBe('[::1]');
    expect(loopbackFor('192.168.1.20')).toBe('192.168.1.20');
    expect(loopbackFor('::1')).toBe('[::1]');
  });
});
