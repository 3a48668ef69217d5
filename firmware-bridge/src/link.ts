/**
 * One interface for every way a node reaches the bridge (serialport's binding pattern,
 * EXAMPLES.md §2): our line protocol over a serial port, StandardFirmata through johnny-five, and
 * Modbus RTU. The bridge runner (`bridge.ts`) knows only this interface; one contract suite
 * (`test/helpers/link-contract.ts`) runs over every implementation.
 *
 * A link speaks in site ids (sensor and actuator ids from the site file): the mapping from pins,
 * channels and registers to ids is the link's own business. Actuators are switched `on`/`off`; the
 * runner maps a lid's open/closed onto that.
 */
export type SwitchState = 'on' | 'off';

export interface LinkSample {
  sensorId: string;
  /** In the sensor's own units (ADC counts, cm, people, register value): the service calibrates. */
  raw: number;
  /** Epoch ms, from the bridge's clock when the node has none. */
  at: number;
  seq?: number;
}

/** Why a command did not happen. Every failed command is answered, never dropped. */
export type CommandFailure = 'node-offline' | 'no-ack' | 'refused' | 'unknown-actuator' | 'link-stopped';

export class CommandFailed extends Error {
  constructor(
    readonly reason: CommandFailure,
    detail?: string,
  ) {
    super(detail ? `${reason}: ${detail}` : reason);
    this.name = 'CommandFailed';
  }
}

export interface LinkListener {
  sample(s: LinkSample): void;
  /** The node behind the link came up or went away (unplugged, silent, not answering). */
  nodeStatus(status: 'online' | 'offline', reason: string): void;
  /** An actuator's state as the node reports it (after a command, at start-up, or by itself). */
  actuatorState(actuatorId: string, state: SwitchState): void;
  /** Bad input from the node side (a corrupt frame, a failed poll): counted under `reason`. */
  rejected(reason: string, detail: string): void;
  /**
   * The link cannot go on inside this process (johnny-five cannot reopen a lost board): the runner
   * exits non-zero so that the supervisor starts a fresh bridge.
   */
  fatal(err: Error): void;
}

export interface Link {
  /**
   * Opens the link and begins reporting. Resolves once it is running; a port that is missing is
   * not an error here: the link reports the node offline and keeps trying.
   */
  start(listener: LinkListener): Promise<void>;
  /** Resolves with the state the node acknowledged; rejects with CommandFailed. */
  command(actuatorId: string, state: SwitchState): Promise<SwitchState>;
  /** Closes ports and clears every timer; pending commands fail with `link-stopped`. */
  stop(): Promise<void>;
}
