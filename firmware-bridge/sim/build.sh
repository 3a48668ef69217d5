#!/usr/bin/env bash
# Builds the simavr test harness (uno-harness.c) into the directory given as $1.
# Needs gcc and simavr's headers and libraries; `pkg-config simavr` is broken on Debian (libelf.pc is
# missing), so the flags are spelled out here.
set -euo pipefail

out=${1:?usage: build.sh <output-dir>}
here=$(cd "$(dirname "$0")" && pwd)
install_hint="apt-get install -y gcc simavr libsimavr-dev"

command -v gcc >/dev/null || { echo "gcc is not installed: $install_hint" >&2; exit 1; }
[ -f /usr/include/simavr/sim_avr.h ] && [ -f /usr/include/simavr/parts/uart_pty.h ] ||
  { echo "simavr headers are missing: $install_hint" >&2; exit 1; }

mkdir -p "$out"
gcc -std=gnu11 -O2 -Wall -Wextra -Wno-unused-parameter \
  -I/usr/include/simavr -I/usr/include/simavr/parts \
  -o "$out/uno-harness" "$here/uno-harness.c" \
  -lsimavrparts -lsimavr -lpthread
echo "built $out/uno-harness"
