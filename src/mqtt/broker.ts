import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { Aedes, type AuthenticateError, type Client } from 'aedes';
import { WebSocketServer, createWebSocketStream } from 'ws';
import type { ListenerConfig } from '../config/schema.js';
import type { Counters } from '../core/counters.js';
import type { Logger } from '../core/log.js';
import { canPublish, canReceive, canSubscribe, type Identity } from './acl.js';
import type { Authenticator } from './auth.js';
import { clientErrorKind, type ClientErrorKind } from './client-errors.js';
import { guardPacketSize } from './packet-size-guard.js';
import { createThrottledWarn } from '../core/throttled-log.js';

/**
 * The embedded aedes broker with our authentication and ACL hooks on every listener. A failing client
 * is an event (logged and counted), never a crash (EXAMPLES.md §6).
 */
export interface BoundListener {
  host: string;
  port: number;
  websocket: boolean;
  anonymousLocal: boolean;
}

export interface EmbeddedBroker {
  readonly aedes: Aedes;
  readonly listeners: BoundListener[];
  /** mqtt:// URL of the first TCP listener, for the service's own client. */
  readonly url: string;
  connectedClients(): number;
  close(): Promise<void>;
}

const LOOPBACK_REMOTE = /^(127\.|::1$|::ffff:127\.)/;
const ILL_FORMED = /[\uFFFD\u0000]/;

/** A client that had connected and was dropped for an error, by kind (client-errors.ts). */
export const MQTT_CLIENT_ERRORS = 'mqtt_client_errors';
/** A connection that ended without a successful CONNECT: refused, malformed, or silent, by kind. */
export const MQTT_CONNECTIONS_REFUSED = 'mqtt_connections_refused';

