'use strict';
const mqtt = require('mqtt');
const { SiteConnection } = require('./lib/site-connection.js');
const { isSafeId } = require('./lib/topics.js');

/**
 * The Tongxin site: broker URL, credentials and site id, and the ONE MQTT client that every tongxin
 * node of this site shares. Empty fields take the environment that `tongxin start` gives Node-RED
 * (TONGXIN_MQTT_URL, TONGXIN_MQTT_USERNAME, TONGXIN_MQTT_PASSWORD, TONGXIN_SITE_ID), so the shipped
 * flows hold no address and no secret.
 */
module.exports = function (RED) {
  function TongxinSiteNode(config) {
    RED.nodes.createNode(this, config);
    const env = process.env;
    const creds = this.credentials || {};
    this.siteId = String(config.siteId || '').trim() || env.TONGXIN_SITE_ID || '';
    this.url = String(config.url || '').trim() || env.TONGXIN_MQTT_URL || '';
    // A user name in the node goes with the node's password; otherwise both come from the environment.
    const username = creds.username || env.TONGXIN_MQTT_USERNAME || '';
    const password = creds.username ? creds.password || '' : env.TONGXIN_MQTT_PASSWORD || '';
    this.connection = null;

    if (!isSafeId(this.siteId)) {
      this.error(RED._('tongxin-site.errors.siteId'));
      return;
    }
    if (!/^(mqtts?|wss?):\/\//.test(this.url)) {
      this.error(RED._('tongxin-site.errors.url'));
      return;
    }
    this.connection = new SiteConnection({
      url: this.url,
      siteId: this.siteId,
      username,
      password,
      mqtt,
      log: { warn: (m) => this.warn(m), log: (m) => this.log(m) },
    });
    this.connection.start();

    this.on('close', (done) => {
      const c = this.connection;
      this.connection = null;
      c.close().then(() => done(), () => done());
    });
  }

  RED.nodes.registerType('tongxin-site', TongxinSiteNode, {
    credentials: { username: { type: 'text' }, password: { type: 'password' } },
  });
};
