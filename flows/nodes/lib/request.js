'use strict';
const { useSite, translator } = require('./use-site.js');
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
 * @param {{ node: object, use: { connection: object, status: object }, t: Function, wait?: number }} ctx from requestNode
 * @param {{ rel: string, body: object, label: string, timeoutMs?: number }} req (timeoutMs: the node's, ctx.wait, by default)
 */
async function ask(ctx, req, msg, send, done) {
  const { use, t } = ctx;
  use.status.activity(t('status.waiting', { what: req.label }), 'blue');
  let reply;
  try {
    reply = await use.connection.request(req.rel, req.body, req.timeoutMs ?? ctx.wait);
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

/**
 * The set-up every asking node shares: its translator, its site and its timeout. Without a usable
 * site, undefined, and each message is refused so that a Catch node hears of it.
 * @returns {{ node: object, use: object, t: Function, wait: number } | undefined}
 */
function requestNode(RED, node, config, prefix) {
  const t = translator(RED, prefix);
  const use = useSite(RED, node, config, t);
  if (!use) {
    node.on('input', (msg, send, done) => done(new Error(t('status.noSite'))));
    return undefined;
  }
  return { node, use, t, wait: timeoutMs(config.timeout) };
}

/** `msg.payload` when it is an object, else an empty one: where a message's settings may be. */
const payloadObject = (msg) => (msg.payload && typeof msg.payload === 'object' ? msg.payload : {});

/** A node's input error: no request is sent, and a Catch node gets the message. */
function refuseInput(ctx, text, done) {
  ctx.use.status.activity(text, 'red');
  done(new Error(text));
}

module.exports = { ask, refuseInput, requestNode, payloadObject, timeoutMs, DEFAULT_TIMEOUT_S };
