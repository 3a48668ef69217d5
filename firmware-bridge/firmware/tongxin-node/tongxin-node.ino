// tongxin-node: the firmware of a Tongxin sensor/actuator node (ATmega328P: Uno, Nano) speaking
// line protocol v1 (firmware-bridge/PROTOCOL.md) over the serial port at 57600 baud.
//
// Soil probes, ultrasonic bin levels, door break-beams and relays: the pin plan is in pins.h.
// The loop never waits for the line or for a timer; its longest step is one ultrasonic measurement
// (at most ECHO_TIMEOUT_US), so commands are answered well within the protocol's 100 ms.
//
// This file is plain C++ (it includes Arduino.h and declares before use), so that it builds with
// avr-g++ alone: see ../build.sh.
#include <Arduino.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "beam_pair.h"
#include "pins.h"
#include "tongxin_proto.h"

#ifndef NODE_ID
#define NODE_ID "node-1"
#endif
#ifndef REPORT_MS
#define REPORT_MS 2000UL
#endif
#define FIRMWARE_VERSION "1.0.0"
#define BAUD 57600

static const unsigned long HEARTBEAT_MS = 1000;
// An HC-SR04 answers within 25 ms for anything up to ~4 m; no echo by then is a fault, not a reading.
static const unsigned long ECHO_TIMEOUT_US = 25000;
static const uint8_t SOIL_SAMPLES = 4;
static const uint16_t BEAM_DEBOUNCE_MS = 5;
// Longer than anyone takes through a door: a beam broken this long is blocked, not a person.
static const unsigned long BEAM_STUCK_MS = 10000;
// A noisy line must not turn into a flood of error frames: at most one framing error per interval,
// and a sensor that stays faulty is reported when it breaks and then only now and then.
static const unsigned long FRAMING_ERROR_GAP_MS = 500;
static const unsigned long SENSOR_FAULT_REPEAT_MS = 10000;

static tx_reader reader;
static uint16_t seq;  // one counter for R and B frames, wrapping at 65535 like the protocol's

static bool relay_on[RELAY_COUNT];
// The last command applied per relay, so that a retry (same cmd, same state) is acked, not re-run.
static uint16_t last_cmd[RELAY_COUNT];
static bool last_cmd_state[RELAY_COUNT];

static BeamPair doors[DOOR_COUNT];

// Readings still to take in this report round: bits 0-3 soil, 4-5 ultrasonic, one per loop pass.
static uint8_t pending_readings;
static const uint8_t ALL_READINGS = (1 << (SOIL_COUNT + SONAR_COUNT)) - 1;

static unsigned long next_beat, next_report, last_framing_error;
static bool framing_error_sent;
static bool sonar_faulty[SONAR_COUNT];
static unsigned long sonar_fault_sent[SONAR_COUNT];

// ---- sending -----------------------------------------------------------------------------------

// Frames a body (a format string kept in flash) and writes it. The body is built in the line buffer
// and framed in place: one buffer on the stack, not two. Serial.write only waits when its 64-byte
// buffer is full, which at 57600 baud is a few ms at worst.
static void sendf(const char *fmt_P, ...) {
  char line[TX_MAX_LINE + 1];
  va_list ap;
  va_start(ap, fmt_P);
  vsnprintf_P(line, sizeof line, fmt_P, ap);
  va_end(ap);
  size_t n = tx_frame(line, sizeof line, line);
  if (n) Serial.write((const uint8_t *)line, n);
}

static void send_relay_state(uint8_t ch) {
  sendf(PSTR("S,r%u,%S"), ch, relay_on[ch] ? PSTR("on") : PSTR("off"));
}

static void send_hello() {
  sendf(PSTR("H,1,%S,%S"), PSTR(NODE_ID), PSTR(FIRMWARE_VERSION));
  for (uint8_t ch = 0; ch < RELAY_COUNT; ch++) send_relay_state(ch);
}

// ---- commands from the bridge --------------------------------------------------------------------