export async function startEmbeddedBroker(opts: {
  siteId: string;
  listeners: readonly ListenerConfig[];
  authenticate: Authenticator;
  log: Logger;
  counters: Counters;
  /** Home Assistant's discovery prefix when discovery is on: observers may read it and send HA's status. */
  discoveryPrefix?: string | undefined;
}): Promise<EmbeddedBroker> {
  const { log, counters, siteId } = opts;
  // Which listener a connection arrived on, and from where: anonymous access depends on both.
  const origin = new WeakMap<object, { listener: ListenerConfig; remote: string }>();
  const identities = new WeakMap<Client, Identity>();
  // A device left retrying with a wrong password or a denied topic must not fill the SD card with warnings.
  const warn = createThrottledWarn(log, { now: Date.now });

  const authError = (returnCode: number, message: string) =>
    Object.assign(new Error(message), { returnCode }) as AuthenticateError;

  const aedes = await Aedes.createBroker({
    authenticate(client, username, password, done) {
      const from = origin.get(client.conn);
      // The MQTT parser decodes ill-formed UTF-8 into U+FFFD instead of refusing it, as the spec
      // requires (MQTT-1.5.3-1, -2: nor U+0000): a client id or user name carrying either is refused.
      if (ILL_FORMED.test(client.id) || (username !== undefined && ILL_FORMED.test(username))) {
        counters.inc('mqtt_auth_refused', 'ill-formed-utf8');
        warn('auth:ill-formed-utf8', { remote: from?.remote }, 'connection refused: ill-formed UTF-8 in the client id or user name');
        return done(authError(2, 'identifier rejected'), false);
      }
      const anonymousLocalAllowed = Boolean(from?.listener.anonymousLocal && LOOPBACK_REMOTE.test(from.remote));
      opts
        .authenticate({ clientId: client.id, username, password, anonymousLocalAllowed })
        .then((result) => {
          if (result.ok) {
            identities.set(client, result.identity);
            done(null, true);
          } else {
            counters.inc('mqtt_auth_refused', result.reason);
            warn(`auth:${result.reason}`, { clientId: client.id, username, remote: from?.remote, reason: result.reason }, 'connection refused');
            // 4 = bad user name or password, 5 = not authorised (MQTT 3.1.1 §3.2.2.3)
            done(authError(result.reason === 'anonymous-refused' ? 5 : 4, result.reason), false);
          }
        })
        .catch((err: unknown) => {
          log.error({ err, clientId: client.id }, 'authentication failed');
          done(authError(3, 'server unavailable'), false);
        });
    },
    authorizePublish(client, packet, done) {
      if (!client) return done(null); // the broker's own messages
      const identity = identities.get(client);
      const decision = identity ? canPublish(identity, siteId, packet.topic, packet.retain, opts.discoveryPrefix) : { allowed: false as const, reason: 'no identity' };
      if (decision.allowed) return done(null);
      counters.inc('mqtt_publish_denied', identity?.role ?? 'unknown');
      warn(`publish:${identity?.role ?? 'unknown'}`, { clientId: client.id, topic: packet.topic, reason: decision.reason }, 'publish denied');
      done(new Error(`publish to ${packet.topic} denied: ${decision.reason}`));
    },
    authorizeSubscribe(client, sub, done) {
      const identity = identities.get(client);
      const decision = identity ? canSubscribe(identity, siteId, sub.topic, opts.discoveryPrefix) : { allowed: false as const, reason: 'no identity' };
      if (decision.allowed) return done(null, sub);
      counters.inc('mqtt_subscribe_denied', identity?.role ?? 'unknown');
      warn(`subscribe:${identity?.role ?? 'unknown'}`, { clientId: client.id, filter: sub.topic, reason: decision.reason }, 'subscribe denied');
      done(null, null); // SUBACK 0x80 for this filter; the client stays connected
    },
  });

  // Deliveries are filtered too: a wildcard subscriber never receives another resident's phone.
  aedes.authorizeForward = (client, packet) => {
    const identity = identities.get(client);
    if (identity && canReceive(identity, siteId, packet.topic)) return packet;
    counters.inc('mqtt_forward_withheld', identity?.role ?? 'unknown');
    return null;
  };

  // Every connection is counted once when it closes: one that never completed CONNECT under
  // mqtt_connections_refused, one that connected and was then dropped for an error under
  // mqtt_client_errors, each by the first error's kind; a client that leaves cleanly is not counted.
  // So the counters add up to the bad connections made, whatever path aedes took to drop them.
  const outcomes = new WeakMap<Client, { ready: boolean; kind?: ClientErrorKind }>();
  const track = (conn: Duplex, client: Client) => {
    const outcome: { ready: boolean; kind?: ClientErrorKind } = { ready: false };
    outcomes.set(client, outcome);
    guardPacketSize(conn);
    conn.once('close', () => {
      if (!outcome.ready) counters.inc(MQTT_CONNECTIONS_REFUSED, outcome.kind ?? 'no-connect');
      else if (outcome.kind) counters.inc(MQTT_CLIENT_ERRORS, outcome.kind);
    });
  };
  aedes.on('clientReady', (client) => {
    const outcome = outcomes.get(client);
    if (outcome) outcome.ready = true;
  });
  const onClientError = (client: Client, err: Error) => {
    const fromParser = (client as unknown as { _parser?: { error?: unknown } })._parser?.error === err;
    const kind = clientErrorKind(err, fromParser);
    const outcome = outcomes.get(client);
    if (outcome && outcome.kind === undefined) outcome.kind = kind;
    log.debug({ clientId: client.id, kind, err: err.message }, 'client error');
  };
  aedes.on('clientError', onClientError);
  aedes.on('connectionError', onClientError);

  const servers: (NetServer | HttpServer)[] = [];
  const wsServers: WebSocketServer[] = [];
  const bound: BoundListener[] = [];
  try {
    for (const listener of opts.listeners) {
      if (listener.websocket) {
        const http = createHttpServer();
        const wss = new WebSocketServer({ server: http });
        wss.on('connection', (socket, req: IncomingMessage) => {
          const stream: Duplex = createWebSocketStream(socket);
          origin.set(stream, { listener, remote: req.socket.remoteAddress ?? '' });
          track(stream, aedes.handle(stream, req));
        });
        servers.push(http);
        wsServers.push(wss);
        bound.push({ ...(await listen(http, listener)), websocket: true, anonymousLocal: listener.anonymousLocal });
      } else {
        const net = createNetServer((socket: Socket) => {
          // MQTT is many small packets: without this, Nagle's algorithm holds each one back waiting
          // for the peer's delayed ACK, and an alert takes ~100 ms instead of ~2 ms to reach a crew.
          socket.setNoDelay(true);
          origin.set(socket, { listener, remote: socket.remoteAddress ?? '' });
          track(socket, aedes.handle(socket));
        });
        servers.push(net);
        bound.push({ ...(await listen(net, listener)), websocket: false, anonymousLocal: listener.anonymousLocal });
      }
    }
  } catch (err) {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
    await new Promise<void>((r) => aedes.close(() => r()));
    throw err;
  }
  const tcp = bound.find((b) => !b.websocket);
  if (!tcp) throw new Error('the embedded broker needs at least one TCP listener for the service itself');
  log.info({ listeners: bound }, 'embedded broker listening');

  return {
    aedes,
    listeners: bound,
    url: `mqtt://${tcp.host.includes(':') ? `[${tcp.host}]` : tcp.host}:${tcp.port}`,
    connectedClients: () => aedes.connectedClients,
    async close() {
      await new Promise<void>((r) => aedes.close(() => r()));
      for (const wss of wsServers) wss.close();
      await Promise.all(
        servers.map(
          (s) =>
            new Promise<void>((r) => {
              s.close(() => r());
              if ('closeAllConnections' in s) s.closeAllConnections();
            }),
        ),
      );
    },
  };
}

function listen(server: NetServer | HttpServer, l: ListenerConfig): Promise<{ host: string; port: number }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(l.port, l.host, () => {
      server.off('error', reject);
      const addr = server.address() as AddressInfo;
      resolve({ host: l.host, port: addr.port });
    });
  });
}
