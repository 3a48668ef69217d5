'use strict';
const { isSafeId } = require('./lib/topics.js');
const { ask, refuseInput, requestNode, payloadObject } = require('./lib/request.js');

/**
 * Asks the service to move an actuator (`request/actuator/<actuatorId>`). Node-RED never commands a
 * device itself: the service applies its own rules (a valve run becomes a garden override within the
 * site's limits) and may refuse; the reply says which. Each setting is the node's when set, else the
 * message's: actuatorId (`msg.actuatorId` / `msg.payload.actuatorId`), state, minutes, reason.
 */
// A valve takes on/off (or auto: back to the garden's own rules); a lid open/closed (the service refuses those).
const STATES = ['on', 'off', 'auto', 'open', 'closed'];
const MAX_MINUTES = 24 * 60;

module.exports = function (RED) {
  function TongxinActuatorNode(config) {
    RED.nodes.createNode(this, config);
    const ctx = requestNode(RED, this, config, 'tongxin-actuator');
    if (!ctx) return;
    const { t } = ctx;
    const fixedId = String(config.actuator || '').trim();
    const fixedMinutes = config.minutes === '' || config.minutes === undefined ? undefined : Number(config.minutes);

    this.on('input', (msg, send, done) => {
      const p = payloadObject(msg);
      const actuatorId = fixedId || p.actuatorId || msg.actuatorId;
      if (!isSafeId(actuatorId)) return refuseInput(ctx, t('status.noActuator'), done);
      const state = STATES.includes(config.state) ? config.state : p.state ?? msg.state;
      if (!STATES.includes(state)) return refuseInput(ctx, t('status.badState'), done);
      const minutes = fixedMinutes ?? p.minutes ?? msg.minutes;
      if (minutes !== undefined && !(typeof minutes === 'number' && minutes > 0 && minutes <= MAX_MINUTES)) {
        return refuseInput(ctx, t('status.badMinutes'), done);
      }
      const reason = String(config.reason || p.reason || msg.reason || 'node-red').slice(0, 200);
      const body = { state, ...(minutes !== undefined ? { minutes } : {}), reason };
      ask(ctx, { rel: `actuator/${actuatorId}`, body, label: `${actuatorId} ${state}` }, msg, send, done);
    });
  }
  RED.nodes.registerType('tongxin actuator', TongxinActuatorNode);
};
