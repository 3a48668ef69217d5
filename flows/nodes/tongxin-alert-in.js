'use strict';
const { parseObject, missingString } = require('./lib/payload.js');
const { parseList } = require('./lib/topics.js');
const { useSite, translator, refuseBadId, RecentKeys } = require('./lib/use-site.js');

/**
 * Alerts as the service publishes them: every alert on `alert/<kind>`, or one crew's on
 * `crew/<crewId>/alert`, filtered by kind and state. The service re-sends an alert until it is
 * acked, so each (alertId, state) is passed on once in this node's life.
 */
const DEDUPE_KEYS = 10_000;

module.exports = function (RED) {
  function TongxinAlertInNode(config) {
    RED.nodes.createNode(this, config);
    const t = translator(RED, 'tongxin-alert-in');
    const crew = String(config.crew || '').trim();
    if (crew && refuseBadId(this, [crew], t('status.badCrew'), 'crew id')) return;
    const use = useSite(RED, this, config, t);
    if (!use) return;
    const kinds = new Set(parseList(config.kinds));
    const states = new Set(parseList(config.states));
    const seen = new RecentKeys(DEDUPE_KEYS);

    use.subscribe(crew ? `crew/${crew}/alert` : 'alert/+', 1, (topic, payload) => {
      const parsed = parseObject(payload);
      if (!parsed.ok) return use.status.bad(`alert on ${topic}: ${parsed.reason}`);
      const alert = parsed.value;
      const missing = missingString(alert, ['alertId', 'kind', 'state']);
      if (missing) return use.status.bad(`alert on ${topic}: no ${missing}`);
      if (kinds.size > 0 && !kinds.has(alert.kind)) return;
      if (states.size > 0 && !states.has(alert.state)) return;
      if (!seen.add(`${alert.alertId}\u0000${alert.state}`)) return;
      use.status.activity(`${alert.kind} ${alert.state}`, alert.state === 'resolved' || alert.state === 'acked' ? 'grey' : 'green');
      this.send({ topic, payload: alert, alertId: alert.alertId, kind: alert.kind, state: alert.state });
    });
  }
  RED.nodes.registerType('tongxin alert in', TongxinAlertInNode);
};
