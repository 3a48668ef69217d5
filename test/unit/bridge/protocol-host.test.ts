import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The node's C header (firmware/tongxin-node/tongxin_proto.h) against the same vectors as the
 * TypeScript codec, through protocol/host-test.cpp built with the host g++; then the header built for
 * the MCU itself with avr-gcc and avr-g++. The toolchains are installed here and in CI: a missing one
 * fails these tests, it never skips them.
 */
const root = (p: string) => fileURLToPath(new URL(`../../../${p}`, import.meta.url));
const HEADER_DIR = root('firmware-bridge/firmware/tongxin-node');
const HOST_TEST = root('firmware-bridge/protocol/host-test.cpp');
const VECTORS = root('firmware-bridge/protocol/vectors.txt');

const dir = mkdtempSync(join(tmpdir(), 'tongxin-proto-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function tool(name: string): string {
  const path = `/usr/bin/${name}`;
  if (!existsSync(path)) throw new Error(`${path} is missing: apt-get install -y g++ gcc-avr avr-libc`);
  return path;
}

/** Runs a compiler; its diagnostics become the failure message. */
function compile(compiler: string, args: string[]): void {
  const r = spawnSync(tool(compiler), args, { encoding: 'utf8' });
  if (r.error) throw r.error;
  expect(r.status, `${compiler} ${args.join(' ')}\n${r.stderr}`).toBe(0);
}

function recordsIn(file: string): number {
  return readFileSync(file, 'latin1')
    .split('\n')
    .filter((l) => l !== '' && !l.startsWith('#')).length;
}

let hostExe: string | undefined;
/** Builds protocol/host-test.cpp once for the tests below. */
function hostTest(): string {
  if (hostExe) return hostExe;
  const exe = join(dir, 'host-test');
  // The sanitizers catch an out-of-bounds write in the header here, before it corrupts an MCU's RAM.
  compile('g++', ['-std=c++11', '-Wall', '-Wextra', '-Werror', '-fsanitize=address,undefined', '-fno-sanitize-recover=all', `-I${HEADER_DIR}`, HOST_TEST, '-o', exe]);
  return (hostExe = exe);
}

describe('tongxin_proto.h on the host', () => {
  it('passes every shared vector (byte by byte, fresh and shared readers, tx_split, tx_frame)', () => {
    const r = spawnSync(hostTest(), [VECTORS], { encoding: 'utf8' });
    if (r.error) throw r.error;
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
    const summary = /host-test: (\d+) vectors checked \((\d+) crc, (\d+) lines\), (\d+) api checks, (\d+) failed/.exec(r.stdout);
    expect(summary, r.stdout).not.toBeNull();
    const [, checked, , lineCount, api, failed] = summary ?? [];
    expect(Number(checked)).toBe(recordsIn(VECTORS));
    expect(Number(lineCount)).toBeGreaterThanOrEqual(40);
    expect(Number(api)).toBeGreaterThan(0);
    expect(Number(failed)).toBe(0);
  });

  it('fails, and says why, on a vector it does not meet', () => {
    const wrong = join(dir, 'wrong.txt');
    writeFileSync(wrong, 'crc\tcheck\t123456789\t29B2\nvec\tquery\tQ*AB24\\n\tbad-crc\t-\tbad-crc\t-\n');
    const r = spawnSync(hostTest(), [wrong], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAIL check: tx_crc16 gave 29B1, expected 29B2');
    expect(r.stdout).toContain('FAIL query: fresh reader: framing line, expected bad-crc');
    expect(r.stdout).toContain('2 vectors checked');
  });

  it('builds as strict C99 with the host gcc', () => {
    compile('gcc', ['-std=c99', '-pedantic', '-Wall', '-Wextra', '-Werror', '-fsyntax-only', '-x', 'c', join(HEADER_DIR, 'tongxin_proto.h')]);
  });
});

// Uses every function, so each one is really compiled for the AVR and not dropped as unused.
const MCU_PROGRAM = `#include "tongxin_proto.h"
static tx_reader reader;
static char out[TX_MAX_LINE + 1];
volatile char in_byte;
volatile int sink;
int main(void) {
  char *fields[6];
  tx_reader_init(&reader);
  for (;;) {
    int got = tx_reader_push(&reader, in_byte);
    if (got == TX_LINE) sink = tx_split(reader.buf, fields, 6);
    else if (got < 0) sink = (int)tx_frame(out, sizeof out, tx_error_name(got)) + tx_crc16(out, 2);
  }
}
`;

describe('tongxin_proto.h for the ATmega328P', () => {
  const flags = ['-mmcu=atmega328p', '-Os', '-Wall', '-Wextra', '-Werror', `-I${HEADER_DIR}`, '-c'];

  it('compiles as C with avr-gcc', () => {
    writeFileSync(join(dir, 'mcu.c'), MCU_PROGRAM);
    compile('avr-gcc', ['-std=c99', ...flags, join(dir, 'mcu.c'), '-o', join(dir, 'mcu-c.o')]);
    expect(existsSync(join(dir, 'mcu-c.o'))).toBe(true);
  });

  it('compiles as C++ with avr-g++, as the sketch includes it', () => {
    writeFileSync(join(dir, 'mcu.cpp'), MCU_PROGRAM);
    compile('avr-g++', ['-std=gnu++11', '-fno-exceptions', ...flags, join(dir, 'mcu.cpp'), '-o', join(dir, 'mcu-cpp.o')]);
    // The reader is the header's whole RAM cost on the MCU: 96 + 1 bytes of line, a length, flags.
    const symbols = execFileSync(tool('avr-nm'), ['-S', '-C', join(dir, 'mcu-cpp.o')], { encoding: 'utf8' });
    expect(symbols).toMatch(/^[0-9a-f]+ 00000063 b reader$/m);
  });
});
