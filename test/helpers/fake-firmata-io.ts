import { EventEmitter } from 'node:events';

/**
 * A fake StandardFirmata board at the IO-plugin edge: what johnny-five calls on firmata-io, with the
 * same event names and pin bookkeeping (node_modules/firmata-io/lib/firmata.js), so the link under
 * test runs the real johnny-five components. Named "Mock" as johnny-five's own mock is: johnny-five
 * then numbers pins as on a Firmata board ("A0" is analog channel 0). An Uno: pins 0–19, A0–A5 at
 * 14–19. Inputs are reported when they change and when reporting is switched on (as StandardFirmata
 * does for digital ports); queries are answered on a later turn, as a board over a wire would.
 */
const MODES = { INPUT: 0, OUTPUT: 1, ANALOG: 2, PWM: 3, SERVO: 4, PULLUP: 11, PING_READ: 0x75 } as const;
const PWM_PINS = new Set([3, 5, 6, 9, 10, 11]);

export interface FakePin {
  supportedModes: number[];
  mode: number;
  value: number;
  state?: number;
  report: number;
  analogChannel: number;
}

export interface FakeFirmataOptions {
  /** Become ready by itself after this many ms (as a board does after its handshake). */
  readyAfterMs?: number;
  /** Pins that also support PING_READ, as with PingFirmata (for HC-SR04). */
  pingPins?: number[];
}

export class FakeFirmataIo extends EventEmitter {
  readonly name = 'Mock';
  isReady = false;
  readonly MODES = MODES;
  readonly HIGH = 1;
  readonly LOW = 0;
  readonly RESOLUTION = { ADC: 1023, DAC: null, PWM: 255 };
  readonly analogPins = [14, 15, 16, 17, 18, 19];
  readonly pins: FakePin[];
  /** Every write from the host, in order. */
  readonly writes: { op: 'pinMode' | 'digitalWrite' | 'servoWrite' | 'analogWrite'; pin: number; value: number }[] = [];
  /** `true`: the board stops answering anything (hung); inputs are no longer reported. */
  hung = false;
  /** How the board answers pin-state queries: truthfully, never, or with a different state. */
  pinStateAnswers: 'truth' | 'never' | 'wrong' = 'truth';
  private readonly inputs = new Map<number, number>();
  private readonly analog = new Map<number, number>();
  private readonly echoes = new Map<number, number>();
  private readyTimer: NodeJS.Timeout | undefined;

  constructor(opts: FakeFirmataOptions = {}) {
    super();
    this.setMaxListeners(100);
    this.pins = Array.from({ length: 20 }, (_, pin) => {
      const analog = pin >= 14;
      const digital = pin >= 2;
      const supportedModes: number[] = !digital ? [] : [MODES.INPUT, MODES.OUTPUT, MODES.SERVO, MODES.PULLUP];
      if (PWM_PINS.has(pin)) supportedModes.push(MODES.PWM);
      if (analog) supportedModes.push(MODES.ANALOG);
      if (opts.pingPins?.includes(pin)) supportedModes.push(MODES.PING_READ);
      return { supportedModes, mode: analog ? MODES.ANALOG : MODES.OUTPUT, value: 0, report: 0, analogChannel: analog ? pin - 14 : 127 };
    });
    if (opts.readyAfterMs !== undefined) this.readyTimer = setTimeout(() => this.becomeReady(), opts.readyAfterMs);
  }

  // ---- the IO plugin surface johnny-five uses ----

  pinMode(pin: number, mode: number): void {
    this.writes.push({ op: 'pinMode', pin, value: mode });
    // firmata-io: ANALOG mode takes an analog channel number, every other mode a pin number.
    const p = mode === MODES.ANALOG ? this.pins[this.analogPins[pin] ?? -1] : this.pins[pin];
    if (!p) throw new Error(`fake firmata: no pin ${pin}`);
    p.mode = mode;
  }

  digitalWrite(pin: number, value: number): void {
    this.writes.push({ op: 'digitalWrite', pin, value });
    this.pin(pin).value = value ? 1 : 0;
  }

  analogWrite(pin: number, value: number): void {
    this.writes.push({ op: 'analogWrite', pin, value });
    this.pin(pin).value = value;
  }

  pwmWrite(pin: number, value: number): void {
    this.analogWrite(pin, value);
  }

  servoWrite(pin: number, value: number): void {
    this.writes.push({ op: 'servoWrite', pin, value });
    this.pin(pin).value = value;
  }

  servoConfig(pin: number): void {
    this.pin(pin).mode = MODES.SERVO;
  }

