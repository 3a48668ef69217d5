import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { tempDir, useCleanup } from '../helpers/app.js';
import { freePort } from '../helpers/ports.js';

/**
 * flows/settings.cjs and its parts: the credential secret (or a refusal to start), the options a Pi
 * without internet needs, the staff logins for the editor and for HTTP-in endpoints. The logins
 * against the real service are in default-flows.test.ts.
 */
const require = createRequire(import.meta.url);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SETTINGS = join(ROOT, 'flows/settings.cjs');
const { credentialSecret } = require('../../flows/lib/credential-secret.cjs') as { credentialSecret: (env: Record<string, string | undefined>, userDir?: string) => string };
const { userDirFromArgv } = require('../../flows/lib/user-dir.cjs') as { userDirFromArgv: (argv: string[]) => string | undefined };
const { createAdminAuth } = require('../../flows/lib/admin-auth.cjs') as { createAdminAuth: (login: Login) => AdminAuth };
const { createHttpNodeAuth } = require('../../flows/lib/http-node-auth.cjs') as { createHttpNodeAuth: (login: Login, o?: { now?: () => number; cacheMs?: number }) => Middleware };
const { createStaffLogin } = require('../../flows/lib/staff-login.cjs') as { createStaffLogin: (o: { baseUrl?: string; log?: { warn(m: string): void } }) => Login };

type Login = (u: string, p: string) => Promise<{ username: string; role: string } | null>;
interface AdminAuth {
  type: string;
  users(u: string): Promise<unknown>;
  authenticate(u: string, p: string): Promise<unknown>;
}
type Middleware = (req: { method: string; headers: Record<string, string | undefined> }, res: FakeRes, next: () => void) => void;
interface FakeRes {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  setHeader(k: string, v: string): void;
  end(b: string): void;
}

const defer = useCleanup();
const SECRET = 'a-secret-of-enough-length-0123456789';

/** Requires flows/settings.cjs in a fresh process with this environment and --userDir; returns what it exported (or its error). */
function loadSettings(env: Record<string, string>, userDir?: string) {
  const script = `
    try {
      const s = require(${JSON.stringify(SETTINGS)});
      console.log(JSON.stringify({ ok: true, settings: s, types: { users: typeof s.adminAuth.users, authenticate: typeof s.adminAuth.authenticate, httpNodeAuth: typeof s.httpNodeAuth } }));
    } catch (err) {
      console.log(JSON.stringify({ ok: false, message: err.message }));
    }`;
  const r = spawnSync(process.execPath, ['-e', script, '--', ...(userDir ? ['--userDir', userDir] : [])], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '{}') as { ok: boolean; message?: string; settings?: any; types?: Record<string, string> };
}

describe('Node-RED settings', () => {
  it('uses only option names of node-red 4.1’s own settings template', () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const r = loadSettings({ TONGXIN_NODERED_SECRET: SECRET }, dir);
    expect(r.ok).toBe(true);
    const template = readFileSync(require.resolve('node-red/settings.js'), 'utf8');
    const unknown = Object.keys(r.settings).filter((k) => !new RegExp(`\\b${k}\\s*:`).test(template));
    expect(unknown).toEqual([]);
  });

  it('keeps a Pi off npm, the editor on loopback, projects, telemetry and diagnostics off, and loads our palette', () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const r = loadSettings({ TONGXIN_NODERED_SECRET: SECRET, TONGXIN_NODERED_PORT: '18999', TONGXIN_HTTP_URL: 'http://127.0.0.1:1' }, dir);
    expect(r.settings).toMatchObject({
      uiPort: 18999,
      uiHost: '127.0.0.1',
      flowFile: 'flows.json',
      credentialSecret: SECRET,
      nodesDir: [join(ROOT, 'flows/nodes')],
      adminAuth: { type: 'credentials', sessionExpiryTime: 8 * 3600 },
      logging: { console: { level: 'info', audit: false } },
      diagnostics: { enabled: false },
      telemetry: { enabled: false, updateNotification: false },
      externalModules: { autoInstall: false, palette: { allowInstall: false, allowUpload: false }, modules: { allowInstall: false } },
      functionExternalModules: false,
      editorTheme: { projects: { enabled: false } },
    });
    expect(r.types).toEqual({ users: 'function', authenticate: 'function', httpNodeAuth: 'function' });
    // Node-RED finds the palette through the package.json's "node-red" section (registry: nodesDir).
    const pkg = JSON.parse(readFileSync(join(ROOT, 'flows/nodes/package.json'), 'utf8')) as { type: string; 'node-red': { nodes: Record<string, string> } };
    expect(pkg.type).toBe('commonjs');
    expect(Object.keys(pkg['node-red'].nodes)).toHaveLength(7);
  });

  it('refuses to start Node-RED without a credential secret, saying why', async () => {
    const { dir, remove } = tempDir();
    defer(remove);
    const port = await freePort();
    const run = () =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const child = spawn(process.execPath, [require.resolve('node-red/red.js'), '--settings', SETTINGS, '--userDir', dir, '--port', String(port)], {
          env: { PATH: process.env.PATH ?? '', TONGXIN_SITE_ID: 'x', TONGXIN_HTTP_URL: 'http://127.0.0.1:1' },
        });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString()));
        child.stderr.on('data', (d: Buffer) => (out += d.toString()));
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.on('exit', (code) => {
          clearTimeout(timer);
          resolve({ code, out });
        });
      });
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.out).toContain(`no credential secret: ${join(dir, '.credential-secret')} is missing`);
    expect(r.out).not.toContain('Server now running');
  });

  it('takes the secret from TONGXIN_NODERED_SECRET, else from <userDir>/.credential-secret, never a short one', () => {
    const { dir, remove } = tempDir();
    defer(remove);
    expect(credentialSecret({ TONGXIN_NODERED_SECRET: ` ${SECRET}\n` }, dir)).toBe(SECRET);
    expect(() => credentialSecret({}, dir)).toThrow(/no credential secret/);
    expect(() => credentialSecret({}, undefined)).toThrow(/needs --userDir/);
    writeFileSync(join(dir, '.credential-secret'), `${SECRET}\n`);
    expect(credentialSecret({}, dir)).toBe(SECRET);
    writeFileSync(join(dir, '.credential-secret'), 'short\n');
    expect(() => credentialSecret({}, dir)).toThrow(/shorter than 16/);
    expect(() => credentialSecret({ TONGXIN_NODERED_SECRET: 'short' }, dir)).toThrow(/TONGXIN_NODERED_SECRET is shorter/);
  });

  it('reads --userDir as red.js accepts it', () => {
    expect(userDirFromArgv(['node', 'red.js', '--settings', 's.cjs', '--userDir', '/d/nr', '--port', '1880'])).toBe('/d/nr');
    expect(userDirFromArgv(['node', 'red.js', '--userDir=/d/nr'])).toBe('/d/nr');
    expect(userDirFromArgv(['node', 'red.js', '-u', '/d/nr'])).toBe('/d/nr');
    expect(userDirFromArgv(['node', 'red.js'])).toBeUndefined();
  });
});

