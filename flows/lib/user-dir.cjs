'use strict';
/**
 * The --userDir that Node-RED was started with. red.js sets settings.userDir only after it has loaded
 * the settings file, but the credential secret lives in the user dir and is needed while loading, so
 * the argument is read here the way red.js (nopt) accepts it: `--userDir DIR`, `--userDir=DIR`, `-u DIR`.
 */
function userDirFromArgv(argv) {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if ((a === '--userDir' || a === '-u') && i + 1 < argv.length) return argv[i + 1];
    if (a.startsWith('--userDir=')) return a.slice('--userDir='.length);
  }
  return undefined;
}

module.exports = { userDirFromArgv };
