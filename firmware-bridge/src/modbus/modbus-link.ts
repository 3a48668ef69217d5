import modbusSerial from 'modbus-serial';
import type { ModbusLinkConfig } from '../../../src/config/links-schema.js';
import type { Logger } from '../../../src/core/log.js';
import { CommandFailed, type Link, type LinkListener, type SwitchState } from '../link.js';
import { classifyError, decodeRegister, ILLEGAL_DATA_ADDRESS, planRequests, splitRequest, type ReadRequest } from './registers.js';

/**
 * RS-485 Modbus RTU probes (soil moisture, temperature, EC), polled through modbus-serial. The
 * bus is the node: it is online while at least one slave answers a poll, offline when every slave
 * of a poll failed or the port went away. A lost port (an adapter unplugged) is opened again every
 * `reopenMs` under the same path, and polling resumes without a restart of anything.
 *
 * Probes have no actuators, so `command()` always fails with `unknown-actuator` (`link-stopped`
 * after stop): whether the bus answers says nothing about an id this link cannot drive.
 */
export interface ModbusLinkOptions {
  /** The clock for samples' `at`; poll spacing uses the monotonic clock. */
  now?: () => number;
  log?: Logger;
  reopenMs?: number;
}

// A CommonJS package typed with `export default`: under NodeNext the class is `.default`, which
// index.js sets to itself, so this holds for tsc and at run time alike.
const ModbusRTU = modbusSerial.default;
type Client = InstanceType<typeof ModbusRTU>;
interface UnitResult {
  answered: boolean;
  failure?: string;
}

/**
 * modbus-serial's buffered RTU port keeps bytes that matched no request, and RTU frames carry no
 * transaction id: a reply that came after its request timed out would be taken as the answer to the
 * next request to that unit, and every reading after it would be one poll old. So the buffer is
 * emptied before each request. `_port._buffer` is private to modbus-serial (pinned at 8.0.25); the
 * late-reply test in modbus-link.test.ts fails if it moves.
 */
const dropStaleBytes = (c: Client) => {
  const port = (c as unknown as { _port?: { _buffer?: unknown } })._port;
  if (port && Buffer.isBuffer(port._buffer)) port._buffer = Buffer.alloc(0);
};

