#!/usr/bin/env bash
# Builds the tongxin-node sketch for an ATmega328P at 16 MHz (Uno, Nano) with plain avr-gcc against
# Debian's Arduino core: no IDE, no arduino-mk, no Java. Output: <out>/tongxin-node.elf and .hex.
#
#   firmware/build.sh <output-dir>
#   NODE_ID=garden-node REPORT_MS=500 firmware/build.sh out/   # extra -D flags through the environment
#   EXTRA_DEFINES="-DFOO=1" firmware/build.sh out/
#
# The core is compiled into <out>/obj each time (a few seconds); callers cache whole output dirs.
set -euo pipefail

out=${1:?usage: build.sh <output-dir>}
here=$(cd "$(dirname "$0")" && pwd)
sketch=$here/tongxin-node
avr=${ARDUINO_AVR:-/usr/share/arduino/hardware/arduino/avr}
install_hint="apt-get install -y gcc-avr avr-libc binutils-avr arduino-core-avr"

for tool in avr-gcc avr-g++ avr-objcopy avr-size; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed: $install_hint" >&2; exit 1; }
done
[ -f "$avr/cores/arduino/Arduino.h" ] || { echo "the Arduino core is missing at $avr: $install_hint" >&2; exit 1; }
[ -f "$sketch/tongxin_proto.h" ] || { echo "$sketch/tongxin_proto.h is missing" >&2; exit 1; }

defs=(-DF_CPU=16000000L -DARDUINO=10807 -DARDUINO_AVR_UNO -DARDUINO_ARCH_AVR)
if [ -n "${NODE_ID:-}" ]; then
  # The id goes into every HELLO: hold it to the protocol's id shape here, not on the wire.
  [[ $NODE_ID =~ ^[A-Za-z0-9_-]{1,16}$ ]] || { echo "NODE_ID must be 1-16 of A-Z a-z 0-9 _ -: $NODE_ID" >&2; exit 1; }
  defs+=("-DNODE_ID=\"$NODE_ID\"")
fi
if [ -n "${REPORT_MS:-}" ]; then
  [[ $REPORT_MS =~ ^[0-9]+$ ]] || { echo "REPORT_MS must be a number of milliseconds: $REPORT_MS" >&2; exit 1; }
  defs+=("-DREPORT_MS=${REPORT_MS}UL")
fi
# shellcheck disable=SC2206 # word splitting of EXTRA_DEFINES is the point
defs+=(${EXTRA_DEFINES:-})

incs=(-I"$avr/cores/arduino" -I"$avr/variants/standard" -I"$sketch")
common=(-mmcu=atmega328p -Os -g -Wall -ffunction-sections -fdata-sections "${defs[@]}" "${incs[@]}")
cflags=(-std=gnu11 "${common[@]}")
# Debian's gcc-avr 5.4 does not define DECIMAL_DIG in C++11, which WString.cpp needs.
cxxflags=(-std=gnu++11 -fno-exceptions -fno-threadsafe-statics -DDECIMAL_DIG=__DECIMAL_DIG__ "${common[@]}")

obj=$out/obj
rm -rf "$obj"
mkdir -p "$obj"
objs=()
# Compiles in the background, two at a time (the machines have two cores).
compile() {
  local src=$1 o=$obj/$(basename "$1").o
  objs+=("$o")
  case $src in
    *.c) avr-gcc "${cflags[@]}" -c "$src" -o "$o" & ;;
    *.cpp) avr-g++ "${cxxflags[@]}" -c "$src" -o "$o" & ;;
    *.S) avr-gcc -x assembler-with-cpp "${common[@]}" -c "$src" -o "$o" & ;;
    # The sketch is plain C++ (it includes Arduino.h and declares before use): no IDE preprocessing.
    *.ino) avr-g++ -x c++ "${cxxflags[@]}" -c "$src" -o "$o" & ;;
  esac
  if [ $((${#objs[@]} % 2)) -eq 0 ]; then wait_all; fi
}
wait_all() {
  local pid
  for pid in $(jobs -p); do wait "$pid"; done
}

compile "$sketch/tongxin-node.ino"
for src in "$avr"/cores/arduino/*.c "$avr"/cores/arduino/*.cpp "$avr"/cores/arduino/*.S; do
  compile "$src"
done
wait_all

# The core goes in as an archive, as the IDE does it: only the parts the sketch uses are linked
# (Tone.cpp's timer interrupt, for one, stays out).
sketch_obj=${objs[0]}
avr-ar rcs "$obj/core.a" "${objs[@]:1}"
avr-gcc -mmcu=atmega328p -Os -Wl,--gc-sections -o "$out/tongxin-node.elf" "$sketch_obj" "$obj/core.a" -lm
avr-objcopy -O ihex -R .eeprom "$out/tongxin-node.elf" "$out/tongxin-node.hex"
avr-size --mcu=atmega328p -C "$out/tongxin-node.elf"
