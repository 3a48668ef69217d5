'use strict';
const { parseObject } = require('./lib/payload.js');
const { PRIVATE_EVENTS, parseList } = require('./lib/topics.js');
const { useSite, translator } = require('./lib/use-site.js');

/**
 * What happened, as the service tells Node-RED on `event/<name>` (signup.created, concern.created,
 * pickup.recorded, summary.daily, …), for names matching the node's patterns (`signup.*`, exact
 * names, `*` for all). With "include private", an event that also exists under `private/<name>`
 * (signup.promoted, with the resident's phone for the SMS flow) is taken from there instead of its
 * public twin. The phone is passed on, never shown in the status and never logged here.
 */
const globToRegExp = (glob) => new RegExp(`^${glob.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

module.exports = function (RED) {
  function TongxinEventInNode(config) {
    RED.nodes.createNode(this, config);
    const t = translator(RED, 'tongxin-event-in');
    const patterns = parseList(config.events).map(globToRegExp);
    const wanted = (name) => patterns.length === 0 || patterns.some((re) => re.test(name));
    const includePrivate = config.includePrivate === true || config.includePrivate === 'true';
    const use = useSite(RED, this, config, t);
    if (!use) return;

    const handler = (isPrivate) => (topic, payload) => {
      const name = topic.slice(topic.lastIndexOf('/') + 1);
      if (!wanted(name)) return;
      // The private copy replaces the public one: a flow must not act on the same event twice.
      if (!isPrivate && includePrivate && PRIVATE_EVENTS.has(name)) return;
      const parsed = parseObject(payload);
      if (!parsed.ok) return use.status.bad(`event ${name}: ${parsed.reason}`);
      use.status.activity(name);
      this.send({ topic, event: name, private: isPrivate, payload: parsed.value });
    };
    use.subscribe('event/+', 1, handler(false));
    if (includePrivate) use.subscribe('private/+', 1, handler(true));
  }
  RED.nodes.registerType('tongxin event in', TongxinEventInNode);
};