export function createModbusLink(config: ModbusLinkConfig, opts: ModbusLinkOptions = {}): Link {
  const now = opts.now ?? Date.now;
  const reopenMs = opts.reopenMs ?? 1000;
  const pollMs = config.pollSeconds * 1000;
  const log = opts.log; // the bridge gives each link its own namespace (link:<id>)
  const plan = planRequests(config.registers);
  let listener: LinkListener | undefined;
  /** Set only while its port is open: a client that is not this one belongs to a lost port. */
  let client: Client | undefined;
  let stopped = false;
  let status: 'online' | 'offline' | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let reopenTimer: NodeJS.Timeout | undefined;
  let polling: Promise<void> | undefined;
  let opening: Promise<void> | undefined;
  let reportedMissing = false;

  const report = (next: 'online' | 'offline', reason: string) => {
    if (status === next) return;
    status = next;
    log?.info({ status: next, reason }, 'modbus node status');
    listener?.nodeStatus(next, reason);
  };
  const current = (c: Client) => !stopped && client === c;

  const scheduleReopen = () => {
    if (stopped || reopenTimer) return;
    reopenTimer = setTimeout(() => {
      reopenTimer = undefined;
      opening = open().finally(() => (opening = undefined));
    }, reopenMs);
  };

  const open = async () => {
    if (stopped) return;
    const c: Client = new ModbusRTU();
    // modbus-serial re-emits port errors; an EventEmitter without an 'error' listener would throw.
    c.on('error', (err: unknown) => {
      if (current(c)) listener?.rejected('port-error', err instanceof Error ? err.message : String(err));
    });
    c.on('close', () => {
      if (!current(c)) return;
      client = undefined;
      clearTimeout(pollTimer);
      pollTimer = undefined;
      report('offline', 'port-closed');
      log?.warn({ path: config.path }, 'modbus port closed; trying to reopen');
      scheduleReopen();
    });
    try {
      // The buffered RTU port gathers a reply that arrives in pieces before modbus-serial checks it.
      await c.connectRTUBuffered(config.path, { baudRate: config.baudRate, dataBits: 8, stopBits: 1, parity: config.parity });
    } catch (err) {
      if (!reportedMissing) {
        reportedMissing = true;
        log?.warn({ path: config.path, err: err instanceof Error ? err.message : String(err) }, 'modbus port not there; trying again');
      }
      report('offline', 'port-missing');
      return scheduleReopen();
    }
    if (stopped) return new Promise<void>((resolve) => c.close(() => resolve()));
    reportedMissing = false;
    c.setTimeout(config.timeoutMs);
    client = c;
    log?.info({ path: config.path }, 'modbus port open');
    if (!polling && !pollTimer) runPoll();
  };

  /** One poll at a time: the next is timed from this one's start, and never begins before it ends. */
  const runPoll = () => {
    pollTimer = undefined;
    const c = client;
    if (!c || stopped) return;
    const startedAt = performance.now();
    polling = pollOnce(c)
      .catch((err: unknown) => log?.error({ err }, 'modbus poll failed'))
      .finally(() => {
        polling = undefined;
        if (stopped || !client) return;
        // A port reopened while this poll drained on the old one is polled at once.
        const wait = client === c ? Math.max(0, startedAt + pollMs - performance.now()) : 0;
        pollTimer = setTimeout(runPoll, wait);
      });
  };

  const pollOnce = async (c: Client) => {
    let answered = false;
    let failure: string | undefined;
    for (const [unit, requests] of plan) {
      const r = await pollUnit(c, unit, requests);
      // The port went away mid-poll: its close already reported offline; this poll means nothing.
      if (!current(c)) return;
      answered ||= r.answered;
      failure ??= r.failure;
    }
    if (answered) report('online', 'answering');
    else report('offline', failure ?? 'no-answer');
  };

  const pollUnit = async (c: Client, unit: number, requests: ReadRequest[]): Promise<UnitResult> => {
    const result: UnitResult = { answered: false };
    const queue = [...requests];
    for (let req = queue.shift(); req; req = queue.shift()) {
      try {
        c.setID(unit);
        dropStaleBytes(c);
        const res = req.table === 'holding' ? await c.readHoldingRegisters(req.start, req.length) : await c.readInputRegisters(req.start, req.length);
        if (!current(c)) return result;
        result.answered = true;
        const at = now();
        for (const r of req.registers) {
          const word = res.data[r.address - req.start];
          if (word !== undefined) listener?.sample({ sensorId: r.sensor, raw: decodeRegister(word, r.type), at });
        }
      } catch (err) {
        if (!current(c)) return result;
        const f = classifyError(err);
        result.answered ||= f.answered;
        // One bad address spoils a grouped read: read that group register by register from now on,
        // so the good registers keep coming and only the bad one is counted.
        if (f.code === ILLEGAL_DATA_ADDRESS && req.length > 1) {
          const singles = splitRequest(req);
          requests.splice(requests.indexOf(req), 1, ...singles);
          queue.unshift(...singles);
          log?.warn({ unit, table: req.table, start: req.start, length: req.length }, 'modbus group refused; reading its registers one by one');
          continue;
        }
        result.failure ??= f.reason;
        listener?.rejected(f.reason, `unit ${unit} ${req.table} ${req.start}+${req.length}: ${f.detail}`);
        // A slave that did not answer is not asked again in this poll: a silent probe costs one
        // timeout of bus time per poll, not one per request.
        if (f.reason === 'timeout' || f.reason === 'port-error') return result;
      }
    }
    return result;
  };

  return {
    async start(l) {
      listener = l;
      stopped = false;
      opening = open().finally(() => (opening = undefined));
      await opening;
    },
    command(actuatorId: string, _state: SwitchState) {
      if (stopped) return Promise.reject(new CommandFailed('link-stopped'));
      return Promise.reject(new CommandFailed('unknown-actuator', `${actuatorId}: a Modbus probe link has no actuators`));
    },
    async stop() {
      stopped = true;
      clearTimeout(reopenTimer);
      clearTimeout(pollTimer);
      reopenTimer = pollTimer = undefined;
      await opening; // a port opening now is closed by open() itself, seeing `stopped`
      const c = client;
      client = undefined;
      if (c?.isOpen) await new Promise<void>((resolve) => c.close(() => resolve()));
      // A request in flight ends by its own timeout once the port is closed; wait for it, so that
      // nothing of this link runs after stop() resolves.
      await polling;
    },
  };
}