// A command number: 1-65535 in plain digits, or 0 when it is not one.
static uint16_t parse_cmd(const char *s) {
  uint32_t v = 0;
  uint8_t digits = 0;
  for (; *s; s++, digits++) {
    if (*s < '0' || *s > '9' || digits == 5) return 0;
    v = v * 10 + (uint8_t)(*s - '0');
  }
  return v <= 65535 ? (uint16_t)v : 0;
}

// "r0".."r3" → 0..3, anything else → -1.
static int8_t relay_channel(const char *s) {
  if (s[0] != 'r' || s[1] < '0' || s[1] >= (char)('0' + RELAY_COUNT) || s[2]) return -1;
  return s[1] - '0';
}

static void on_command(char **f, int n) {
  uint16_t cmd = n >= 2 ? parse_cmd(f[1]) : 0;
  if (!cmd) {
    // Without a command number there is nothing to refuse by number: report the frame instead.
    sendf(PSTR("E,bad-field,C"));
    return;
  }
  if (n != 4) {
    sendf(PSTR("N,%u,bad-field"), cmd);
    return;
  }
  int8_t ch = relay_channel(f[2]);
  if (ch < 0) {
    sendf(PSTR("N,%u,unknown-channel"), cmd);
    return;
  }
  bool on;
  if (strcmp_P(f[3], PSTR("on")) == 0) on = true;
  else if (strcmp_P(f[3], PSTR("off")) == 0) on = false;
  else {
    sendf(PSTR("N,%u,bad-state"), cmd);
    return;
  }
  // A retry carries the same number and state; a bridge that restarted may reuse a number, but
  // then for what it wants now, which the state tells apart.
  if (!(last_cmd[ch] == cmd && last_cmd_state[ch] == on)) {
    relay_on[ch] = on;
    digitalWrite(RELAY_PIN[ch], on ? HIGH : LOW);
    last_cmd[ch] = cmd;
    last_cmd_state[ch] = on;
  }
  sendf(PSTR("A,%u,r%u,%S"), cmd, ch, relay_on[ch] ? PSTR("on") : PSTR("off"));
}

static void on_line(char *body) {
  char *f[5];
  int n = tx_split(body, f, 5);
  if (n < 1) {
    // More fields than any frame we take. The type is still the body's first field.
    if ((body[0] == 'Q' || body[0] == 'C') && (body[1] == ',' || body[1] == 0)) sendf(PSTR("E,bad-field,%c"), body[0]);
    return;
  }
  if (strcmp_P(f[0], PSTR("Q")) == 0) {
    if (n == 1) send_hello();
    else sendf(PSTR("E,bad-field,Q"));
  } else if (strcmp_P(f[0], PSTR("C")) == 0) {
    on_command(f, n);
  }
  // Other types are for a newer node: the protocol says ignore them.
}

static void on_framing_error(int code) {
  unsigned long now = millis();
  if (framing_error_sent && now - last_framing_error < FRAMING_ERROR_GAP_MS) return;
  framing_error_sent = true;
  last_framing_error = now;
  sendf(PSTR("E,%s,"), tx_error_name(code));
}

static void read_serial() {
  while (Serial.available() > 0) {
    int r = tx_reader_push(&reader, (char)Serial.read());
    if (r == TX_LINE) on_line(reader.buf);
    else if (r < 0) on_framing_error(r);
  }
}

// ---- sensors -------------------------------------------------------------------------------------

static void report_soil(uint8_t i) {
  uint16_t sum = 0;
  for (uint8_t s = 0; s < SOIL_SAMPLES; s++) sum += analogRead(SOIL_PIN[i]);
  sendf(PSTR("R,%u,m%u,%u"), seq++, i, (sum + SOIL_SAMPLES / 2) / SOIL_SAMPLES);
}

