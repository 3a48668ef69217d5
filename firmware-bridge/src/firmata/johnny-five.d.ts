/**
 * The parts of johnny-five 2.1 and firmata-io 2.3 that the Firmata link uses (neither ships types,
 * and there is no @types package for them here). Only what we call is declared, as the source has
 * it (node_modules/johnny-five/lib/*.js, node_modules/firmata-io/lib/firmata.js).
 */
declare module 'johnny-five' {
  import type { EventEmitter } from 'node:events';

  namespace five {
    /** One pin as an IO plugin describes it (firmata-io fills these from the capability query). */
    interface IoPin {
      supportedModes: number[];
      mode?: number;
      /** The last value written (outputs) or read (inputs). */
      value?: number;
      /** What the board answered to a pin-state query: the written value for outputs. */
      state?: number;
      report?: number;
      analogChannel: number;
    }

    /** The IO plugin surface johnny-five drives (firmata-io, or a fake in tests). */
    interface IoPlugin extends EventEmitter {
      name: string;
      isReady: boolean;
      pins: IoPin[];
      analogPins: number[];
      MODES: { INPUT: number; OUTPUT: number; ANALOG: number; PWM: number; SERVO: number };
      HIGH: number;
      LOW: number;
      pinMode(pin: number, mode: number): void;
      digitalWrite(pin: number, value: number): void;
      /** Turns on reporting of analog channel `channel` (Firmata numbering: A0 = 0). */
      analogRead(channel: number, callback: (value: number) => void): void;
      /** Firmata only: the board answers with the pin's mode and state (event `pin-state-<pin>`). */
      queryPinState?(pin: number, callback: () => void): void;
      /** Firmata only: the board answers with its protocol version (event `reportversion`). */
      reportVersion?(callback: () => void): void;
    }

    interface BoardOptions {
      io: IoPlugin;
      repl: false;
      debug: false;
      sigint: false;
      /** ms from "connect" to "ready" before the board emits an error (not applied in IS_TEST_MODE). */
      timeout?: number;
      id?: string;
    }

    class Board extends EventEmitter {
      constructor(options: BoardOptions);
      readonly io: IoPlugin;
      isReady: boolean;
      /** The connect-to-ready timeout, cleared on ready. */
      timer: NodeJS.Timeout | null;
    }

    interface ComponentOptions {
      /** Always pass it: without it a component mounts on the first board of the process. */
      board: Board;
      pin: number | string;
      id?: string;
    }

    class Sensor extends EventEmitter {
      constructor(options: ComponentOptions & { freq?: number; type?: 'analog' | 'digital'; threshold?: number });
      /** The last reading from the board, null before the first. */
      readonly raw: number | null;
      disable(): this;
    }

    class Proximity extends EventEmitter {
      constructor(options: ComponentOptions & { controller: string; freq?: number });
      /** Normalized: an analog channel number for the analog controllers on a Firmata board. */
      readonly pin: number;
      /** The controller's formula applied to the last raw reading (0 before the first). */
      readonly cm: number;
    }

    class Button extends EventEmitter {
      constructor(options: ComponentOptions & { isPullup?: boolean; invert?: boolean; holdtime?: number });
      readonly isDown: boolean;
    }

    class Motion extends EventEmitter {
      constructor(options: ComponentOptions & { controller?: string; freq?: number; calibrationDelay?: number });
      readonly detectedMotion: boolean;
    }

    class Relay {
      constructor(options: ComponentOptions & { type?: 'NO' | 'NC' });
      readonly pin: number;
      readonly isClosed: boolean;
      close(): this;
      open(): this;
    }

    class Servo extends EventEmitter {
      constructor(options: ComponentOptions & { startAt?: number });
      readonly pin: number;
      to(degrees: number): this;
    }
  }

  export = five;
}

declare module 'firmata-io' {
  import type { IoPlugin } from 'johnny-five';

  namespace firmataIo {
    interface FirmataOptions {
      /** ms to wait for the board's own version report before asking for it (default 5000). */
      reportVersionTimeout?: number;
      /** ms between the board's analog reports. */
      samplingInterval?: number;
    }

    /** Anything with serialport's stream surface; firmata-io listens for open, close, error, data. */
    interface Transport {
      on(event: string, listener: (...args: any[]) => void): unknown;
      write(data: Buffer, callback?: (err?: Error | null) => void): unknown;
    }

    // firmata-io's Board is an IoPlugin (class and interface merge into one type).
    interface Firmata extends IoPlugin {}
    class Firmata {
      constructor(transport: Transport, options?: FirmataOptions);
      readonly transport: Transport;
      /** The timer behind reportVersionTimeout; cleared once the board reports its version. */
      reportVersionTimeoutId?: NodeJS.Timeout;
      queryPinState(pin: number, callback: () => void): void;
      reportVersion(callback: () => void): void;
    }
  }

  /** `require('firmata-io')(Transport)` binds a default transport; we pass an open-able port instead. */
  function firmataIo(transport: unknown): typeof firmataIo.Firmata;
  export = firmataIo;
}
