'use strict';
const { isSafeId } = require('./lib/topics.js');
const { ask, refuseInput, requestNode, payloadObject } = require('./lib/request.js');

/**
 * Acks or resolves an alert through the service (`request/alert/<alertId>`), which records who did it
 * and tells the crews. The alert is `msg.payload.alertId` or `msg.alertId` (so a `tongxin alert in`
 * message can be wired straight in); the action is the node's, or `msg.action` when the node says
 * "from msg".
 */
const ACTIONS = ['ack', 'resolve'];
const MAX_NOTE = 500;

module.exports = function (RED) {
  function TongxinAckNode(config) {
    RED.nodes.createNode(this, config);
    const ctx = requestNode(RED, this, config, 'tongxin-ack');
    if (!ctx) return;
    const { t } = ctx;

    this.on('input', (msg, send, done) => {
      const p = payloadObject(msg);
      const alertId = p.alertId ?? msg.alertId;
      if (!isSafeId(alertId)) return refuseInput(ctx, t('status.noAlertId'), done);
      const action = ACTIONS.includes(config.action) ? config.action : msg.action;
      if (!ACTIONS.includes(action)) return refuseInput(ctx, t('status.badAction'), done);
      const note = msg.note ?? p.note;
      const body = { action, ...(typeof note === 'string' && note !== '' ? { note: note.slice(0, MAX_NOTE) } : {}) };
      ask(ctx, { rel: `alert/${alertId}`, body, label: `${action} ${alertId}` }, msg, send, done);
    });
  }
  RED.nodes.registerType('tongxin ack', TongxinAckNode);
};
