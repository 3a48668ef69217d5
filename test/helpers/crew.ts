import mqtt, { type MqttClient } from 'mqtt';
import type { CrewAlertPayload } from '../../src/contract/payloads.js';

/** A crew's phone: a persistent MQTT session on its own alert topic, keeping what it received. */
export interface CrewPhone {
  client: MqttClient;
  received: CrewAlertPayload[];
  /** Distinct alerts by id, as a crew app shows them. */
  shown(): Map<string, CrewAlertPayload>;
  ack(alertId: string): Promise<void>;
  close(): Promise<void>;
}

export async function crewPhone(url: string, site: string, crewId: string, password: string, opts: { clientId?: string; clean?: boolean } = {}): Promise<CrewPhone> {
  const client = await mqtt.connectAsync(url, {
    clientId: opts.clientId ?? `phone-${crewId}`,
    clean: opts.clean ?? false,
    username: crewId,
    password,
    reconnectPeriod: 0,
  });
  const received: CrewAlertPayload[] = [];
  client.on('message', (_t, payload) => received.push(JSON.parse(payload.toString()) as CrewAlertPayload));
  await client.subscribeAsync(`tongxin/${site}/crew/${crewId}/alert`, { qos: 1 });
  return {
    client,
    received,
    shown: () => new Map(received.map((a) => [a.alertId, a])),
    ack: async (alertId) => void (await client.publishAsync(`tongxin/${site}/crew/${crewId}/ack`, JSON.stringify({ alertId }), { qos: 1 })),
    close: () => client.endAsync(),
  };
}

/** The password every demo crew gets in tests. */
export const CREW_PASSWORD = 'crew-password-1';
export const DEMO_CREWS = ['crew-wet-dry', 'crew-recycling', 'supervisor'] as const;

/** Broker users for the demo's crews (argon2 hashes, as a real site file has), to put in `doc.mqtt.users`. */
export async function demoCrewUsers(): Promise<{ username: string; passwordHash: string; role: 'crew'; crew: string }[]> {
  const { hash } = await import('@node-rs/argon2');
  const passwordHash = await hash(CREW_PASSWORD);
  return DEMO_CREWS.map((crew) => ({ username: crew, passwordHash, role: 'crew' as const, crew }));
}
