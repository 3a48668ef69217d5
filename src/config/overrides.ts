import type { SiteConfig } from './schema.js';

/**
 * Command-line and test overrides on top of a validated site file: ports (0 = a free one), the data
 * folder, the simulator and Node-RED. Returns a new frozen config; the original stays as it was.
 */
export interface ConfigOverrides {
  dataDir?: string;
  httpPort?: number;
  httpHost?: string;
  mqttPort?: number;
  mqttWsPort?: number;
  simulator?: boolean;
  nodered?: boolean;
}

export function applyOverrides(config: SiteConfig, o: ConfigOverrides): SiteConfig {
  const c = structuredClone(config) as SiteConfig;
  if (o.dataDir !== undefined) c.dataDir = o.dataDir;
  if (o.httpPort !== undefined) c.http.port = o.httpPort;
  if (o.httpHost !== undefined) c.http.host = o.httpHost;
  if (o.simulator !== undefined) c.simulator.enabled = o.simulator;
  if (o.nodered !== undefined) c.nodered.enabled = o.nodered;
  const listeners = c.mqtt.embedded?.listeners ?? [];
  const tcp = listeners.find((l) => !l.websocket);
  if (o.mqttPort !== undefined && tcp) tcp.port = o.mqttPort;
  const ws = listeners.find((l) => l.websocket);
  if (o.mqttWsPort !== undefined && ws) ws.port = o.mqttWsPort;
  return Object.freeze(c);
}
