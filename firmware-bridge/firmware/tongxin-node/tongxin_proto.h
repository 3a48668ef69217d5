/*
 * tongxin_proto.h - the node's side of the Tongxin line protocol, version 1
 * (firmware-bridge/PROTOCOL.md): framing only, `<body>*HHHH\n` with a CRC-16/CCITT-FALSE.
 *
 * Header-only C99 that is also valid C++ (avr-g++ 5.4, host g++): every function is static inline,
 * nothing is allocated, nothing is printed. RAM cost is one tx_reader (99 bytes) and whatever output
 * buffer the sketch owns. The fields of a body are the sketch's business (tx_split hands them over);
 * the bridge's TypeScript decoder checks their grammar, and both are tested against
 * firmware-bridge/protocol/vectors.txt.
 */
#ifndef TONGXIN_PROTO_H
#define TONGXIN_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Bytes in a line, counting everything up to and including the '\n' (a '\r' counts too). */
#define TX_MAX_LINE 96

enum { TX_NONE = 0, TX_LINE = 1, TX_ERR_TOO_LONG = -1, TX_ERR_BAD_CHAR = -2, TX_ERR_NO_CRC = -3, TX_ERR_BAD_CRC = -4 };

/* tx_reader.flags: what the current line has shown so far. */
enum { TX_F_TOO_LONG = 1, TX_F_BAD_CHAR = 2, TX_F_CR = 4 };

/* CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, no final XOR. "123456789" -> 0x29B1.
 * Bit by bit: no 512-byte table in RAM, and at 57600 baud the MCU has time to spare. */
static inline uint16_t tx_crc16(const char *data, size_t len) {
  uint16_t crc = 0xFFFF;
  while (len--) {
    crc ^= (uint16_t)((uint16_t)(uint8_t)*data++ << 8);
    for (uint8_t bit = 0; bit < 8; bit++) crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
  }
  return crc;
}

/* Upper-case only: the wire form is exactly four upper-case hex digits. No lookup table (RAM). */
static inline char tx__hex_digit(uint8_t v) {
  return (char)(v < 10 ? '0' + v : 'A' + (v - 10));
}

/* 0-15, or -1 for anything but '0'-'9' and 'A'-'F' (lower case is not the wire form: no-crc). */
static inline int tx__hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/*
 * Writes "<body>*HHHH\n" and a NUL into out; returns the length without the NUL. Returns 0 (and
 * writes nothing) when the line would not fit in cap, would exceed TX_MAX_LINE, or when body holds a
 * byte outside 0x20-0x7E (a '\n' in a body would forge a second line). The fields are not judged here,
 * as the reader does not judge them. out may be body itself: build the body in the output buffer and
 * frame it in place.
 */
static inline size_t tx_frame(char *out, size_t cap, const char *body) {
  size_t len = strlen(body);
  size_t total = len + 6; /* '*', four hex digits, '\n' */
  if (total > TX_MAX_LINE || total + 1 > cap) return 0;
  for (size_t i = 0; i < len; i++) {
    uint8_t b = (uint8_t)body[i];
    if (b < 0x20 || b > 0x7E) return 0;
  }
  uint16_t crc = tx_crc16(body, len);
  memmove(out, body, len);
  out[len] = '*';
  for (uint8_t i = 0; i < 4; i++) out[len + 1 + i] = tx__hex_digit((uint8_t)((crc >> (12 - 4 * i)) & 0x0F));
  out[len + 5] = '\n';
  out[len + 6] = '\0';
  return total;
}

typedef struct {
  char buf[TX_MAX_LINE + 1];
  uint8_t len;
  uint8_t flags;
} tx_reader;

static inline void tx_reader_init(tx_reader *r) {
  r->len = 0;
  r->flags = 0;
  r->buf[0] = '\0';
}

/* The line has ended: judge it, leave a verified body NUL-terminated in r->buf, start the next one. */
static inline int tx__end_line(tx_reader *r) {
  uint8_t len = r->len;
  uint8_t flags = r->flags;
  r->len = 0;
  r->flags = 0;
  if (flags & TX_F_TOO_LONG) return TX_ERR_TOO_LONG;
  if (flags & TX_F_BAD_CHAR) return TX_ERR_BAD_CHAR;
  if (flags & TX_F_CR) len--; /* the '\r' just before the '\n' */
  if (len == 0) return TX_NONE; /* an empty line, or a bare "\r\n": ignored */
  if (len < 5 || r->buf[len - 5] != '*') return TX_ERR_NO_CRC;
  uint16_t crc = 0;
  for (uint8_t i = len - 4; i < len; i++) {
    int v = tx__hex_value(r->buf[i]);
    if (v < 0) return TX_ERR_NO_CRC;
    crc = (uint16_t)((crc << 4) | (uint16_t)v);
  }
  len = (uint8_t)(len - 5);
  if (tx_crc16(r->buf, len) != crc) return TX_ERR_BAD_CRC;
  r->buf[len] = '\0';
  return TX_LINE;
}

/*
 * Feeds one byte. Returns TX_NONE while a line is incomplete (and for an empty line); at the '\n',
 * TX_LINE when r->buf holds a verified body (NUL-terminated, "*HHHH" and '\r' stripped; valid until
 * the next push), or one TX_ERR_* for the whole bad line. At most TX_MAX_LINE - 1 bytes are kept: a
 * longer line is dropped up to its '\n' (too-long wins over bad-char: the rest was never looked at).
 */
static inline int tx_reader_push(tx_reader *r, char c) {
  uint8_t b = (uint8_t)c;
  if (b == '\n') return tx__end_line(r);
  if (r->flags & TX_F_TOO_LONG) return TX_NONE;
  /* A '\r' is only allowed just before the '\n': one followed by anything else is a bad char. */
  if (r->flags & TX_F_CR) r->flags = (uint8_t)((r->flags & ~TX_F_CR) | TX_F_BAD_CHAR);
  if (r->len >= TX_MAX_LINE - 1) {
    r->flags |= TX_F_TOO_LONG;
    return TX_NONE;
  }
  if (b == '\r') r->flags |= TX_F_CR;
  else if (b < 0x20 || b > 0x7E) r->flags |= TX_F_BAD_CHAR;
  r->buf[r->len++] = (char)b;
  return TX_NONE;
}

/*
 * Splits a body in place at ',' (each ',' becomes a NUL). Returns the field count (an empty body is
 * one empty field), or -1 when there are more than max fields (the body is then partly split).
 */
static inline int tx_split(char *body, char **fields, int max) {
  int n = 0;
  char *p = body;
  for (;;) {
    if (n >= max) return -1;
    fields[n++] = p;
    while (*p != '\0' && *p != ',') p++;
    if (*p == '\0') return n;
    *p++ = '\0';
  }
}

/* The protocol's name of a reader error, for an E frame; "" for a code that is not an error. */
static inline const char *tx_error_name(int code) {
  switch (code) {
    case TX_ERR_TOO_LONG: return "too-long";
    case TX_ERR_BAD_CHAR: return "bad-char";
    case TX_ERR_NO_CRC: return "no-crc";
    case TX_ERR_BAD_CRC: return "bad-crc";
    default: return "";
  }
}

#endif /* TONGXIN_PROTO_H */