  analogRead(channel: number, callback: (value: number) => void): void {
    this.on(`analog-read-${channel}`, callback);
    this.reportAnalogPin(channel, 1);
  }

  digitalRead(pin: number, callback: (value: number) => void): void {
    this.on(`digital-read-${pin}`, callback);
    this.reportDigitalPin(pin, 1);
  }

  reportAnalogPin(channel: number, value: 0 | 1): void {
    this.pin(this.analogPins[channel] ?? -1).report = value;
    if (value) this.later(() => this.sendAnalog(channel));
  }

  reportDigitalPin(pin: number, value: 0 | 1): void {
    this.pin(pin).report = value;
    if (value) this.later(() => this.sendDigital(pin));
  }

  queryPinState(pin: number, callback: () => void): void {
    this.once(`pin-state-${pin}`, callback);
    if (this.pinStateAnswers === 'never') return;
    this.later(() => {
      const p = this.pin(pin);
      p.state = this.pinStateAnswers === 'wrong' ? p.value ^ 1 : p.value;
      this.emit(`pin-state-${pin}`);
    });
  }

  reportVersion(callback: () => void): void {
    this.once('reportversion', callback);
    this.later(() => this.emit('reportversion'));
  }

  pingRead(opts: { pin: number }, callback: (microseconds: number) => void): void {
    // The same refusal as firmata-io when the board runs StandardFirmata rather than PingFirmata.
    if (!this.pin(opts.pin).supportedModes.includes(MODES.PING_READ)) throw new Error('Please upload PingFirmata to the board');
    this.once(`ping-read-${opts.pin}`, callback);
    this.later(() => this.emit(`ping-read-${opts.pin}`, this.echoes.get(opts.pin) ?? 0));
  }

  // ---- the test's side of the board ----

  /** The handshake is done: johnny-five's Board becomes ready (synchronously, inside this call). */
  becomeReady(): void {
    clearTimeout(this.readyTimer);
    this.isReady = true;
    this.emit('connect');
    this.emit('ready');
  }

  /** The voltage on analog channel `channel` now reads `value` counts (a corrupt frame can carry up to 16383). */
  setAnalog(channel: number, value: number): void {
    this.analog.set(channel, value);
    this.sendAnalog(channel);
  }

  /** Digital input `pin` now reads `level`. */
  setDigital(pin: number, level: 0 | 1): void {
    this.inputs.set(pin, level);
    this.sendDigital(pin);
  }

  /** The echo an HC-SR04 on `pin` returns, in microseconds (PingFirmata only). */
  setEcho(pin: number, microseconds: number): void {
    this.echoes.set(pin, microseconds);
  }

  /** The level an OUTPUT pin drives now, undefined if the pin is not an output. */
  output(pin: number): 0 | 1 | undefined {
    const p = this.pin(pin);
    return p.mode === MODES.OUTPUT ? (p.value ? 1 : 0) : undefined;
  }

  /** The pulse width (µs) or angle last written to a SERVO pin, undefined if it is not one. */
  servo(pin: number): number | undefined {
    const p = this.pin(pin);
    return p.mode === MODES.SERVO ? p.value : undefined;
  }

  /** A firmware string (StandardFirmata sends these for errors such as an unknown pin mode). */
  sendString(text: string): void {
    this.emit('string', text);
  }

  /** The port goes away: serialport closes ('close'), or reports an unplugged device ('disconnect'). */
  lose(how: 'close' | 'disconnect' = 'close'): void {
    this.hung = true;
    this.isReady = false;
    this.emit(how);
  }

  dispose(): void {
    clearTimeout(this.readyTimer);
    this.hung = true;
    this.removeAllListeners();
  }

  private pin(pin: number): FakePin {
    const p = this.pins[pin];
    if (!p) throw new Error(`fake firmata: no pin ${pin}`);
    return p;
  }

  private later(fn: () => void): void {
    setImmediate(() => {
      if (!this.hung) fn();
    });
  }

  private sendAnalog(channel: number): void {
    const p = this.pins[this.analogPins[channel] ?? -1];
    const value = this.analog.get(channel);
    if (this.hung || !p?.report || value === undefined) return;
    p.value = value;
    this.emit(`analog-read-${channel}`, value);
  }

  private sendDigital(pin: number): void {
    const p = this.pin(pin);
    // Firmata reports inputs only; an input with its pull-up on (HIGH written) floats high.
    if (this.hung || !p.report || (p.mode !== MODES.INPUT && p.mode !== MODES.PULLUP)) return;
    const level = this.inputs.get(pin) ?? (p.value ? 1 : 0);
    this.emit(`digital-read-${pin}`, level);
  }
}
