/*
 * uno-harness: runs one ATmega328P firmware (an ELF, or an Intel HEX such as a prebuilt
 * StandardFirmata) in simavr at 16 MHz, at wall-clock speed, with UART0 on a pseudo-terminal, so
 * that tests can talk to real firmware with a real serial port and play its sensors.
 *
 *   uno-harness <firmware.elf|firmware.hex>
 *
 * stdout carries JSON lines only (everything simavr prints goes to stderr):
 *   {"pty":"/dev/pts/N"}            once, when the pty exists (open that path, never /tmp/simavr-uart0:
 *                                   every simavr run repoints that link at its own pty)
 *   {"pin":8,"value":1}             an output pin (Arduino number) changed, or became an output
 * stdin takes one command a line:
 *   adc <0-7> <millivolts>          set an analog input
 *   pin <0-19> <0|1>                drive a digital input (it stays driven, pull-ups no longer win)
 *   echo <trig> <echo> <us>         answer each trigger pulse (falling edge) on <trig> with a HIGH pulse
 *                                   of <us> microseconds on <echo>, like an HC-SR04; 0 = never answer
 *   quit
 * It exits when stdin closes (uart_pty_stop hangs, so it never tears the pty down politely).
 */
#define _GNU_SOURCE /* ppoll */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "sim_avr.h"
#include "sim_elf.h"
#include "sim_hex.h"
#include "sim_io.h"
#include "avr_ioport.h"
#include "avr_adc.h"
#include "uart_pty.h"

#define FREQ 16000000u
#define NPINS 20
#define ECHO_DELAY_US 150 /* an HC-SR04 sends its burst before it raises echo */
#define MAX_ECHOES 4

static avr_t *avr;
static uart_pty_t uart;
static FILE *out;              /* the real stdout: JSON lines only */
static int reported[NPINS];    /* last value reported per output pin, -1 = never */
static const char PORTS[3] = {'D', 'B', 'C'}; /* D0-7 = PD0-7, D8-13 = PB0-5, D14-19 = PC0-5 */
static const int BASE[3] = {0, 8, 14};
static avr_ioport_external_t ext[3]; /* inputs we drive, so a PORT write's pull-up does not undo them */

struct echo { int trig, echo; unsigned us; };
static struct echo echoes[MAX_ECHOES];
static int nechoes;

static int port_of(int pin) { return pin < 8 ? 0 : pin < 14 ? 1 : 2; }
static int bit_of(int pin) { return pin - BASE[port_of(pin)]; }

static void report(int pin, int v) {
	if (reported[pin] == v) return;
	reported[pin] = v;
	fprintf(out, "{\"pin\":%d,\"value\":%d}\n", pin, v);
	fflush(out);
}

static void drive(int pin, int v) {
	int p = port_of(pin), mask = 1 << bit_of(pin);
	ext[p].name = PORTS[p];
	ext[p].mask |= mask;
	ext[p].value = v ? (ext[p].value | mask) : (ext[p].value & ~mask);
	avr_ioctl(avr, AVR_IOCTL_IOPORT_SET_EXTERNAL(PORTS[p]), &ext[p]);
	avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(PORTS[p]), bit_of(pin)), v);
}

static avr_cycle_count_t echo_fall(avr_t *a, avr_cycle_count_t when, void *param) {
	drive(((struct echo *)param)->echo, 0);
	return 0;
}

static avr_cycle_count_t echo_rise(avr_t *a, avr_cycle_count_t when, void *param) {
	struct echo *e = param;
	drive(e->echo, 1);
	avr_cycle_timer_register_usec(a, e->us, echo_fall, e);
	return 0;
}

