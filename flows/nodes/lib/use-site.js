'use strict';
const { trackStatus, noSite } = require('./node-status.js');
const { isSafeId } = require('./topics.js');

/** `key` → the text in the node's own message catalogue (`<prefix>.<key>`). */
const translator = (RED, prefix) => (key, params) => RED._(`${prefix}.${key}`, params);

/**
 * The site config node's shared connection and a status tracker for `node`; undefined (and a red
 * status saying why) when the node has no usable site.
 */
function useSite(RED, node, config, t) {
  const site = config.site ? RED.nodes.getNode(config.site) : null;
  const connection = site && site.connection;
  if (!connection) {
    noSite(node, t);
    return undefined;
  }
  const status = trackStatus(node, connection, t);
  node.on('close', () => status.stop());
  /** Subscribes for as long as the node lives: unsubscribed when it closes. */
  const subscribe = (rel, qos, handler) => {
    const off = connection.subscribe(rel, qos, handler);
    node.on('close', () => off());
  };
  return { site, connection, status, subscribe };
}

/**
 * The first of `ids` that is not a safe id, reported as a red ring (`text`) and an error naming it
 * (`what`); undefined when all are fine.
 */
function refuseBadId(node, ids, text, what) {
  const bad = ids.find((id) => !isSafeId(id));
  if (bad === undefined) return undefined;
  node.status({ fill: 'red', shape: 'ring', text });
  node.error(`${what} "${bad}" is not a valid id`);
  return bad;
}

/** Remembers the last `max` keys, oldest forgotten first: dedupe without growing for ever. */
class RecentKeys {
  constructor(max) {
    this.max = max;
    this.keys = new Set();
  }
  /** True the first time a key is seen (within the last `max`). */
  add(key) {
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    if (this.keys.size > this.max) this.keys.delete(this.keys.values().next().value);
    return true;
  }
}

module.exports = { useSite, translator, refuseBadId, RecentKeys };