describe('staff logins for Node-RED', () => {
  const roles: Record<string, string> = { ann: 'admin', bo: 'staff', cai: 'committee' };
  const calls: string[] = [];
  const login: Login = async (u, p) => {
    calls.push(u);
    return roles[u] && p === `${u}-pw` ? { username: u, role: roles[u] as string } : null;
  };

  it('maps roles to editor permissions: admin everything, staff read, committee and strangers nothing', async () => {
    const auth = createAdminAuth(login);
    expect(auth.type).toBe('credentials');
    expect(await auth.users('ann')).toBeNull(); // not before a login
    expect(await auth.authenticate('ann', 'ann-pw')).toEqual({ username: 'ann', permissions: '*' });
    expect(await auth.authenticate('bo', 'bo-pw')).toEqual({ username: 'bo', permissions: 'read' });
    expect(await auth.authenticate('cai', 'cai-pw')).toBeNull();
    expect(await auth.authenticate('ann', 'wrong')).toBeNull();
    expect(await auth.users('ann')).toEqual({ username: 'ann', permissions: '*' });
    expect(await auth.users('cai')).toBeNull();
  });

  function request(mw: Middleware, headers: Record<string, string | undefined>, method = 'GET') {
    return new Promise<{ passed: boolean; res: FakeRes }>((resolve) => {
      const res: FakeRes = {
        statusCode: 200,
        headers: {},
        body: '',
        setHeader(k, v) {
          this.headers[k.toLowerCase()] = v;
        },
        end(b) {
          this.body = b;
          resolve({ passed: false, res: this });
        },
      };
      mw({ method, headers }, res, () => resolve({ passed: true, res }));
    });
  }
  const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });

  it('lets HTTP-in requests through with a staff or admin login (HTTP Basic), remembered for a minute', async () => {
    let now = 1_000_000;
    const mw = createHttpNodeAuth(login, { now: () => now });
    calls.length = 0;
    expect((await request(mw, basic('bo', 'bo-pw'))).passed).toBe(true);
    expect((await request(mw, basic('bo', 'bo-pw'))).passed).toBe(true);
    expect(calls).toEqual(['bo']);
    now += 61_000;
    expect((await request(mw, basic('bo', 'bo-pw'))).passed).toBe(true);
    expect(calls).toEqual(['bo', 'bo']);
    expect((await request(mw, basic('ann', 'ann-pw'))).passed).toBe(true);
  });

  it('refuses HTTP-in requests without a login, with a wrong one, or from the committee: 401 JSON with a Basic challenge', async () => {
    const mw = createHttpNodeAuth(login);
    calls.length = 0;
    for (const headers of [{}, { authorization: 'Bearer abc' }, { authorization: 'Basic !!!' }, basic('bo', 'wrong'), basic('bo', 'wrong'), basic('cai', 'cai-pw')]) {
      const r = await request(mw, headers);
      expect(r.passed).toBe(false);
      expect(r.res.statusCode).toBe(401);
      expect(r.res.headers['www-authenticate']).toMatch(/^Basic realm=/);
      expect(JSON.parse(r.res.body)).toMatchObject({ error: { code: 'TX_UNAUTHENTICATED' } });
    }
    // A failed login is never remembered: each try asks the service again.
    expect(calls).toEqual(['bo', 'bo', 'cai']);
    expect((await request(mw, {}, 'OPTIONS')).passed).toBe(true);
  });

  it('refuses every login, saying why, when the service cannot be asked', async () => {
    const warned: string[] = [];
    const log = { warn: (m: string) => warned.push(m) };
    expect(await createStaffLogin({ baseUrl: '', log })('ann', 'ann-pw')).toBeNull();
    expect(warned[0]).toContain('TONGXIN_HTTP_URL is not set');
    const port = await freePort();
    expect(await createStaffLogin({ baseUrl: `http://127.0.0.1:${port}/`, log })('ann', 'ann-pw')).toBeNull();
    expect(warned[1]).toMatch(new RegExp(`the service at http://127.0.0.1:${port} did not answer`));
    expect(warned.join('\n')).not.toContain('ann-pw');
  });
});

