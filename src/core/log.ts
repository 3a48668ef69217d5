import { pino, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';

export type Logger = PinoLogger;

/**
 * Paths that could carry personal data. Phone numbers must never reach a log (DESIGN.md), so any
 * field by these names is censored whatever module logs it.
 */
const REDACT = ['phone', '*.phone', '*.*.phone', 'password', '*.password', 'passwordHash', '*.passwordHash'];

export interface LogOptions {
  level?: string;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(opts: LogOptions = {}): Logger {
  const level = opts.level ?? process.env.TONGXIN_LOG_LEVEL ?? 'info';
  // JSON lines for journald and log shippers; readable lines for a person at a terminal.
  const destination =
    opts.destination ??
    (process.stdout.isTTY ? pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname,ns', messageFormat: '[{ns}] {msg}', singleLine: true }) : pino.destination(1));
  return pino({ level, base: undefined, redact: { paths: REDACT, censor: '[redacted]' } }, destination);
}

/** One namespace per module: `log.child({ ns: 'sensors' })`, so lines can be filtered by origin. */
export function childLogger(log: Logger, ns: string): Logger {
  return log.child({ ns });
}
