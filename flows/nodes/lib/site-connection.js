'use strict';
const { EventEmitter } = require('node:events');
const { randomBytes, randomUUID } = require('node:crypto');
const { siteRoot, topicMatches } = require('./topics.js');
const { parseObject } = require('./payload.js');

/**
 * ONE MQTT client per site config node, shared by every tongxin node that uses it: subscriptions are
 * reference-counted by filter, restored after each reconnect, and requests to the service wait for
 * their reply on `reply/<requestId>`.
 *
 * The broker is the service's: clean sessions, no retained writes, and a request is never queued
 * while offline (mqtt.js would send it after a reconnect, long after the caller has given up, and an
 * actuator would move for nobody).
 */
const ERROR_REPEAT_MS = 60_000;

class RequestTimeout extends Error {
  constructor(what, ms) {
    super(`no reply to ${what} within ${ms / 1000} s`);
    this.name = 'RequestTimeout';
    this.code = 'TONGXIN_REPLY_TIMEOUT';
  }
}

class SiteConnection extends EventEmitter {
  /**
   * @param {object} o
   * @param {string} o.url broker URL (mqtt://…)
   * @param {string} o.siteId
   * @param {string} [o.username]
   * @param {string} [o.password]
   * @param {{ connect: Function }} o.mqtt the mqtt.js module
   * @param {{ warn(msg: string): void, log(msg: string): void }} o.log
   * @param {number} [o.reconnectMs]
   */
  constructor(o) {
    super();
    this.setMaxListeners(0);
    this.siteId = o.siteId;
    this.root = siteRoot(o.siteId);
    this.opts = o;
    this.state = 'connecting';
    /** @type {Map<string, { qos: number, handlers: Set<Function>, acked: Promise<void> | undefined }>} */
    this.subs = new Map();
    /** @type {Map<string, { resolve: Function, reject: Function, timer: NodeJS.Timeout }>} */
    this.pending = new Map();
    this.client = undefined;
    this.closed = false;
    this.lastError = '';
    this.lastErrorAt = 0;
  }

