'use strict';
const { parseObject, missingString } = require('./lib/payload.js');
const { isSafeId, parseList } = require('./lib/topics.js');
const { useSite, translator } = require('./lib/use-site.js');

/**
 * Calibrated readings as the service publishes them on `sensor/<sensorId>/value` (QoS 0):
 * `{ sensorId, kind, value, unit, at }`, for the listed sensors or all of them.
 */
module.exports = function (RED) {
  function TongxinSensorInNode(config) {
    RED.nodes.createNode(this, config);
    const t = translator(RED, 'tongxin-sensor-in');
    const ids = parseList(config.sensors);
    const bad = ids.find((id) => !isSafeId(id));
    if (bad) {
      this.status({ fill: 'red', shape: 'ring', text: t('status.badSensor') });
      this.error(`sensor id "${bad}" is not a valid id`);
      return;
    }
    const use = useSite(RED, this, config, t);
    if (!use) return;

    const onValue = (topic, payload) => {
      const parsed = parseObject(payload);
      if (!parsed.ok) return use.status.bad(`reading on ${topic}: ${parsed.reason}`);
      const reading = parsed.value;
      const missing = missingString(reading, ['sensorId']) ?? (typeof reading.value === 'number' && Number.isFinite(reading.value) ? undefined : 'numeric value');
      if (missing) return use.status.bad(`reading on ${topic}: no ${missing}`);
      use.status.activity(`${reading.sensorId} ${reading.value}${reading.unit ? ` ${reading.unit}` : ''}`);
      this.send({ topic, payload: reading, sensorId: reading.sensorId });
    };
    const offs = (ids.length > 0 ? ids : ['+']).map((id) => use.connection.subscribe(`sensor/${id}/value`, 0, onValue));
    this.on('close', () => offs.forEach((off) => off()));
  }
  RED.nodes.registerType('tongxin sensor in', TongxinSensorInNode);
};
