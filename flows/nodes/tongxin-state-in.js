'use strict';
const { parseObject } = require('./lib/payload.js');
const { parseList } = require('./lib/topics.js');
const { useSite, translator, refuseBadId } = require('./lib/use-site.js');

/**
 * The retained state the service keeps on the bus: a garden bed (moisture, dry/ok/wet, watering), a
 * bin (fill, level), a collection point (open or closed), the lounge (people inside). The current
 * state arrives when the flow starts, then every change.
 */
const TOPICS = {
  garden: (id) => `garden/${id}/state`,
  bin: (id) => `bin/${id}/state`,
  point: (id) => `point/${id}/state`,
};

module.exports = function (RED) {
  function TongxinStateInNode(config) {
    RED.nodes.createNode(this, config);
    const t = translator(RED, 'tongxin-state-in');
    const kind = config.kind === 'lounge' || TOPICS[config.kind] ? config.kind : 'garden';
    const ids = parseList(config.ids);
    if (refuseBadId(this, ids, t('status.badId'), 'id')) return;
    const use = useSite(RED, this, config, t);
    if (!use) return;

    const onState = (topic, payload) => {
      const parsed = parseObject(payload);
      if (!parsed.ok) return use.status.bad(`state on ${topic}: ${parsed.reason}`);
      const state = parsed.value;
      // The topic names the thing; the payload's own id field is not trusted to agree.
      const id = kind === 'lounge' ? 'lounge' : topic.split('/').at(-2);
      // A word for the status: a bed's or bin's level, a point open or closed, people in the lounge.
      const summary = kind === 'lounge' ? state.inside : kind === 'point' ? (state.open ? 'open' : 'closed') : state.level;
      use.status.activity(summary === undefined ? id : `${id} ${summary}`);
      this.send({ topic, kind, id, payload: state });
    };
    const rels = kind === 'lounge' ? ['lounge/occupancy'] : (ids.length > 0 ? ids : ['+']).map(TOPICS[kind]);
    for (const rel of rels) use.subscribe(rel, 1, onState);
  }
  RED.nodes.registerType('tongxin state in', TongxinStateInNode);
};