/* Any change on a pin line: ours (an input we drive) or the firmware's (an output). */
static void on_pin(avr_irq_t *irq, uint32_t value, void *param) {
	int pin = (int)(intptr_t)param, v = (value & 0xff) ? 1 : 0;
	avr_ioport_state_t st;
	if (avr_ioctl(avr, AVR_IOCTL_IOPORT_GETSTATE(PORTS[port_of(pin)]), &st) != 0) return;
	if (!(st.ddr & (1 << bit_of(pin)))) return;
	int falling = reported[pin] == 1 && v == 0;
	report(pin, v);
	for (int i = 0; falling && i < nechoes; i++)
		if (echoes[i].trig == pin && echoes[i].us > 0)
			avr_cycle_timer_register_usec(avr, ECHO_DELAY_US, echo_rise, &echoes[i]);
}

/* A pin that becomes an output is reported at once, so that "all relays off at boot" is visible. */
static void on_ddr(avr_irq_t *irq, uint32_t value, void *param) {
	int p = (int)(intptr_t)param;
	avr_ioport_state_t st;
	if (avr_ioctl(avr, AVR_IOCTL_IOPORT_GETSTATE(PORTS[p]), &st) != 0) return;
	for (int b = 0; b < 8 && BASE[p] + b < NPINS; b++)
		if (value & (1u << b)) report(BASE[p] + b, (st.port >> b) & 1);
}

static void set_echo(int trig, int echo, unsigned us) {
	struct echo *e = NULL;
	for (int i = 0; i < nechoes; i++)
		if (echoes[i].trig == trig && echoes[i].echo == echo) e = &echoes[i];
	if (!e) {
		if (nechoes == MAX_ECHOES) { fprintf(stderr, "harness: too many echo pins\n"); return; }
		e = &echoes[nechoes++];
	}
	avr_cycle_timer_cancel(avr, echo_rise, e);
	avr_cycle_timer_cancel(avr, echo_fall, e);
	e->trig = trig; e->echo = echo; e->us = us;
	drive(echo, 0);
}

static int valid_pin(int pin) { return pin >= 0 && pin < NPINS; }

static void command(char *line) {
	int a, b, c;
	if (sscanf(line, "adc %d %d", &a, &b) == 2 && a >= 0 && a < 8)
		avr_raise_irq(avr_io_getirq(avr, AVR_IOCTL_ADC_GETIRQ, ADC_IRQ_ADC0 + a), (uint32_t)b);
	else if (sscanf(line, "pin %d %d", &a, &b) == 2 && valid_pin(a))
		drive(a, b != 0);
	else if (sscanf(line, "echo %d %d %d", &a, &b, &c) == 3 && valid_pin(a) && valid_pin(b) && c >= 0)
		set_echo(a, b, (unsigned)c);
	else if (strncmp(line, "quit", 4) == 0)
		exit(0);
	else if (line[0])
		fprintf(stderr, "harness: bad command: %s\n", line);
}

/* Reads what stdin has (poll said it is readable) and runs every complete line. */
static void read_commands(void) {
	static char buf[512];
	static size_t len;
	ssize_t n = read(0, buf + len, sizeof(buf) - 1 - len);
	if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) exit(0);
	if (n < 0) return;
	len += (size_t)n;
	char *start = buf, *nl;
	while ((nl = memchr(start, '\n', len - (size_t)(start - buf)))) {
		*nl = 0;
		command(start);
		start = nl + 1;
	}
	len -= (size_t)(start - buf);
	memmove(buf, start, len);
	if (len == sizeof(buf) - 1) len = 0; /* a line this long is garbage: drop it */
}

/* An ELF keeps its sections; a HEX becomes one flash image from address 0. */
static void load(const char *path, elf_firmware_t *f) {
	size_t n = strlen(path);
	if (n > 4 && strcmp(path + n - 4, ".hex") == 0) {
		ihex_chunk_p chunks = NULL;
		int cnt = read_ihex_chunks(path, &chunks);
		if (cnt <= 0) { fprintf(stderr, "harness: cannot read %s\n", path); exit(1); }
		static uint8_t flash[32768];
		memset(flash, 0xff, sizeof flash);
		for (int i = 0; i < cnt; i++) {
			if (chunks[i].baseaddr + chunks[i].size > sizeof flash) continue; /* EEPROM, fuses */
			memcpy(flash + chunks[i].baseaddr, chunks[i].data, chunks[i].size);
			if (chunks[i].baseaddr + chunks[i].size > f->flashsize) f->flashsize = chunks[i].baseaddr + chunks[i].size;
		}
		f->flash = flash;
	} else if (elf_read_firmware(path, f) != 0) {
		fprintf(stderr, "harness: cannot read %s\n", path);
		exit(1);
	}
	strcpy(f->mmcu, "atmega328p");
	f->frequency = FREQ;
	f->vcc = f->avcc = f->aref = 5000; /* millivolts: analogRead of 2500 mV is about 512 */
}

