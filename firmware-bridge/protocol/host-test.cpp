// Host test of the node's protocol header against the shared vectors (vectors.txt, format at its top).
//
//   g++ -std=c++11 -Wall -Wextra -Werror -I../firmware/tongxin-node host-test.cpp -o host-test
//   ./host-test vectors.txt
//
// Each vector's input is fed byte by byte through a fresh tx_reader and through one reader shared by
// all vectors (so a bad line can never spoil the next); good lines are split with tx_split and framed
// again with tx_frame. A few API edges the vectors cannot express are checked after them. Prints one
// line per failure and a summary; exits 0 only if everything passed.
#include "tongxin_proto.h"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

static int failures = 0;

static void fail(const std::string &name, const std::string &what) {
  failures++;
  std::printf("FAIL %s: %s\n", name.c_str(), what.c_str());
}

static std::vector<std::string> split(const std::string &s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  for (;;) {
    size_t at = s.find(sep, start);
    out.push_back(s.substr(start, at == std::string::npos ? std::string::npos : at - start));
    if (at == std::string::npos) return out;
    start = at + 1;
  }
}

static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The file's escapes: \n \r \t \\ \xHH. Anything else after a backslash is a broken vector file.
static bool unescape(const std::string &s, std::string &out) {
  out.clear();
  for (size_t i = 0; i < s.size(); i++) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    if (++i >= s.size()) return false;
    switch (s[i]) {
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case '\\': out += '\\'; break;
      case 'x': {
        if (i + 2 >= s.size()) return false;
        int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
        if (hi < 0 || lo < 0) return false;
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        break;
      }
      default: return false;
    }
  }
  return true;
}

static std::string outcome_name(int code) {
  if (code == TX_LINE) return "line";
  if (code == TX_NONE) return "none";
  const char *name = tx_error_name(code);
  return name[0] ? name : "code " + std::to_string(code);
}

// The input without its '\r' (before the final '\n'): what tx_frame(body) must write.
static std::string without_cr(const std::string &input) {
  std::string s = input;
  if (s.size() >= 2 && s[s.size() - 2] == '\r') s.erase(s.size() - 2, 1);
  return s;
}

static void check_line(const std::string &name, tx_reader &r, const std::string &input, const std::string &framing, const std::string &fields_col,
                       const char *which) {
  int last = TX_NONE;
  for (size_t i = 0; i < input.size(); i++) {
    int got = tx_reader_push(&r, input[i]);
    if (i + 1 < input.size() && got != TX_NONE) return fail(name, std::string(which) + ": outcome before the '\\n': " + outcome_name(got));
    last = got;
  }
  if (outcome_name(last) != framing) return fail(name, std::string(which) + ": framing " + outcome_name(last) + ", expected " + framing);
  if (last != TX_LINE) return;
  std::string body = r.buf;
  char framed[TX_MAX_LINE + 1];
  size_t n = tx_frame(framed, sizeof framed, body.c_str());
  if (n == 0 || std::string(framed, n) != without_cr(input) || framed[n] != '\0') fail(name, std::string(which) + ": tx_frame(body) gave " + std::string(framed, n));
  char *fields[8];
  int count = tx_split(r.buf, fields, 8);
  std::vector<std::string> want = split(fields_col, '|');
  if (count != static_cast<int>(want.size())) return fail(name, std::string(which) + ": tx_split gave " + std::to_string(count) + " fields");
  for (int i = 0; i < count; i++) {
    std::string w;
    if (!unescape(want[static_cast<size_t>(i)], w)) return fail(name, "bad escape in fields column");
    if (w != fields[i]) fail(name, std::string(which) + ": field " + std::to_string(i) + " is '" + fields[i] + "', expected '" + w + "'");
  }
}

