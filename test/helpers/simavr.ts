import { execFile, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * Real firmware without hardware: our sketch (or a prebuilt StandardFirmata) built with Debian's AVR
 * toolchain and run in simavr through firmware-bridge/sim/uno-harness.c, with UART0 on a pty that the
 * real `serialport` opens. Builds are cached under node_modules/.cache/tongxin-firmware, keyed by a
 * hash of the sources and flags, so only the first test run after a change pays for them (about a
 * second each). A missing tool is a failure that names the apt package, never a skip: CI installs
 * them (.ci/run).
 */
const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIRMWARE = join(ROOT, 'firmware-bridge/firmware');
const SKETCH = join(FIRMWARE, 'tongxin-node');
const SIM = join(ROOT, 'firmware-bridge/sim');
const CACHE = join(ROOT, 'node_modules/.cache/tongxin-firmware');

const AVR_APT = 'apt-get install -y gcc-avr avr-libc binutils-avr arduino-core-avr (.ci/run does this)';
const SIM_APT = 'apt-get install -y gcc simavr libsimavr-dev (.ci/run does this)';

export interface FirmwareOptions {
  /** `-DNODE_ID`: the id the node says in its HELLO (default "node-1"). */
  nodeId?: string;
  /** `-DREPORT_MS`: soil and ultrasonic readings every so many ms (default 2000). */
  reportMs?: number;
}

/** The first line of `<tool> --version`, which also proves that the tool is there. */
function toolVersion(tool: string, apt: string): string {
  const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (r.error || r.status !== 0) throw new Error(`${tool} is not installed: ${apt}`);
  return r.stdout.split('\n')[0] ?? '';
}

async function hashFiles(hash: ReturnType<typeof createHash>, files: string[]): Promise<void> {
  for (const f of files.sort()) {
    hash.update(`\0${f}\0`);
    hash.update(await readFile(f));
  }
}

/**
 * Builds into a fresh temp dir beside the cache entry and renames it into place, so that two test
 * workers building the same thing at once both end up with a whole output (the loser's is dropped).
 */
async function cached(name: string, done: string, build: (out: string) => Promise<void>): Promise<string> {
  const dir = join(CACHE, name);
  if (existsSync(join(dir, done))) return dir;
  await mkdir(CACHE, { recursive: true });
  const tmp = await mkdtemp(join(CACHE, `tmp-${name}-`));
  try {
    await build(tmp);
    await rename(tmp, dir).catch(async (err: NodeJS.ErrnoException) => {
      if (!existsSync(join(dir, done))) throw err;
    });
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
  return dir;
}

async function runBuild(script: string, out: string, env: NodeJS.ProcessEnv): Promise<void> {
  try {
    const r = await run('bash', [script, out], { env: { ...process.env, ...env }, maxBuffer: 16 * 1024 * 1024 });
    // Kept beside the output: avr-size's flash and RAM figures, for whoever wonders.
    await writeFile(join(out, 'build.log'), r.stdout + r.stderr);
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${script} failed: ${e.stderr || e.stdout || e.message}`);
  }
}

/** Builds the tongxin-node sketch; resolves with the path of its ELF (the .hex sits beside it). */
export async function buildFirmware(opts: FirmwareOptions = {}): Promise<string> {
  const version = toolVersion('avr-gcc', AVR_APT);
  const env: NodeJS.ProcessEnv = {};
  if (opts.nodeId !== undefined) env.NODE_ID = opts.nodeId;
  if (opts.reportMs !== undefined) env.REPORT_MS = String(opts.reportMs);
  const hash = createHash('sha256').update(JSON.stringify({ version, env }));
  const sources = (await readdir(SKETCH)).map((f) => join(SKETCH, f));
  await hashFiles(hash, [...sources, join(FIRMWARE, 'build.sh')]);
  const dir = await cached(`node-${hash.digest('hex').slice(0, 16)}`, 'tongxin-node.elf', (out) =>
    runBuild(join(FIRMWARE, 'build.sh'), out, env),
  );
  return join(dir, 'tongxin-node.elf');
}

/** Builds the simavr harness; resolves with the path of the executable. */
export async function buildHarness(): Promise<string> {
  const version = toolVersion('gcc', SIM_APT);
  if (!existsSync('/usr/include/simavr/sim_avr.h')) throw new Error(`simavr headers are missing: ${SIM_APT}`);
  const hash = createHash('sha256').update(version);
  await hashFiles(hash, [join(SIM, 'uno-harness.c'), join(SIM, 'build.sh')]);
  const dir = await cached(`harness-${hash.digest('hex').slice(0, 16)}`, 'uno-harness', (out) => runBuild(join(SIM, 'build.sh'), out, {}));
  return join(dir, 'uno-harness');
}

/**
 * The prebuilt StandardFirmata (2.4) for the Uno that ships inside avrgirl-arduino 5.0.1. The package
 * is fetched with `npm pack`, never installed (it has a git dependency that CI cannot fetch), and only
 * the one file is kept.
 */
export async function standardFirmataHex(): Promise<string> {
  const file = 'package/junk/hex/uno/StandardFirmata.cpp.hex';
  const dir = await cached('avrgirl-arduino-5.0.1', file, async (out) => {
    let tarball: string;
    try {
      const r = await run('npm', ['pack', 'avrgirl-arduino@5.0.1', '--pack-destination', out, '--json'], { cwd: ROOT });
      const packed = JSON.parse(r.stdout) as { filename: string }[];
      tarball = join(out, packed[0]?.filename ?? 'avrgirl-arduino-5.0.1.tgz');
    } catch (err) {
      throw new Error(`npm pack avrgirl-arduino@5.0.1 failed (it needs the npm registry): ${(err as Error).message}`);
    }
    await run('tar', ['-xzf', tarball, '-C', out, file]);
    await rm(tarball);
  });
  return join(dir, file);
}

export interface Uno {
  /** The pty of UART0 (57600 baud for our sketch and StandardFirmata). */
  pty: string;
  /** Sets analog input `channel` (0-7; A0-A3 are our soil probes) in millivolts of 5000. */
  setMillivolts(channel: number, mv: number): void;
  /** Drives digital input `pin` (Arduino numbering, 0-19) until told otherwise. */
  setPin(pin: number, value: 0 | 1): void;
  /** From now on answers each trigger pulse on `trig` with a HIGH of `us` µs on `echo`; 0 = no echo. */
  setEcho(trig: number, echo: number, us: number): void;
  /** The last value the firmware put on an output pin, undefined if it never made it an output. */
  output(pin: number): 0 | 1 | undefined;
  /** Every value an output pin has had, in order (a pin is reported when it becomes an output). */
  outputHistory(pin: number): (0 | 1)[];
  waitOutput(pin: number, value: 0 | 1, timeoutMs?: number): Promise<void>;
  /** Kills the simulation (SIGKILL: simavr's uart_pty_stop hangs). */
  stop(): Promise<void>;
}

function checkInt(what: string, v: number, lo: number, hi: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) throw new RangeError(`${what} must be an integer ${lo}-${hi}, not ${v}`);
}

/** Starts an ATmega328P at 16 MHz running `firmware` (an .elf or a .hex) in the harness. */
export async function startUno(firmware: string): Promise<Uno> {
  const harness = await buildHarness();
  const proc = spawn(harness, [firmware], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  // A broken pipe after stop() or a crash must not take the test process down.
  proc.stdin.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  const history = new Map<number, (0 | 1)[]>();
  const waiters = new Set<() => void>();
  const lines = createInterface({ input: proc.stdout });
  const pty = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`uno-harness printed no pty within 10 s: ${stderr}`)), 10_000);
    proc.once('exit', (code, signal) => reject(new Error(`uno-harness exited (${code ?? signal}) before its pty: ${stderr}`)));
    proc.once('error', reject);
    lines.on('line', (line) => {
      let msg: { pty?: string; pin?: number; value?: number };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        return;
      }
      if (msg.pty !== undefined) {
        clearTimeout(timer);
        resolve(msg.pty);
      } else if (msg.pin !== undefined) {
        const h = history.get(msg.pin) ?? [];
        h.push(msg.value ? 1 : 0);
        history.set(msg.pin, h);
        for (const w of [...waiters]) w();
      }
    });
  }).catch(async (err: unknown) => {
    proc.kill('SIGKILL');
    throw err;
  });

  const send = (line: string) => {
    if (proc.exitCode !== null || proc.signalCode !== null) throw new Error(`uno-harness is not running: ${stderr}`);
    proc.stdin.write(`${line}\n`);
  };
  const output = (pin: number) => history.get(pin)?.at(-1);

  return {
    pty,
    setMillivolts(channel, mv) {
      checkInt('ADC channel', channel, 0, 7);
      checkInt('millivolts', mv, 0, 5000);
      send(`adc ${channel} ${mv}`);
    },
    setPin(pin, value) {
      checkInt('pin', pin, 0, 19);
      send(`pin ${pin} ${value}`);
    },
    setEcho(trig, echo, us) {
      checkInt('trigger pin', trig, 0, 19);
      checkInt('echo pin', echo, 0, 19);
      checkInt('echo length', us, 0, 1_000_000);
      send(`echo ${trig} ${echo} ${us}`);
    },
    output,
    outputHistory: (pin) => [...(history.get(pin) ?? [])],
    waitOutput(pin, value, timeoutMs = 5000) {
      return new Promise<void>((resolve, reject) => {
        const check = () => {
          if (output(pin) !== value) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`pin ${pin} did not become ${value} within ${timeoutMs} ms (history ${JSON.stringify(history.get(pin) ?? [])})`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    async stop() {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
      lines.close();
    },
  };
}
