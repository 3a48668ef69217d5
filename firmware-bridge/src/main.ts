import { childLogger, type Logger } from '../../src/core/log.js';
import { runBridge, type BridgeSpec } from './bridge.js';
import { createLink } from './links.js';

/**
 * The bridge as a process: run until SIGTERM/SIGINT (exit 0) or until the link is lost for good
 * (exit 3, and the supervisor starts a fresh one after its backoff).
 */
export async function bridgeMain(spec: BridgeSpec, log: Logger): Promise<number> {
  const link = await createLink(spec.link, { log: childLogger(log, `link:${spec.link.id}`) });
  const bridge = await runBridge(spec, link, { log });
  const onSignal = () => void bridge.stop();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  const code = await bridge.done;
  process.off('SIGTERM', onSignal);
  process.off('SIGINT', onSignal);
  return code;
}