// Edges of the API that no single input line shows.
static int check_api() {
  int checks = 0;
  char out[TX_MAX_LINE + 1];
  std::string body90(90, 'a'), body91(91, 'a');
  body90[0] = body91[0] = 'X';
  checks++;
  if (tx_frame(out, sizeof out, body90.c_str()) != 96 || out[95] != '\n' || out[96] != '\0') fail("api", "a 90-byte body makes a 96-byte line");
  checks++;
  if (tx_frame(out, sizeof out, body91.c_str()) != 0) fail("api", "a 91-byte body would make 97 bytes: must return 0");
  checks++;
  if (tx_frame(out, 11, "A,1,r0,on") != 0 || tx_frame(out, 16, "A,1,r0,on") != 15) fail("api", "cap counts the NUL: 15 bytes + NUL need 16");
  checks++;
  if (tx_frame(out, sizeof out, "Q\nQ") != 0 || tx_frame(out, sizeof out, "E,x,caf\xC3\xA9") != 0 || tx_frame(out, sizeof out, "E,x,\r") != 0)
    fail("api", "a body with a byte outside 0x20-0x7E is refused");
  checks++;
  std::strcpy(out, "B,1,3");
  if (tx_frame(out, sizeof out, out) != 11 || std::strcmp(out, "B,1,3*8BB5\n") != 0) fail("api", "framing in place");
  checks++;
  char body[] = "A,1,r0,on";
  char *fields[4];
  if (tx_split(body, fields, 3) != -1) fail("api", "tx_split returns -1 past max fields");
  checks++;
  char one[] = "Q";
  if (tx_split(one, fields, 1) != 1 || std::strcmp(fields[0], "Q") != 0) fail("api", "one field fits max 1");
  checks++;
  if (std::strcmp(tx_error_name(TX_ERR_TOO_LONG), "too-long") != 0 || std::strcmp(tx_error_name(TX_ERR_BAD_CHAR), "bad-char") != 0 ||
      std::strcmp(tx_error_name(TX_ERR_NO_CRC), "no-crc") != 0 || std::strcmp(tx_error_name(TX_ERR_BAD_CRC), "bad-crc") != 0 ||
      std::strcmp(tx_error_name(TX_LINE), "") != 0)
    fail("api", "tx_error_name");
  checks++;
  // A line that never ends costs nothing: 10,000 bytes, then one too-long at the '\n', then a good line.
  tx_reader r;
  tx_reader_init(&r);
  int early = 0;
  for (int i = 0; i < 10000; i++) early |= tx_reader_push(&r, 'a');
  const char *next = "\nQ*AB24\n";
  int results[8] = {0};
  for (int i = 0; next[i]; i++) results[i] = tx_reader_push(&r, next[i]);
  if (early != TX_NONE || results[0] != TX_ERR_TOO_LONG || results[7] != TX_LINE || std::strcmp(r.buf, "Q") != 0) fail("api", "endless line, then resync");
  return checks;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s vectors.txt\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "cannot read %s\n", argv[1]);
    return 2;
  }
  int vectors = 0, crcs = 0, lines = 0;
  tx_reader shared;
  tx_reader_init(&shared);
  std::string row;
  while (std::getline(in, row)) {
    if (row.empty() || row[0] == '#') continue;
    std::vector<std::string> col = split(row, '\t');
    vectors++;
    std::string name = col.size() > 1 ? col[1] : "?";
    if (col[0] == "crc" && col.size() == 4) {
      crcs++;
      std::string data;
      if (!unescape(col[2], data)) {
        fail(name, "bad escape");
        continue;
      }
      char hex[5];
      std::snprintf(hex, sizeof hex, "%04X", tx_crc16(data.data(), data.size()));
      if (col[3] != hex) fail(name, std::string("tx_crc16 gave ") + hex + ", expected " + col[3]);
    } else if (col[0] == "vec" && col.size() == 7) {
      lines++;
      std::string input;
      if (!unescape(col[2], input)) {
        fail(name, "bad escape");
        continue;
      }
      tx_reader fresh;
      tx_reader_init(&fresh);
      check_line(name, fresh, input, col[3], col[4], "fresh reader");
      check_line(name, shared, input, col[3], col[4], "shared reader");
    } else {
      fail(name, "malformed record: " + row.substr(0, 60));
    }
  }
  int api = check_api();
  std::printf("host-test: %d vectors checked (%d crc, %d lines), %d api checks, %d failed\n", vectors, crcs, lines, api, failures);
  return failures == 0 && vectors > 0 ? 0 : 1;
}
