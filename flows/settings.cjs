'use strict';
/**
 * Node-RED settings for a Tongxin site (option names as in node-red 4.1's settings.js template).
 *
 * `tongxin start` runs Node-RED as its child:
 *   node node_modules/node-red/red.js --settings flows/settings.cjs --userDir <dataDir>/node-red --port <port>
 * with TONGXIN_SITE_ID, TONGXIN_MQTT_URL/USERNAME/PASSWORD, TONGXIN_HTTP_URL, TONGXIN_NODERED_PORT,
 * TONGXIN_FLOWS_DIR, the webhook URLs and, optionally, TONGXIN_NODERED_SECRET in its environment.
 * CommonJS (.cjs) because the repository's package.json says "type": "module" and red.js requires this.
 */
const path = require('node:path');
const { userDirFromArgv } = require('./lib/user-dir.cjs');
const { credentialSecret } = require('./lib/credential-secret.cjs');
const { createStaffLogin } = require('./lib/staff-login.cjs');
const { createAdminAuth } = require('./lib/admin-auth.cjs');
const { createHttpNodeAuth } = require('./lib/http-node-auth.cjs');

const env = process.env;
const userDir = userDirFromArgv(process.argv);
const staffLogin = createStaffLogin({ baseUrl: env.TONGXIN_HTTP_URL });

module.exports = {
  uiPort: Number(env.TONGXIN_NODERED_PORT) || 1880,
  // The editor has the power to change what the site does: loopback only unless told otherwise
  // (an ssh tunnel reaches it: ssh -L 1880:127.0.0.1:1880 pi@lounge).
  uiHost: env.TONGXIN_NODERED_HOST || '127.0.0.1',

  // userDir comes from --userDir; the flows live there, so a maintainer's edits survive upgrades.
  flowFile: 'flows.json',
  flowFilePretty: true,
  // Throws (and Node-RED refuses to start) when there is no secret: see lib/credential-secret.cjs.
  credentialSecret: credentialSecret(env, userDir),
  // Our palette, loaded from the repository without an npm install (a package.json with "node-red").
  nodesDir: [path.join(__dirname, 'nodes')],

  adminAuth: createAdminAuth(staffLogin),
  // A function here is used as the middleware in front of every HTTP-in node (red.js).
  httpNodeAuth: createHttpNodeAuth(staffLogin),

  logging: { console: { level: 'info', metrics: false, audit: false } },
  diagnostics: { enabled: false, ui: false },
  runtimeState: { enabled: false, ui: false },
  telemetry: { enabled: false, updateNotification: false },
  // A Pi without internet must never try npm: no palette manager, no modules for function nodes.
  externalModules: {
    autoInstall: false,
    palette: { allowInstall: false, allowUpdate: false, allowUpload: false },
    modules: { allowInstall: false },
  },
  functionExternalModules: false,
  exportGlobalContextKeys: false,
  // Webhooks (WeCom, DingTalk, the SMS gateway) that hang must not hold messages for two minutes.
  httpRequestTimeout: 20_000,

  editorTheme: {
    page: { title: 'Tongxin · Node-RED' },
    header: { title: '同Xin Tongxin · Node-RED' },
    projects: { enabled: false },
    tours: false,
    palette: { categories: ['tongxin', 'common', 'function', 'network', 'sequence', 'parser', 'storage'] },
  },
};
