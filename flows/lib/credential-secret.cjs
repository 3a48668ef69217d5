'use strict';
const fs = require('node:fs');
const path = require('node:path');

/**
 * The key that encrypts the flows' credentials (flows_cred.json): TONGXIN_NODERED_SECRET, or the file
 * `<userDir>/.credential-secret` that `tongxin start` creates. Without either, Node-RED must not
 * start: its fallback is a key it makes up and keeps beside the flows, and a default would be the
 * same on every Pi.
 */
const SECRET_FILE = '.credential-secret';
const MIN_LENGTH = 16;

class NoCredentialSecret extends Error {}

function credentialSecret(env, userDir) {
  const fromEnv = (env.TONGXIN_NODERED_SECRET || '').trim();
  if (fromEnv) return check(fromEnv, 'TONGXIN_NODERED_SECRET');
  if (!userDir) {
    throw new NoCredentialSecret('Tongxin: Node-RED needs --userDir (tongxin start passes <dataDir>/node-red) or TONGXIN_NODERED_SECRET; refusing to start.');
  }
  const file = path.join(userDir, SECRET_FILE);
  let secret;
  try {
    secret = fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new NoCredentialSecret(
      `Tongxin: no credential secret: ${file} is missing (${err.code}) and TONGXIN_NODERED_SECRET is not set. ` +
        'tongxin start creates the file; refusing to start rather than encrypt credentials with a made-up key.',
    );
  }
  return check(secret, file);
}

function check(secret, where) {
  if (secret.length < MIN_LENGTH) throw new NoCredentialSecret(`Tongxin: the credential secret in ${where} is shorter than ${MIN_LENGTH} characters; refusing to start.`);
  return secret;
}

module.exports = { credentialSecret, NoCredentialSecret, SECRET_FILE };
