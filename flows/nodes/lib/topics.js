'use strict';
/**
 * The site's MQTT topics as the nodes see them (the service's src/contract/topics.ts is the truth;
 * this is the part Node-RED needs, in CommonJS because Node-RED loads nodes with require).
 */
const TOPIC_ROOT = 'tongxin';

/** Events that the service also publishes with personal data under `private/<name>` (Node-RED only). */
const PRIVATE_EVENTS = new Set(['signup.promoted']);

const siteRoot = (siteId) => `${TOPIC_ROOT}/${siteId}`;

/**
 * An id that is safe inside a topic: one level, no wildcards. Ids come from flows and messages, so a
 * `#` or `/` must never reach a topic we publish on (it would address something else).
 */
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;
const isSafeId = (id) => typeof id === 'string' && SAFE_ID.test(id);

/** Does an MQTT filter (with + and #) match a topic (MQTT 3.1.1 §4.7)? */
function topicMatches(filter, topic) {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

/** A comma/space separated list from the editor (or an array), trimmed, without empties. */
function parseList(value) {
  const items = Array.isArray(value) ? value : String(value ?? '').split(/[\s,，]+/);
  return items.map((s) => String(s).trim()).filter(Boolean);
}

module.exports = { TOPIC_ROOT, PRIVATE_EVENTS, siteRoot, isSafeId, topicMatches, parseList };
