'use strict';
/**
 * The common half of the nodes that ask the service for something (ack an alert, move an actuator):
 * send the request, wait for the reply, pass the reply on as msg.payload (ok or refused), or report a
 * timeout through node.error(…, msg) so that a Catch node sees it.
 */
const DEFAULT_TIMEOUT_S = 10;

function timeoutMs(value) {
  const s = Number(value);
  return (Number.isFinite(s) && s > 0 ? Math.min(s, 300) : DEFAULT_TIMEOUT_S) * 1000;
}

/**
 * @param {{ node: object, use: { connection: object, status: object }, t: Function }} ctx
 * @param {{ rel: string, body: object, label: string, timeoutMs: number }} req
 */
async function ask(ctx, req, msg, send, done) {
  const { use, t } = ctx;
  use.status.activity(t('status.waiting', { what: req.label }), 'blue');
  let reply;
  try {
    reply = await use.connection.request(req.rel, req.body, req.timeoutMs);
  } catch (err) {
    use.status.activity(err.code === 'TONGXIN_REPLY_TIMEOUT' ? t('status.timeout', { what: req.label }) : t('status.failed', { what: req.label }), 'red');
    return done(err);
  }
  if (reply.ok) use.status.activity(t('status.ok', { what: req.label }), 'green');
  else use.status.activity(t('status.refused', { what: req.label, reason: String(reply.reason || '?').slice(0, 60) }), 'yellow');
  msg.payload = reply;
  send(msg);
  done();
}

/** A node's input error: no request is sent, and a Catch node gets the message. */
function refuseInput(ctx, text, done) {
  ctx.use.status.activity(text, 'red');
  done(new Error(text));
}

module.exports = { ask, refuseInput, timeoutMs, DEFAULT_TIMEOUT_S };
