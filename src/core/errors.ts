/**
 * Every error the service raises on purpose has a stable code, made in this one file (after
 * fastify's lib/errors.js), so logs, HTTP answers and tests can refer to it.
 */
export class TongxinError extends Error {
  readonly code: string;
  readonly statusCode: number;
  readonly details: unknown;

  constructor(code: string, message: string, statusCode: number, details?: unknown) {
    super(message);
    this.name = 'TongxinError';
    this.code = code;
    this.statusCode = statusCode;
    this.details = details;
  }
}

function factory(code: string, statusCode: number) {
  return (message: string, details?: unknown) => new TongxinError(code, message, statusCode, details);
}

export const errors = {
  configInvalid: factory('TX_CONFIG_INVALID', 500),
  configUnreadable: factory('TX_CONFIG_UNREADABLE', 500),
  badRequest: factory('TX_BAD_REQUEST', 400),
  notFound: factory('TX_NOT_FOUND', 404),
  unavailable: factory('TX_UNAVAILABLE', 503),
  conflict: factory('TX_CONFLICT', 409),
  badLogin: factory('TX_BAD_LOGIN', 401),
  storeMigration: factory('TX_STORE_MIGRATION', 500),
};

export function isTongxinError(err: unknown): err is TongxinError {
  return err instanceof TongxinError;
}