static void report_sonar(uint8_t i) {
  digitalWrite(SONAR_TRIG[i], LOW);
  delayMicroseconds(2);
  digitalWrite(SONAR_TRIG[i], HIGH);
  delayMicroseconds(10);
  digitalWrite(SONAR_TRIG[i], LOW);
  // pulseInLong times with micros(), so serial interrupts during the echo do not shorten it
  // (pulseIn counts loop turns and would).
  unsigned long us = pulseInLong(SONAR_ECHO[i], HIGH, ECHO_TIMEOUT_US);
  unsigned long now = millis();
  if (us == 0) {
    if (!sonar_faulty[i] || now - sonar_fault_sent[i] >= SENSOR_FAULT_REPEAT_MS) {
      sendf(PSTR("E,sensor-fault,u%u"), i);
      sonar_fault_sent[i] = now;
    }
    sonar_faulty[i] = true;
    return;
  }
  sonar_faulty[i] = false;
  // Sound goes there and back: 58 us of echo per cm. Tenths, rounded, without floating point.
  unsigned long tenths = (us * 10 + 29) / 58;
  sendf(PSTR("R,%u,u%u,%lu.%lu"), seq++, i, tenths / 10, tenths % 10);
}

// One reading per loop pass, and only when the serial buffer has room for it, so a report round
// never holds up the beams or the command reader.
static void take_next_reading() {
  if (!pending_readings || Serial.availableForWrite() < 32) return;
  uint8_t i = 0;
  while (!(pending_readings & (1 << i))) i++;
  pending_readings &= ~(1 << i);
  if (i < SOIL_COUNT) report_soil(i);
  else report_sonar(i - SOIL_COUNT);
}

static void watch_doors() {
  unsigned long now = millis();
  for (uint8_t d = 0; d < DOOR_COUNT; d++) {
    bool outer = digitalRead(DOOR_OUTER[d]) == LOW, inner = digitalRead(DOOR_INNER[d]) == LOW;
    Passage p = doors[d].update(outer, inner, now, BEAM_DEBOUNCE_MS, BEAM_STUCK_MS);
    if (p != PASSAGE_NONE) sendf(PSTR("R,%u,f%u%S,1"), seq++, d, p == PASSAGE_IN ? PSTR("in") : PSTR("out"));
  }
}

// ---- Arduino entry points ------------------------------------------------------------------------

void setup() {
  // Relays first: a lid or a valve must not move while the rest starts up.
  for (uint8_t ch = 0; ch < RELAY_COUNT; ch++) {
    digitalWrite(RELAY_PIN[ch], LOW);
    pinMode(RELAY_PIN[ch], OUTPUT);
  }
  for (uint8_t i = 0; i < SONAR_COUNT; i++) {
    digitalWrite(SONAR_TRIG[i], LOW);
    pinMode(SONAR_TRIG[i], OUTPUT);
    pinMode(SONAR_ECHO[i], INPUT);
  }
  for (uint8_t d = 0; d < DOOR_COUNT; d++) {
    pinMode(DOOR_OUTER[d], INPUT_PULLUP);
    pinMode(DOOR_INNER[d], INPUT_PULLUP);
  }
  pinMode(ALIVE_LED, OUTPUT);

  tx_reader_init(&reader);
  Serial.begin(BAUD);
  send_hello();
  unsigned long now = millis();
  next_beat = now + HEARTBEAT_MS;
  next_report = now;
}

void loop() {
  unsigned long now = millis();
  read_serial();
  watch_doors();

  if ((long)(now - next_beat) >= 0) {
    sendf(PSTR("B,%u,%lu"), seq++, now / 1000);
    digitalWrite(ALIVE_LED, !digitalRead(ALIVE_LED));
    // After a stall, beat once and go on rather than send a burst of catch-up heartbeats.
    next_beat = (long)(now - next_beat) >= (long)HEARTBEAT_MS ? now + HEARTBEAT_MS : next_beat + HEARTBEAT_MS;
  }
  if ((long)(now - next_report) >= 0) {
    pending_readings = ALL_READINGS;
    next_report = (long)(now - next_report) >= (long)REPORT_MS ? now + REPORT_MS : next_report + REPORT_MS;
  }
  take_next_reading();
}
