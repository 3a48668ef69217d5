'use strict';
const { isSafeId } = require('./lib/topics.js');
const { useSite, translator } = require('./lib/use-site.js');
const { ask, refuseInput, timeoutMs } = require('./lib/request.js');

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
    const t = translator(RED, 'tongxin-ack');
    const use = useSite(RED, this, config, t);
    if (!use) {
      // Nothing can be asked without a site: say so for each message, so a Catch node hears of it.
      this.on('input', (msg, send, done) => done(new Error(t('status.noSite'))));
      return;
    }
    const ctx = { node: this, use, t };
    const wait = timeoutMs(config.timeout);

    this.on('input', (msg, send, done) => {
      const p = msg.payload && typeof msg.payload === 'object' ? msg.payload : {};
      const alertId = p.alertId ?? msg.alertId;
      if (!isSafeId(alertId)) return refuseInput(ctx, t('status.noAlertId'), done);
      const action = ACTIONS.includes(config.action) ? config.action : msg.action;
      if (!ACTIONS.includes(action)) return refuseInput(ctx, t('status.badAction'), done);
      const note = msg.note ?? p.note;
      const body = { action, ...(typeof note === 'string' && note !== '' ? { note: note.slice(0, MAX_NOTE) } : {}) };
      ask(ctx, { rel: `alert/${alertId}`, body, label: `${action} ${alertId}`, timeoutMs: wait }, msg, send, done);
    });
  }
  RED.nodes.registerType('tongxin ack', TongxinAckNode);
};
