/**
 * Why the broker dropped or refused a connection, as a short label for the counters
 * `mqtt_client_errors` and `mqtt_connections_refused`. aedes reports everything as an Error with a
 * message; these are its messages (aedes 1.2), ours (auth refusals, the packet size guard), and the
 * socket's own codes.
 */
export type ClientErrorKind =
  | 'malformed'
  | 'too-large'
  | 'protocol'
  | 'bad-protocol-version'
  | 'bad-client-id'
  | 'bad-credentials'
  | 'anonymous-refused'
  | 'not-authorised'
  | 'auth-failed'
  | 'connect-timeout'
  | 'keepalive-timeout'
  | 'publish-denied'
  | 'bad-topic'
  | 'flood'
  | 'slow-client'
  | 'connection-reset'
  | 'other';

export const PACKET_TOO_LARGE = 'TX_MQTT_PACKET_TOO_LARGE';

const BY_MESSAGE: [RegExp, ClientErrorKind][] = [
  // A packet before CONNECT, or a second CONNECT ([MQTT-3.1.0-1], [MQTT-3.1.0-2]).
  [/^Invalid protocol$/, 'protocol'],
  [/^unacceptable protocol version$/, 'bad-protocol-version'],
  [/^identifier rejected$/, 'bad-client-id'],
  [/^(bad-credentials|bad user name or password)$/, 'bad-credentials'],
  [/^anonymous-refused$/, 'anonymous-refused'],
  [/^not authorized$/, 'not-authorised'],
  [/^server unavailable$/i, 'auth-failed'],
  [/^connect did not arrive in time$/, 'connect-timeout'],
  [/^keep alive timeout$/, 'keepalive-timeout'],
  [/^publish to .* denied/, 'publish-denied'],
  [/^(empty topic not allowed in PUBLISH|[#+] is not allowed in PUBLISH|topic has too many levels)$/, 'bad-topic'],
  [/^(Client queue limit reached|maxInflightInbound exceeded)/, 'flood'],
  [/^drain timeout$/, 'slow-client'],
];

const RESET_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'ERR_STREAM_PREMATURE_CLOSE']);

/** `fromParser`: the error is the MQTT parser's own (a malformed packet), whatever its wording. */
export function clientErrorKind(err: Error, fromParser: boolean): ClientErrorKind {
  const code = (err as { code?: unknown }).code;
  if (code === PACKET_TOO_LARGE) return 'too-large';
  if (fromParser) return 'malformed';
  if (typeof code === 'string' && RESET_CODES.has(code)) return 'connection-reset';
  for (const [re, kind] of BY_MESSAGE) if (re.test(err.message)) return kind;
  return 'other';
}
