// beam_pair.h: which way a person went through a door, from two IR break-beams (outer, inner).
// The rules are the Firmata link's too (firmware-bridge/src/firmata/beam-pair.ts), so that a door
// counts alike whichever firmware drives it:
//
// - A passage begins when a beam breaks while both were clear; that beam is the first.
// - If the other beam breaks before both are clear again, the passage counts once both are clear:
//   outer first = in, inner first = out. Breaking one beam and stepping back counts nothing.
// - A beam broken for longer than `stuck_ms` (a bag left in the door, a misaligned beam) voids the
//   passage in progress; nothing counts until both beams are clear again.
// - Both beams breaking in the same instant from clear gives no direction: that passage is void too.
#pragma once
#include <stdint.h>

enum Passage : int8_t { PASSAGE_OUT = -1, PASSAGE_NONE = 0, PASSAGE_IN = 1 };

// One beam input that changes state only after it has read the same for `ms` milliseconds, so a
// flicker of the receiver (sunlight, a swinging bag strap) is not a person.
struct Debounced {
  uint8_t stable;   // 1 = broken
  uint8_t pending;  // a different reading is being timed
  uint16_t since;   // low 16 bits of millis() when it was first seen: enough for a few ms

  bool update(bool raw, uint16_t now, uint16_t ms) {
    if (raw == (bool)stable) {
      pending = 0;
    } else if (!pending) {
      pending = 1;
      since = now;
    } else if ((uint16_t)(now - since) >= ms) {
      stable = raw;
      pending = 0;
    }
    return stable;
  }
};

struct BeamPair {
  enum : uint8_t { OUTER = 0, INNER = 1, NONE = 2 };
  Debounced beam[2];
  unsigned long broken_at[2];  // millis() when each beam broke; meaningful while it is broken
  uint8_t first = NONE;        // the beam that began the passage in progress
  bool crossed = false;        // the other beam has broken too
  bool voided = false;         // wait for both clear, count nothing

  // Feed the raw beam states (true = broken) on every pass of the loop.
  Passage update(bool outer_raw, bool inner_raw, unsigned long now, uint16_t debounce_ms, unsigned long stuck_ms) {
    const bool was[2] = {(bool)beam[OUTER].stable, (bool)beam[INNER].stable};
    const bool is[2] = {beam[OUTER].update(outer_raw, (uint16_t)now, debounce_ms),
                        beam[INNER].update(inner_raw, (uint16_t)now, debounce_ms)};

    for (uint8_t b = 0; b < 2; b++)
      if (was[b] && is[b] && now - broken_at[b] > stuck_ms) voided = true;
    if (!was[OUTER] && !was[INNER] && is[OUTER] && is[INNER]) voided = true;
    for (uint8_t b = 0; b < 2; b++) {
      if (!is[b] || was[b]) continue;
      broken_at[b] = now;
      if (voided) continue;
      if (first == NONE) first = b;
      else if (b != first) crossed = true;
    }

    if (is[OUTER] || is[INNER] || !(was[OUTER] || was[INNER])) return PASSAGE_NONE;
    // Both beams have just become clear: the passage (if any) is over.
    Passage p = PASSAGE_NONE;
    if (!voided && crossed) p = first == OUTER ? PASSAGE_IN : PASSAGE_OUT;
    first = NONE;
    crossed = voided = false;
    return p;
  }
};
