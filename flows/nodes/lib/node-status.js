'use strict';
/**
 * A node's status dot: the broker connection (ring), the last thing it did (dot, with the time) and
 * how many bad payloads it has seen. Bad payloads are warned about with their reason, at most once
 * per WARN_EVERY_MS: a device stuck sending garbage must not fill the Pi's log.
 */
const WARN_EVERY_MS = 10_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** HH:MM:SS in the site's zone (Asia/Shanghai, no DST), whatever zone the Pi is set to. */
const siteTime = (ms) => new Date(ms + SHANGHAI_OFFSET_MS).toISOString().slice(11, 19);

/**
 * @param {object} node the Node-RED node
 * @param {import('./site-connection.js').SiteConnection} connection
 * @param {(key: string, params?: object) => string} t translates `status.*` keys of the node's catalogue
 */
function trackStatus(node, connection, t, now = Date.now) {
  let last; // { text, fill, at }
  let badCount = 0;
  let lastWarnAt = -Infinity;
  let stopped = false;

  const render = () => {
    if (stopped) return;
    const bad = badCount > 0 ? ` · ${t('status.bad', { count: badCount })}` : '';
    if (connection.state !== 'connected') {
      const fill = connection.state === 'connecting' ? 'yellow' : 'red';
      node.status({ fill, shape: 'ring', text: t(`status.${connection.state}`) + bad });
    } else if (last) {
      node.status({ fill: last.fill, shape: 'dot', text: `${last.text} · ${siteTime(last.at)}${bad}` });
    } else {
      node.status({ fill: badCount > 0 ? 'yellow' : 'green', shape: 'ring', text: t('status.connected') + bad });
    }
  };
  const onState = () => render();
  connection.on('state', onState);
  render();

  return {
    /** Something happened: `text` must never hold personal data (it is shown in the editor). */
    activity(text, fill = 'green') {
      last = { text, fill, at: now() };
      render();
    },
    bad(reason) {
      badCount += 1;
      const at = now();
      if (at - lastWarnAt >= WARN_EVERY_MS) {
        lastWarnAt = at;
        node.warn(`${reason} (${badCount} bad so far)`);
      }
      render();
    },
    get badCount() {
      return badCount;
    },
    stop() {
      stopped = true;
      connection.off('state', onState);
    },
  };
}

/** For a node whose site is missing or incomplete: a red ring that says so, and nothing else. */
function noSite(node, t) {
  node.status({ fill: 'red', shape: 'ring', text: t('status.noSite') });
}

module.exports = { trackStatus, noSite, siteTime, WARN_EVERY_MS };
