/** A TCP port that was free a moment ago on 127.0.0.1: the service's own helper (it picks Node-RED's port). */
export { freePort } from '../../src/core/free-port.js';
