'use strict';
const { parseObject, missingString } = require('./lib/payload.js');
const { parseList } = require('./lib/topics.js');
const { useSite, translator, refuseBadId } = require('./lib/use-site.js');

/**
 * Calibrated readings as the service publishes them on `sensor/<sensorId>/value` (QoS 0):
 * `{ sensorId, kind, value, unit, at }`, for the listed sensors or all of them.
 */
module.exports = function (RED) {
  function TongxinSensorInNode(config) {
    RED.nodes.createNode(this, config);
    const t = translator(RED, 'tongxin-sensor-in');
    const ids = parseList(config.sensors);
    if (refuseBadId(this, ids, t('status.badSensor'), 'sensor id')) return;
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
    for (const id of ids.length > 0 ? ids : ['+']) use.subscribe(`sensor/${id}/value`, 0, onValue);
  }
  RED.nodes.registerType('tongxin sensor in', TongxinSensorInNode);
};