/* uart_pty makes only its master end raw. Until a client opens the slave and sets its own modes,
 * the slave would be a canonical terminal that echoes the board's output back into its RX: make it
 * a raw line, as a USB-serial adapter is. (uart_pty keeps the slave open, so the setting stays.) */
static void raw_slave(const char *path) {
	struct termios tio;
	int fd = open(path, O_RDWR | O_NOCTTY);
	if (fd < 0 || tcgetattr(fd, &tio) != 0) { fprintf(stderr, "harness: cannot open %s: %s\n", path, strerror(errno)); exit(1); }
	cfmakeraw(&tio);
	tcsetattr(fd, TCSANOW, &tio);
	close(fd);
}

static double now(void) {
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
	if (argc != 2) { fprintf(stderr, "usage: %s <firmware.elf|firmware.hex>\n", argv[0]); return 1; }
	/* simavr and its parts print to stdout; keep stdout for our JSON and send theirs to stderr. */
	int json_fd = dup(1);
	dup2(2, 1);
	out = fdopen(json_fd, "w");

	static elf_firmware_t f;
	load(argv[1], &f);
	avr = avr_make_mcu_by_name(f.mmcu);
	if (!avr) { fprintf(stderr, "harness: simavr does not know %s\n", f.mmcu); return 1; }
	avr_init(avr);
	avr_load_firmware(avr, &f);
	avr->vcc = avr->avcc = avr->aref = 5000;

	for (int i = 0; i < NPINS; i++) reported[i] = -1;
	for (int p = 0; p < 3; p++) {
		for (int b = 0; b < 8 && BASE[p] + b < NPINS; b++)
			avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(PORTS[p]), b), on_pin,
			                        (void *)(intptr_t)(BASE[p] + b));
		avr_irq_register_notify(avr_io_getirq(avr, AVR_IOCTL_IOPORT_GETIRQ(PORTS[p]), IOPORT_IRQ_DIRECTION_ALL),
		                        on_ddr, (void *)(intptr_t)p);
	}

	uart_pty_init(avr, &uart);
	uart_pty_connect(&uart, '0');
	fflush(stdout);
	raw_slave(uart.port[0].slavename);
	fprintf(out, "{\"pty\":\"%s\"}\n", uart.port[0].slavename);
	fflush(out);

	/* Run 1 ms of AVR time at a go, then sleep (while listening to stdin) until the wall clock has
	 * caught up: unthrottled, millis() runs several times too fast. After a stall (a busy machine)
	 * the AVR does not sprint to catch up, which would bunch up its heartbeats. */
	double t0 = now();
	avr_cycle_count_t next = 0;
	struct pollfd pfd = {.fd = 0, .events = POLLIN};
	for (;;) {
		int state = avr_run(avr);
		if (state == cpu_Done || state == cpu_Crashed) {
			fprintf(stderr, "harness: firmware stopped (state %d)\n", state);
			return 2;
		}
		if (avr->cycle < next) continue;
		next = avr->cycle + FREQ / 1000;
		double ahead = (double)avr->cycle / FREQ - (now() - t0);
		if (ahead < -0.05) { t0 += -0.05 - ahead; ahead = -0.05; }
		struct timespec ts = {0, 0};
		if (ahead > 0) { ts.tv_sec = (time_t)ahead; ts.tv_nsec = (long)((ahead - (double)ts.tv_sec) * 1e9); }
		if (ppoll(&pfd, 1, &ts, NULL) > 0) read_commands();
	}
}
