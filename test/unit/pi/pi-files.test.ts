import { execFile, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { validateSiteConfig } from '../../../src/config/load.js';
import { TIMESYNCD_MARKER } from '../../../src/core/clock-trust.js';
import { packageRoot } from '../../../src/core/paths.js';

/**
 * The Raspberry Pi's set-up in firmware-bridge/pi/: the launcher is run for real (in --dry-run) against
 * a local HTTP server, the udev rules and systemd units are parsed and held to what the service needs,
 * and their paths are checked against this repository. systemd-analyze verifies the units where it is
 * installed; a container may not have it, and the Pi is where it matters, so it is not required.
 */
const ROOT = packageRoot();
const PI = join(ROOT, 'firmware-bridge', 'pi');
const KIOSK = join(PI, 'kiosk.sh');
const INSTALL = join(PI, 'install.sh');
const BASH = which('bash') ?? '/bin/bash';
const read = (name: string) => readFileSync(join(PI, name), 'utf8');

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

const temps: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'tongxin-pi-'));
  temps.push(d);
  return d;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}
function run(file: string, args: string[], env: Record<string, string>, timeoutMs = 20_000): Promise<Run> {
  // Asynchronous on purpose: the HTTP server the launcher polls lives in this process.
  return new Promise((resolve) => {
    execFile(BASH, [file, ...args], { env, timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A folder holding a fake browser (which records it if it is ever run) and, optionally, `sleep`. */
function fakeBin(browserName: string | null, opts: { withSleep?: boolean } = {}) {
  const dir = tempDir();
  const ranMarker = join(dir, 'browser-was-run');
  if (browserName) writeFileSync(join(dir, browserName), `#!/bin/sh\ntouch '${ranMarker}'\n`, { mode: 0o755 });
  if (opts.withSleep) symlinkSync(which('sleep') ?? '/bin/sleep', join(dir, 'sleep'));
  return { dir, ranMarker, browser: browserName ? join(dir, browserName) : null };
}

/** /healthz (or another path) answers 503 `failFirst` times, then 200; every request is recorded. */
async function healthServer(failFirst: number, healthPath = '/healthz') {
  const hits: { url: string; status: number }[] = [];
  const server: Server = createServer((req, res) => {
    const url = req.url ?? '';
    let status = 404;
    if (url === healthPath) status = hits.filter((h) => h.url === healthPath).length < failFirst ? 503 : 200;
    hits.push({ url, status });
    res.writeHead(status, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { hits, port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The printed command line: leading VAR=value words, the browser, its flags, the URL last. */
function commandLine(stdout: string) {
  const lines = stdout.trim().split('\n');
  expect(lines, 'exactly one command line on stdout').toHaveLength(1);
  const words = lines[0]!.split(' ');
  const env: Record<string, string> = {};
  while (words[0] && /^[A-Z_]+=/.test(words[0])) {
    const [k, ...v] = words.shift()!.split('=');
    env[k!] = v.join('=');
  }
  return { env, browser: words[0]!, flags: words.slice(1, -1), url: words[words.length - 1]! };
}

const KIOSK_FLAGS = [
  '--kiosk',
  '--noerrdialogs',
  '--hide-crash-restore-bubble',
  '--disable-pinch',
  '--overscroll-history-navigation=0',
  '--check-for-update-interval=31536000',
  '--disable-features=Translate',
  '--no-first-run',
  '--disk-cache-dir=/dev/null',
  '--incognito',
];

describe('shell scripts', () => {
  const scripts = readdirSync(PI).filter((f) => f.endsWith('.sh'));

  it('are all there, executable, and parse (bash -n)', () => {
    expect(scripts.sort()).toEqual(expect.arrayContaining(['install.sh', 'kiosk.sh']));
    for (const s of scripts) {
      const r = spawnSync(BASH, ['-n', join(PI, s)], { encoding: 'utf8' });
      expect(r.status, `${s}: ${r.stderr}`).toBe(0);
      expect(() => accessSync(join(PI, s), constants.X_OK), `${s} must be executable`).not.toThrow();
      expect(readFileSync(join(PI, s), 'utf8')).toMatch(/^#!\/usr\/bin\/env bash\n[\s\S]*^set -euo pipefail$/m);
    }
  });

  it('bash -n does catch a broken script (so the check above means something)', () => {
    const d = tempDir();
    writeFileSync(join(d, 'broken.sh'), 'if true; then\n  echo missing fi\n');
    expect(spawnSync(BASH, ['-n', join(d, 'broken.sh')]).status).not.toBe(0);
  });
});

describe('kiosk.sh', () => {
  it('--dry-run waits while /healthz answers 503, then prints the kiosk command for the URL', async () => {
    const srv = await healthServer(3);
    const bin = fakeBin('chromium');
    const home = tempDir();
    try {
      const url = `http://127.0.0.1:${srv.port}/`;
      const r = await run(KIOSK, ['--dry-run'], {
        PATH: `${bin.dir}:/usr/bin:/bin`,
        HOME: home,
        TONGXIN_KIOSK_URL: url,
        TONGXIN_KIOSK_POLL: '0.1',
        TONGXIN_KIOSK_WAIT: '20',
      });
      expect(r.code, r.stderr).toBe(0);
      // Three 503s, then the 200 that ended the wait, and nothing after it.
      expect(srv.hits.map((h) => `${h.url} ${h.status}`)).toEqual(['/healthz 503', '/healthz 503', '/healthz 503', '/healthz 200']);
      expect(r.stderr).toMatch(/waiting up to 20s for http:\/\/127\.0\.0\.1:\d+\/healthz/);
      expect(r.stderr).toMatch(/answered after \d+s/);

      const cmd = commandLine(r.stdout);
      expect(cmd.browser).toBe(bin.browser);
      expect(cmd.url).toBe(url);
      expect(cmd.flags).toEqual(expect.arrayContaining([...KIOSK_FLAGS, '--lang=zh-CN']));
      expect(cmd.flags).not.toContain('--disable-session-crashed-bubble'); // gone from Chromium
      expect(cmd.env.LANGUAGE).toBe('zh_CN:zh');
      expect(existsSync(bin.ranMarker), 'a dry run must not start the browser').toBe(false);
    } finally {
      await srv.close();
    }
  });

  it('honours the TONGXIN_KIOSK_* overrides', async () => {
    const srv = await healthServer(1, '/ready');
    const bin = fakeBin('my-browser');
    const profile = join(tempDir(), 'profile');
    try {
      const url = `http://127.0.0.1:${srv.port}/kiosk/lobby`;
      const r = await run(KIOSK, ['--dry-run'], {
        PATH: '/usr/bin:/bin',
        HOME: tempDir(),
        TONGXIN_KIOSK_URL: url,
        TONGXIN_KIOSK_HEALTH_URL: `http://127.0.0.1:${srv.port}/ready`,
        TONGXIN_KIOSK_POLL: '0.1',
        TONGXIN_KIOSK_BROWSER: bin.browser!,
        TONGXIN_KIOSK_PROFILE: profile,
        TONGXIN_KIOSK_LANG: 'en-GB',
        TONGXIN_KIOSK_EXTRA_FLAGS: '--force-device-scale-factor=0.8 --touch-selection-strategy=direction',
      });
      expect(r.code, r.stderr).toBe(0);
      expect(srv.hits.map((h) => h.url)).toEqual(['/ready', '/ready']);
      const cmd = commandLine(r.stdout);
      expect(cmd.browser).toBe(bin.browser);
      expect(cmd.url).toBe(url);
      expect(cmd.flags).toEqual(
        expect.arrayContaining(['--lang=en-GB', `--user-data-dir=${profile}`, '--force-device-scale-factor=0.8', '--touch-selection-strategy=direction']),
      );
      expect(cmd.env.LANGUAGE).toBe('en_GB:en');
      expect(existsSync(profile), 'a dry run creates no profile folder').toBe(false);
    } finally {
      await srv.close();
    }
  });

  it('gives up waiting after TONGXIN_KIOSK_WAIT seconds, says so, and still shows the page', async () => {
    const srv = await healthServer(Number.MAX_SAFE_INTEGER);
    const bin = fakeBin('chromium');
    try {
      const started = Date.now();
      const r = await run(KIOSK, ['--dry-run'], {
        PATH: `${bin.dir}:/usr/bin:/bin`,
        HOME: tempDir(),
        TONGXIN_KIOSK_URL: `http://127.0.0.1:${srv.port}/`,
        TONGXIN_KIOSK_POLL: '0.2',
        TONGXIN_KIOSK_WAIT: '1',
      });
      const elapsed = Date.now() - started;
      expect(r.code, r.stderr).toBe(0);
      expect(elapsed).toBeGreaterThanOrEqual(1000);
      expect(elapsed).toBeLessThan(10_000);
      expect(srv.hits.length).toBeGreaterThanOrEqual(2);
      expect(srv.hits.every((h) => h.status === 503)).toBe(true);
      expect(r.stderr).toMatch(/WARNING: .*did not answer within 1s/);
      expect(commandLine(r.stdout).url).toBe(`http://127.0.0.1:${srv.port}/`);
    } finally {
      await srv.close();
    }
  });

  it('without curl waits through bash alone, and falls back to chromium-browser', async () => {
    const srv = await healthServer(2);
    // Nothing on PATH but the fake browser and sleep: no curl, no chromium.
    const bin = fakeBin('chromium-browser', { withSleep: true });
    try {
      const r = await run(KIOSK, ['--dry-run'], {
        PATH: bin.dir,
        HOME: tempDir(),
        TONGXIN_KIOSK_URL: `http://127.0.0.1:${srv.port}/`,
        TONGXIN_KIOSK_POLL: '0.1',
      });
      expect(r.code, r.stderr).toBe(0);
      expect(srv.hits.map((h) => h.status)).toEqual([503, 503, 200]);
      expect(commandLine(r.stdout).browser).toBe(bin.browser);
    } finally {
      await srv.close();
    }
  });

  it('for real: finds the compositor’s socket on its own and execs the browser in a private profile', async () => {
    const srv = await healthServer(0);
    const bin = tempDir();
    const seen = join(bin, 'seen');
    const browser = join(bin, 'chromium');
    writeFileSync(browser, `#!/bin/sh\nprintf '%s\\n' "WAYLAND_DISPLAY=$WAYLAND_DISPLAY" "LANGUAGE=$LANGUAGE" "$@" > '${seen}'\n`, { mode: 0o755 });
    // The user manager exports no WAYLAND_DISPLAY on Pi OS: only the socket in the runtime dir says
    // the desktop is up.
    const runtime = tempDir();
    const compositor = createNetServer();
    await new Promise<void>((r) => compositor.listen(join(runtime, 'wayland-1'), r));
    try {
      const url = `http://127.0.0.1:${srv.port}/`;
      const r = await run(KIOSK, [], {
        PATH: `${bin}:/usr/bin:/bin`,
        HOME: tempDir(),
        XDG_RUNTIME_DIR: runtime,
        TONGXIN_KIOSK_URL: url,
        TONGXIN_KIOSK_DISPLAY_WAIT: '5',
      });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain('display: wayland wayland-1');
      const args = readFileSync(seen, 'utf8').trim().split('\n');
      expect(args.slice(0, 2)).toEqual(['WAYLAND_DISPLAY=wayland-1', 'LANGUAGE=zh_CN:zh']);
      expect(args).toEqual(expect.arrayContaining([...KIOSK_FLAGS, `--user-data-dir=${join(runtime, 'tongxin-kiosk')}`]));
      expect(args[args.length - 1]).toBe(url);
      expect(existsSync(join(runtime, 'tongxin-kiosk'))).toBe(true);
    } finally {
      compositor.close();
      await srv.close();
    }
  });

  it('refuses to start without a browser or with a URL that is not http(s)', async () => {
    const empty = fakeBin(null, { withSleep: true });
    const noBrowser = await run(KIOSK, ['--dry-run'], { PATH: empty.dir, HOME: tempDir() });
    expect(noBrowser.code).toBe(1);
    expect(noBrowser.stderr).toMatch(/neither chromium nor chromium-browser.*apt-get install chromium/);

    const badUrl = await run(KIOSK, ['--dry-run'], { PATH: '/usr/bin:/bin', HOME: tempDir(), TONGXIN_KIOSK_URL: 'file:///etc/passwd' });
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toMatch(/must be an http/);

    const badOption = await run(KIOSK, ['--bogus'], { PATH: '/usr/bin:/bin', HOME: tempDir() });
    expect(badOption.code).toBe(2);
  });

  it('--help lists every setting it reads', async () => {
    const r = await run(KIOSK, ['--help'], { PATH: '/usr/bin:/bin', HOME: tempDir() });
    expect(r.code).toBe(0);
    const used = new Set(read('kiosk.sh').match(/TONGXIN_KIOSK_[A-Z_]+/g));
    expect(used.size).toBeGreaterThanOrEqual(8);
    for (const name of used) expect(r.stdout, name).toContain(name);
  });
});

// --- udev ----------------------------------------------------------------------------------------

const MATCH_KEYS = /^(ACTION|KERNEL|KERNELS|SUBSYSTEM|SUBSYSTEMS|DRIVER|DRIVERS|ATTR\{[a-zA-Z0-9_]+\}|ATTRS\{[a-zA-Z0-9_]+\})$/;
const ASSIGN_KEYS = /^(SYMLINK|GROUP|MODE|OWNER|TAG|RUN\{program\})$/;
const ENV_KEY = /^ENV\{[A-Z0-9_]+\}$/;
const TOKEN = /^\s*([A-Z]+(?:\{[^}]+\})?)(==|!=|\+=|-=|:=|=)"([^"]*)"\s*(,?)/;

interface Pair {
  key: string;
  op: string;
  value: string;
}
/** One udev rule line into its KEY op "value" pairs; throws on anything udev would reject or ignore. */
function parseUdevRule(line: string): Pair[] {
  const pairs: Pair[] = [];
  let rest = line.trim();
  while (rest.length > 0) {
    const m = TOKEN.exec(rest);
    if (!m) throw new Error(`cannot parse at: ${rest}`);
    const [whole, key, op, value, sep] = m as unknown as [string, string, string, string, string];
    const isMatch = op === '==' || op === '!=';
    if (ENV_KEY.test(key)) {
      // ENV{} both matches and assigns.
    } else if (MATCH_KEYS.test(key)) {
      if (!isMatch) throw new Error(`${key} can only be matched (== or !=), not assigned with ${op}`);
    } else if (ASSIGN_KEYS.test(key)) {
      if (isMatch) throw new Error(`${key} is assigned here, not matched with ${op}`);
    } else {
      throw new Error(`unknown key ${key}`);
    }
    pairs.push({ key, op, value });
    rest = rest.slice(whole.length);
    if (sep === '' && rest.trim() !== '') throw new Error(`missing comma before: ${rest}`);
  }
  if (!pairs.some((p) => p.op === '==' || p.op === '!=')) throw new Error('a rule with no match applies to every device');
  return pairs;
}

/** What every Tongxin rule must do: a tty, picked by USB ids and an identity, named tongxin-…, dialout 0660. */
function checkTongxinRule(pairs: Pair[]) {
  const get = (key: string, op: string) => pairs.find((p) => p.key === key && p.op === op)?.value;
  const problems: string[] = [];
  if (get('SUBSYSTEM', '==') !== 'tty') problems.push('SUBSYSTEM=="tty"');
  if (!/^[0-9a-f]{4}$/.test(get('ATTRS{idVendor}', '==') ?? '')) problems.push('ATTRS{idVendor}');
  if (!/^[0-9a-f]{4}$/.test(get('ATTRS{idProduct}', '==') ?? '')) problems.push('ATTRS{idProduct}');
  if (!get('ATTRS{serial}', '==') && !get('ENV{ID_PATH}', '==') && !get('KERNELS', '==')) problems.push('an identity: ATTRS{serial}, ENV{ID_PATH} or KERNELS');
  if (!/^tongxin-[a-z0-9][a-z0-9-]*$/.test(get('SYMLINK', '+=') ?? '')) problems.push('SYMLINK+="tongxin-…"');
  if (get('GROUP', '=') !== 'dialout') problems.push('GROUP="dialout"');
  if (get('MODE', '=') !== '0660') problems.push('MODE="0660"');
  if (get('ENV{ID_MM_DEVICE_IGNORE}', '=') !== '1') problems.push('ENV{ID_MM_DEVICE_IGNORE}="1"');
  return problems;
}

describe('99-tongxin-serial.rules', () => {
  const text = read('99-tongxin-serial.rules');
  const lines = text.split('\n');
  const active = lines.filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  // The shipped file is examples to copy: rule lines commented out with "# ".
  const examples = lines.filter((l) => /^# (SUBSYSTEM|ACTION|KERNEL)/.test(l)).map((l) => l.slice(2));
  const rules = [...active, ...examples].map((l) => ({ line: l, pairs: parseUdevRule(l) }));

  it('has only well-formed rules, each naming a tongxin-… device for dialout 0660', () => {
    expect(examples.length).toBeGreaterThanOrEqual(3);
    for (const r of rules) expect(checkTongxinRule(r.pairs), r.line).toEqual([]);
    const names = rules.map((r) => r.pairs.find((p) => p.key === 'SYMLINK')!.value);
    expect(new Set(names).size, 'every example names a different device').toBe(names.length);
  });

  it('has the three examples: Uno R3 by serial, CH340 by USB port (it has no serial), FTDI RS-485 by serial', () => {
    const byIds = (v: string, p: string) => rules.filter((r) => r.pairs.some((x) => x.key === 'ATTRS{idVendor}' && x.value === v) && r.pairs.some((x) => x.key === 'ATTRS{idProduct}' && x.value === p));
    const has = (r: { pairs: Pair[] }, key: string) => r.pairs.some((p) => p.key === key);
    const uno = byIds('2341', '0043');
    const ch340 = byIds('1a86', '7523');
    const ftdi = byIds('0403', '6001');
    expect(uno.length && uno.every((r) => has(r, 'ATTRS{serial}'))).toBeTruthy();
    expect(ftdi.length && ftdi.every((r) => has(r, 'ATTRS{serial}'))).toBeTruthy();
    expect(ch340.length).toBeGreaterThan(0);
    for (const r of ch340) {
      expect(has(r, 'ATTRS{serial}'), 'a CH340 has no serial to match').toBe(false);
      expect(has(r, 'ENV{ID_PATH}') || has(r, 'KERNELS')).toBe(true);
    }
    expect(text).toMatch(/no serial number/i);
    expect(text).toContain('udevadm info -a -n /dev/ttyUSB0');
  });

  it('the parser and the checks reject what they should', () => {
    expect(() => parseUdevRule('SUBSYSTEM=="tty", ATTRS{idVendor}="2341", SYMLINK+="tongxin-x"')).toThrow(/only be matched/);
    expect(() => parseUdevRule('SUBSYSTEM=="tty", FOO=="bar"')).toThrow(/unknown key/);
    expect(() => parseUdevRule('SUBSYSTEM=="tty" SYMLINK+="tongxin-x"')).toThrow(/missing comma/);
    expect(() => parseUdevRule('SUBSYSTEM=="tty", SYMLINK+=tongxin-x')).toThrow(/cannot parse/);
    expect(() => parseUdevRule('SYMLINK+="tongxin-x", MODE="0660"')).toThrow(/no match/);
    const noName = parseUdevRule('SUBSYSTEM=="tty", ATTRS{idVendor}=="2341", ATTRS{idProduct}=="0043", ATTRS{serial}=="1", GROUP="dialout", MODE="0666", ENV{ID_MM_DEVICE_IGNORE}="1"');
    expect(checkTongxinRule(noName)).toEqual(['SYMLINK+="tongxin-…"', 'MODE="0660"']);
  });
});

// --- systemd ---------------------------------------------------------------------------------------

type Unit = Map<string, Map<string, string[]>>;
/** A unit file's sections and keys (a key may repeat); `\` at a line's end continues it. */
function parseUnit(text: string): Unit {
  const unit: Unit = new Map();
  let section: Map<string, string[]> | null = null;
  const joined = text.replace(/\\\n/g, ' ');
  for (const raw of joined.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const head = /^\[([A-Za-z]+)\]$/.exec(line);
    if (head) {
      section = new Map();
      unit.set(head[1]!, section);
      continue;
    }
    const eq = line.indexOf('=');
    if (!section || eq <= 0) throw new Error(`not a key=value inside a section: ${line}`);
    const key = line.slice(0, eq).trim();
    section.set(key, [...(section.get(key) ?? []), line.slice(eq + 1).trim()]);
  }
  return unit;
}
const one = (u: Unit, section: string, key: string) => {
  const v = u.get(section)?.get(key);
  return v ? v[v.length - 1] : undefined;
};
const all = (u: Unit, section: string, key: string) => (u.get(section)?.get(key) ?? []).flatMap((v) => v.split(/\s+/)).filter(Boolean);

const installVar = (name: string): string => {
  const m = new RegExp(`^${name}=(\\S+)$`, 'm').exec(readFileSync(INSTALL, 'utf8'));
  if (!m) throw new Error(`install.sh has no ${name}=`);
  return m[1]!.replace(/\$([A-Z_]+)/g, (_, v: string): string => installVar(v));
};

describe('tongxin.service', () => {
  const unit = parseUnit(read('tongxin.service'));
  const svc = (key: string) => one(unit, 'Service', key);

  it('starts after the network and time sync, as the tongxin user in dialout, from /opt/tongxin', () => {
    expect(all(unit, 'Unit', 'After')).toEqual(expect.arrayContaining(['network-online.target', 'time-sync.target']));
    expect(all(unit, 'Unit', 'Wants')).toContain('network-online.target');
    expect(svc('User')).toBe('tongxin');
    expect(all(unit, 'Service', 'SupplementaryGroups')).toContain('dialout');
    expect(svc('WorkingDirectory')).toBe('/opt/tongxin');
    expect(svc('WorkingDirectory')).toBe(installVar('PREFIX'));
    expect(svc('ExecStart')).toBe('/usr/bin/node dist/src/cli.js start --site /etc/tongxin/site.yaml');
    expect(one(unit, 'Install', 'WantedBy')).toBe('multi-user.target');
  });

  it('runs what the build produces, with options the CLI has', () => {
    const [, script, command, siteFlag, siteFile] = svc('ExecStart')!.split(' ');
    // dist/src/cli.js is tsc's output for src/cli.ts (outDir dist, rootDir .), the package's own bin.
    const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: { outDir: string; rootDir: string } };
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    expect(`${tsconfig.compilerOptions.outDir}/src/cli.js`).toBe(script);
    expect(tsconfig.compilerOptions.rootDir).toBe('.');
    expect(pkg.bin.tongxin).toBe(script);
    const cli = readFileSync(join(ROOT, 'src', 'cli.ts'), 'utf8');
    expect(cli).toContain(`.command('${command}')`);
    expect(cli).toContain(`'${siteFlag} <file>'`);
    expect(siteFile).toBe(installVar('SITE_FILE'));
  });

  it('restarts forever and stops with one SIGTERM to the service, with time for its own shutdown', () => {
    expect(svc('Restart')).toBe('always');
    expect(one(unit, 'Unit', 'StartLimitIntervalSec')).toBe('0');
    expect(svc('KillMode')).toBe('mixed');
    expect(svc('KillSignal') ?? 'SIGTERM').toBe('SIGTERM');
    const deadline = /const STOP_DEADLINE_MS = ([\d_]+);/.exec(readFileSync(join(ROOT, 'src', 'cli.ts'), 'utf8'));
    expect(deadline, 'src/cli.ts: STOP_DEADLINE_MS, the service’s own shutdown deadline').not.toBeNull();
    const stopSec = Number(svc('TimeoutStopSec'));
    expect(stopSec * 1000).toBeGreaterThan(Number(deadline![1]!.replace(/_/g, '')));
    expect(stopSec).toBeLessThanOrEqual(60);
  });

  it('is sandboxed, yet may write its data, open serial adapters and read the NTP marker', () => {
    for (const [k, v] of [
      ['NoNewPrivileges', 'yes'],
      ['ProtectSystem', 'strict'],
      ['PrivateTmp', 'yes'],
      ['ProtectHome', 'yes'],
      ['DevicePolicy', 'closed'],
    ]) {
      expect(svc(k!), k).toBe(v);
    }
    expect(all(unit, 'Service', 'ReadWritePaths')).toContain(installVar('DATA_DIR'));
    const allowed = unit.get('Service')!.get('DeviceAllow') ?? [];
    expect(allowed).toEqual(expect.arrayContaining(['char-ttyUSB rw', 'char-ttyACM rw']));
    // Settings that would break it: hidden devices, no JIT, a hidden /run.
    expect(svc('PrivateDevices') ?? 'no').toBe('no');
    expect(svc('MemoryDenyWriteExecute') ?? 'no').toBe('no');
    expect(svc('ProcSubset') ?? 'all').toBe('all');
    for (const key of ['InaccessiblePaths', 'TemporaryFileSystem', 'BindPaths']) {
      for (const p of all(unit, 'Service', key)) expect(TIMESYNCD_MARKER.startsWith(p.replace(/^[-+]/, '').split(':')[0]!), `${key}=${p}`).toBe(false);
    }
    expect(TIMESYNCD_MARKER.startsWith('/run/')).toBe(true); // readable under ProtectSystem=strict
    // The allowed tty classes exist only once their drivers are loaded: install.sh loads them at boot.
    const install = readFileSync(INSTALL, 'utf8');
    expect(install).toMatch(/modules-load\.d/);
    expect(install).toMatch(/\\nusbserial\\ncdc_acm\\n/);
  });
});

describe('tongxin-kiosk.service', () => {
  const unit = parseUnit(read('tongxin-kiosk.service'));

  it('is a user unit that runs kiosk.sh from the install prefix and restarts it whenever Chromium exits', () => {
    const exec = one(unit, 'Service', 'ExecStart')!;
    expect(exec.startsWith(`${installVar('PREFIX')}/`)).toBe(true);
    const inRepo = join(ROOT, exec.slice(`${installVar('PREFIX')}/`.length));
    expect(inRepo).toBe(KIOSK);
    expect(() => accessSync(inRepo, constants.X_OK)).not.toThrow();
    expect(one(unit, 'Service', 'Restart')).toBe('always');
    expect(one(unit, 'Unit', 'StartLimitIntervalSec')).toBe('0');
    expect(all(unit, 'Unit', 'After')).toContain('graphical-session.target');
    expect(one(unit, 'Install', 'WantedBy')).toBe('default.target');
    // User= is meaningless in a user unit; the user is whoever's manager runs it.
    expect(one(unit, 'Service', 'User')).toBeUndefined();
    const url = (unit.get('Service')!.get('Environment') ?? []).find((e) => e.startsWith('TONGXIN_KIOSK_URL='));
    expect(url).toBe('TONGXIN_KIOSK_URL=http://127.0.0.1:8080/');
    expect(readFileSync(INSTALL, 'utf8')).toContain('/etc/systemd/user/tongxin-kiosk.service');
  });

  it('the unit parser rejects a key outside a section (so the parses above mean something)', () => {
    expect(() => parseUnit('ExecStart=/bin/true\n[Service]\n')).toThrow(/inside a section/);
  });
});

describe('systemd-analyze verify', () => {
  const analyze = which('systemd-analyze');

  it('accepts both units where systemd-analyze is installed (the structural checks above stand alone)', () => {
    const units = ['tongxin.service', 'tongxin-kiosk.service'];
    for (const u of units) expect(parseUnit(read(u)).has('Service'), u).toBe(true);
    if (!analyze) {
      console.info('systemd-analyze is not installed here: the units were checked structurally only');
      return;
    }
    // Point the units at this checkout and this node, since /opt/tongxin does not exist here.
    const dir = tempDir();
    for (const u of units) {
      writeFileSync(join(dir, u), read(u).replaceAll('/opt/tongxin', ROOT).replaceAll('/usr/bin/node', process.execPath));
    }
    const env = { ...process.env, XDG_RUNTIME_DIR: dir, SYSTEMD_LOG_COLOR: '0' };
    const system = spawnSync(analyze, ['verify', join(dir, 'tongxin.service')], { encoding: 'utf8', env });
    const user = spawnSync(analyze, ['--user', 'verify', join(dir, 'tongxin-kiosk.service')], { encoding: 'utf8', env });
    for (const [name, r] of [
      ['tongxin.service', system],
      ['tongxin-kiosk.service', user],
    ] as const) {
      expect(r.status, `${name}: ${r.stderr}`).toBe(0);
      // verify reports unknown keys and bad values as warnings with exit code 0: any line about our
      // file is a failure.
      const ours = r.stderr.split('\n').filter((l) => l.includes(name));
      expect(ours, name).toEqual([]);
    }
  });
});

describe('install.sh', () => {
  it('--help explains itself without root and without touching anything', async () => {
    const r = await run(INSTALL, ['--help'], { PATH: '/usr/bin:/bin', HOME: tempDir() });
    expect(r.code).toBe(0);
    for (const option of ['--kiosk-user', '--no-kiosk', '--registry', '--print-site', '--help']) expect(r.stdout).toContain(option);
    expect(r.stdout).toMatch(/never overwrites the site file/);
  });

  it('rejects an unknown option with the usage', async () => {
    const r = await run(INSTALL, ['--frobnicate'], { PATH: '/usr/bin:/bin', HOME: tempDir() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--kiosk-user');
  });

  it('--print-site is the demo site made for a Pi, and it validates', async () => {
    const r = await run(INSTALL, ['--print-site'], { PATH: '/usr/bin:/bin', HOME: tempDir() });
    expect(r.code, r.stderr).toBe(0);
    const result = validateSiteConfig(parseYaml(r.stdout));
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.config.dataDir).toBe(installVar('DATA_DIR'));
    expect(result.config.clock.trustAtStart).toBe(false);
    // The data folder is the one place the sandboxed service may write.
    expect(all(parseUnit(read('tongxin.service')), 'Service', 'ReadWritePaths')).toContain(result.config.dataDir);
  });
});