  start() {
    const o = this.opts;
    // Client ids starting with "tongxin-" are the service's own: the broker refuses them to others.
    const clientId = `nodered-${this.siteId}-${randomBytes(4).toString('hex')}`;
    this.client = o.mqtt.connect(o.url, {
      clientId,
      clean: true,
      resubscribe: false,
      reconnectPeriod: o.reconnectMs ?? 2000,
      connectTimeout: 10_000,
      ...(o.username ? { username: o.username, password: o.password ?? '' } : {}),
    });
    this.client.on('connect', () => {
      this.setState('connected');
      for (const [filter, sub] of this.subs) sub.acked = this.sendSubscribe(filter, sub.qos);
      // Said once the subscriptions stand: from then on nothing the flows listen for is missed.
      this.ready().then(
        () => o.log.log(`connected to ${o.url} (site ${this.siteId}, ${this.subs.size} subscriptions)`),
        () => undefined,
      );
    });
    this.client.on('reconnect', () => this.setState('connecting'));
    this.client.on('close', () => {
      if (!this.closed) this.setState('disconnected');
      for (const sub of this.subs.values()) sub.acked = undefined;
    });
    this.client.on('error', (err) => {
      // Bad credentials, refused connections: mqtt.js keeps retrying; say it, do not throw, and do
      // not repeat the same complaint every two seconds into the Pi's log.
      const now = Date.now();
      if (err.message === this.lastError && now - this.lastErrorAt < ERROR_REPEAT_MS) return;
      this.lastError = err.message;
      this.lastErrorAt = now;
      o.log.warn(`broker ${o.url}: ${err.message}`);
    });
    this.client.on('message', (topic, payload) => this.dispatch(topic, payload));
  }

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
    if (state === 'connected') this.emit('connected');
  }

  /** Resolves once connected and every current subscription is acknowledged (rejects if one was refused). */
  async ready() {
    if (!this.connected) await new Promise((resolve) => this.once('connected', resolve));
    await Promise.all([...this.subs.values()].map((s) => s.acked));
  }

  get connected() {
    return this.state === 'connected';
  }

  /** `rel` is relative to the site root, e.g. `alert/+`. Returns the function that unsubscribes. */
  subscribe(rel, qos, handler) {
    const filter = `${this.root}/${rel}`;
    let sub = this.subs.get(filter);
    if (!sub) {
      sub = { qos, handlers: new Set(), acked: undefined };
      this.subs.set(filter, sub);
      if (this.connected) sub.acked = this.sendSubscribe(filter, qos);
    }
    sub.handlers.add(handler);
    return () => {
      const s = this.subs.get(filter);
      if (!s) return;
      s.handlers.delete(handler);
      if (s.handlers.size === 0) {
        this.subs.delete(filter);
        if (this.connected) this.client.unsubscribe(filter);
      }
    };
  }

  sendSubscribe(filter, qos) {
    const acked = new Promise((resolve, reject) => {
      this.client.subscribe(filter, { qos }, (err, granted) => {
        if (err) {
          this.opts.log.warn(`subscribe ${filter}: ${err.message}`);
          return reject(err);
        }
        if (granted && granted[0] && granted[0].qos === 128) {
          const refused = new Error(`the broker refused the subscription to ${filter}`);
          this.opts.log.warn(refused.message);
          this.emit('refused', filter);
          return reject(refused);
        }
        resolve();
      });
    });
    // Awaited by request(); a refusal nobody waits for is already logged, not an unhandled rejection.
    acked.catch(() => undefined);
    return acked;
  }

  dispatch(topic, payload) {
    for (const [filter, sub] of this.subs) {
      if (!topicMatches(filter, topic)) continue;
      for (const handler of sub.handlers) {
        try {
          handler(topic, payload);
        } catch (err) {
          this.opts.log.warn(`a handler of ${filter} failed: ${err.message}`);
        }
      }
    }
  }

  /** Publishes JSON under the site root; refused while disconnected (see the class comment). */
  async publish(rel, body, qos = 1) {
    if (!this.connected) throw new Error('not connected to the broker');
    await this.client.publishAsync(`${this.root}/${rel}`, JSON.stringify(body), { qos, retain: false });
  }

  /**
   * Asks the service: publishes `request/<rel>` with a fresh requestId and resolves with the reply
   * (`{ requestId, ok, reason?, detail? }`, ok or refused), or rejects on timeout.
   */
  async request(rel, body, timeoutMs) {
    if (!this.connected) throw new Error('not connected to the broker');
    if (!this.replyHandler) {
      this.replyHandler = (topic, payload) => this.onReply(topic, payload);
      this.subscribe('reply/+', 1, this.replyHandler);
    }
    // The reply subscription must be in place before the request leaves, or a fast reply is lost.
    await this.subs.get(`${this.root}/reply/+`).acked;
    const requestId = randomUUID();
    const reply = new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new RequestTimeout(`request/${rel}`, timeoutMs));
      }, timeoutMs);
      this.pending.set(requestId, { resolve, reject, timer });
    });
    try {
      await this.publish(`request/${rel}`, { requestId, ...body });
    } catch (err) {
      const p = this.pending.get(requestId);
      if (p) {
        clearTimeout(p.timer);
        this.pending.delete(requestId);
      }
      throw err;
    }
    return reply;
  }

  onReply(topic, payload) {
    const requestId = topic.slice(topic.lastIndexOf('/') + 1);
    const p = this.pending.get(requestId);
    if (!p) return; // someone else's, or too late
    const parsed = parseObject(payload);
    if (!parsed.ok) {
      this.opts.log.warn(`reply to request ${requestId}: ${parsed.reason}`);
      return; // the caller times out rather than acting on garbage
    }
    clearTimeout(p.timer);
    this.pending.delete(requestId);
    p.resolve({ ...parsed.value, requestId, ok: parsed.value.ok === true });
  }

  async close() {
    this.closed = true;
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error('the site connection was closed'));
      this.pending.delete(id);
    }
    this.setState('disconnected');
    this.removeAllListeners('state');
    if (this.client) await this.client.endAsync(true).catch(() => undefined);
  }
}

module.exports = { SiteConnection, RequestTimeout };
