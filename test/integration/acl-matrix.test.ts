import { connect as tcpConnect } from 'node:net';
import { hash } from '@node-rs/argon2';
import mqtt, { type IClientOptions } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, waitFor } from '../helpers/app.js';

/**
 * "Every forbidden publish and subscribe of every role is refused", over real connections to the
 * embedded broker. The expected outcomes are written out below by hand, from the rules as the README
 * states them (§MQTT contract), not computed with `canPublish`/`canSubscribe`, so this checks the
 * code against the contract rather than against itself.
 *
 * A publish is "allowed" when the service's own connection, subscribed to `#` and `$SYS/#` (no other
 * identity may read the whole broker), receives it and the publisher stays connected; "refused" when it never arrives and the broker closes the publisher's
 * connection. Each publish gets its own short-lived connection, so one refusal cannot hide another.
 * A subscription is allowed when the SUBACK grants QoS 1, refused when it carries 0x80.
 */
const SITE = 'xianxia-demo';

type Role = 'anon' | 'nocred' | 'device' | 'crew' | 'observer' | 'nodered';
/** The table's column order. */
const ROLES: readonly Role[] = ['anon', 'nocred', 'device', 'crew', 'observer', 'nodered'];
const ROLE_NOTES: Record<Role, string> = {
  anon: 'anonymous, on the loopback demo listener',
  nocred: 'anonymous, on the listener that requires credentials (refused at CONNECT)',
  device: 'device garden-node (soil-* sensors, valve-* actuators)',
  crew: 'crew crew-wet-dry',
  observer: 'observer',
  nodered: 'Node-RED',
};
/** The label aedes counts a denial under, for the roles that get a connection. */
const ACL_ROLE: Record<Exclude<Role, 'nocred'>, string> = { anon: 'anonymous-local', device: 'device', crew: 'crew', observer: 'observer', nodered: 'nodered' };

/** `~/x` is `tongxin/xianxia-demo/x`; anything else is taken as written. */
const topic = (t: string) => (t.startsWith('~/') ? `tongxin/${SITE}/${t.slice(2)}` : t);
const ALL_NO = '✗ ✗ ✗ ✗ ✗ ✗';

// prettier-ignore
const PUBLISH: [string, boolean, string][] = [
  //  topic                                        retain   anon nocred device crew observer nodered
  ['~/sensor/soil-herbs-a/raw',                    false,  '✓ ✗ ✓ ✗ ✗ ✗'], // a sensor on garden-node
  ['~/sensor/soil-herbs-a/raw',                    true,   ALL_NO],        // readings are never retained
  ['~/sensor/bin-p1-wet/raw',                      false,  '✓ ✗ ✗ ✗ ✗ ✗'], // a sensor on bins-p1
  ['~/sensor/no-such-sensor/raw',                  false,  '✓ ✗ ✗ ✗ ✗ ✗'], // anonymous: any reading (the service validates it)
  ['~/sensor/soil-herbs-a/raw/extra',              false,  ALL_NO],        // not a sensor topic
  ['~/device/garden-node/status',                  true,   '✗ ✗ ✓ ✗ ✗ ✗'],
  ['~/device/garden-node/status',                  false,  '✗ ✗ ✓ ✗ ✗ ✗'],
  ['~/device/bins-p1/status',                      true,   ALL_NO],
  ['~/actuator/valve-herbs/set',                   false,  ALL_NO],        // commands come from the service only
  ['~/actuator/lid-p1-wet/set',                    false,  ALL_NO],
  ['~/actuator/valve-herbs/state',                 true,   '✗ ✗ ✓ ✗ ✗ ✗'], // garden-node's own valve
  ['~/actuator/valve-herbs/state',                 false,  '✗ ✗ ✓ ✗ ✗ ✗'],
  ['~/actuator/lid-p1-wet/state',                  true,   ALL_NO],
  ['~/bin/p1-wet/state',                           true,   ALL_NO],
  ['~/bin/p1-wet/state',                           false,  ALL_NO],
  ['~/point/p1/state',                             true,   ALL_NO],
  ['~/garden/bed-herbs/state',                     true,   ALL_NO],
  ['~/lounge/occupancy',                           true,   ALL_NO],
  ['~/alert/bin-full',                             false,  ALL_NO],
  ['~/crew/crew-wet-dry/alert',                    false,  ALL_NO],
  ['~/crew/crew-recycling/alert',                  false,  ALL_NO],
  ['~/crew/crew-wet-dry/ack',                      false,  '✗ ✗ ✗ ✓ ✗ ✗'], // Node-RED acks through request/alert/…
  ['~/crew/crew-wet-dry/ack',                      true,   ALL_NO],
  ['~/crew/crew-recycling/ack',                    false,  ALL_NO],
  ['~/event/pickup.recorded',                      false,  ALL_NO],
  ['~/event/summary.daily',                        false,  ALL_NO],
  ['~/private/signup.promoted',                    false,  ALL_NO],
  ['~/sensor/soil-herbs-a/value',                  false,  ALL_NO],        // calibrated values come from the service
  ['~/request/hazardous-pickup',                   false,  '✗ ✗ ✗ ✗ ✗ ✓'],
  ['~/request/hazardous-pickup',                   true,   ALL_NO],
  ['~/request/actuator/valve-herbs',               false,  '✗ ✗ ✗ ✗ ✗ ✓'], // Node-RED asks; the service decides
  ['~/request/actuator/valve-herbs',               true,   ALL_NO],
  ['~/request/alert/acl-probe-alert',              false,  '✗ ✗ ✗ ✗ ✗ ✓'],
  ['~/reply/acl-probe-request',                    false,  ALL_NO],
  ['tongxin/other-site/sensor/soil-herbs-a/raw',   false,  ALL_NO],
  ['tongxin/other-site/crew/crew-wet-dry/ack',     false,  ALL_NO],
  ['tongxin/other-site/request/hazardous-pickup',  false,  ALL_NO],
  ['$SYS/acl-probe',                               false,  ALL_NO],
  ['elsewhere/acl-probe',                          false,  ALL_NO],
];

const READ = '✓ ✗ ✗ ✗ ✓ ✓'; // anyone who may read the whole site
// prettier-ignore
const SUBSCRIBE: [string, string][] = [
  //  filter                                       anon nocred device crew observer nodered
  ['#',                                            ALL_NO],        // only the service reads the whole broker
  ['$SYS/#',                                       ALL_NO],
  ['tongxin/#',                                    ALL_NO],
  ['tongxin/+/#',                                  ALL_NO],
  ['+/xianxia-demo/#',                             ALL_NO],
  ['tongxin/other-site/#',                         ALL_NO],
  ['tongxin/other-site/crew/crew-wet-dry/alert',   ALL_NO],
  ['~/#',                                          READ],          // private/… is then withheld per message
  ['~/private/#',                                  '✗ ✗ ✗ ✗ ✗ ✓'], // a promoted resident's phone: Node-RED only
  ['~/private/signup.promoted',                    '✗ ✗ ✗ ✗ ✗ ✓'],
  ['~/sensor/+/value',                             READ],
  ['~/reply/#',                                    READ],
  ['~/sensor/+/raw',                               READ],
  ['~/sensor/soil-herbs-a/raw',                    READ],
  ['~/device/garden-node/status',                  READ],
  ['~/device/+/status',                            READ],
  ['~/actuator/valve-herbs/set',                   '✓ ✗ ✓ ✗ ✓ ✓'], // garden-node's own valve
  ['~/actuator/lid-p1-wet/set',                    READ],
  ['~/actuator/+/set',                             READ],
  ['~/actuator/valve-herbs/#',                     READ],
  ['~/actuator/valve-herbs/state',                 READ],
  ['~/actuator/+/state',                           READ],
  ['~/bin/+/state',                                READ],
  ['~/bin/p1-wet/state',                           READ],
  ['~/point/p1/state',                             READ],
  ['~/garden/+/state',                             READ],
  ['~/lounge/occupancy',                           READ],
  ['~/alert/#',                                    READ],
  ['~/alert/bin-full',                             READ],
  ['~/crew/crew-wet-dry/alert',                    '✓ ✗ ✗ ✓ ✓ ✓'], // the crew's own alerts
  ['~/crew/crew-recycling/alert',                  READ],
  ['~/crew/+/alert',                               READ],
  ['~/crew/crew-wet-dry/#',                        READ],
  ['~/crew/crew-wet-dry/ack',                      READ],
  ['~/crew/+/ack',                                 READ],
  ['~/event/#',                                    READ],
  ['~/request/#',                                  READ],
];

/** The table's cell for one role: true when the contract allows it. */
function expected(cells: string, role: Role): boolean {
  const marks = cells.split(/\s+/);
  if (marks.length !== ROLES.length || marks.some((m) => m !== '✓' && m !== '✗')) throw new Error(`bad table row: ${cells}`);
  return marks[ROLES.indexOf(role)] === '✓';
}

const PUB_ALLOWED = 'delivered, publisher still connected';
const PUB_REFUSED = 'not delivered, publisher disconnected';
const SUB_ALLOWED = 'granted QoS 1';
const SUB_REFUSED = 'refused (SUBACK 0x80), still connected';
const AT_CONNECT = 'refused at CONNECT (CONNACK 5), nothing else answered';

let app: RunningApp;
let stopAll: () => Promise<void>;
let demoTcp: string;
let securedTcp: string;
let securedPort: number;
const seen = new Set<string>();
const watch = (_t: string, payload: Buffer) => void seen.add(payload.toString());
let probeN = 0;

const PASSWORDS = { garden: 'device-pw-1', 'crew-wd': 'crew-pw-1', obs: 'observer-pw-1', nr: 'nodered-pw-1' };
const connectOptions: Record<Exclude<Role, 'nocred'>, () => { url: string; opts: IClientOptions }> = {
  anon: () => ({ url: demoTcp, opts: {} }),
  device: () => ({ url: securedTcp, opts: { username: 'garden', password: PASSWORDS.garden } }),
  crew: () => ({ url: securedTcp, opts: { username: 'crew-wd', password: PASSWORDS['crew-wd'] } }),
  observer: () => ({ url: securedTcp, opts: { username: 'obs', password: PASSWORDS.obs } }),
  nodered: () => ({ url: securedTcp, opts: { username: 'nr', password: PASSWORDS.nr } }),
};
const connect = (url: string, opts: IClientOptions = {}) => mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 3000, ...opts });
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

beforeAll(async () => {
  const { dir, remove } = tempDir();
  const [garden, crew, obs, nr] = await Promise.all([hash(PASSWORDS.garden), hash(PASSWORDS['crew-wd']), hash(PASSWORDS.obs), hash(PASSWORDS.nr)]);
  const base = await demoConfigWith((doc) => {
    doc.mqtt.embedded.listeners.push({ host: '127.0.0.1', port: 0 }); // requires credentials
    doc.mqtt.users = [
      { username: 'garden', passwordHash: garden, role: 'device', device: 'garden-node' },
      { username: 'crew-wd', passwordHash: crew, role: 'crew', crew: 'crew-wet-dry' },
      { username: 'obs', passwordHash: obs, role: 'observer' },
      { username: 'nr', passwordHash: nr, role: 'nodered' },
    ];
  });
  ({ app } = await startTestApp({ dataDir: dir, config: testConfig(dir, {}, base) }));
  stopAll = async () => {
    await app.stop();
    remove();
  };
  demoTcp = app.mqttUrl;
  securedPort = app.brokerListeners.find((l) => !l.websocket && !l.anonymousLocal)?.port as number;
  securedTcp = `mqtt://127.0.0.1:${securedPort}`;

  // Rejects if the broker refuses either filter.
  await app.mqtt.subscribe('#', watch, 1);
  await app.mqtt.subscribe('$SYS/#', watch, 1);
});
afterAll(async () => stopAll?.());

/** Until the watcher has its own marker back, so everything published before it has been seen. */
async function barrier(): Promise<void> {
  const marker = `acl-barrier-${++probeN}`;
  await app.mqtt.publish(topic(`~/request/${marker}`), marker, { qos: 1 });
  await waitFor('the watcher’s barrier', () => seen.has(marker), 3000, 5);
}

/** Publishes once on a fresh connection; says whether the broker acked it and whether it closed the connection. */
async function publishOnce(role: Exclude<Role, 'nocred'>, t: string, retain: boolean) {
  const payload = `acl-probe-${++probeN}`;
  const { url, opts } = connectOptions[role]();
  const c = await connect(url, opts);
  c.on('error', () => undefined);
  let closed = false;
  const onClose = new Promise<false>((r) => c.once('close', () => ((closed = true), r(false))));
  const acked = await Promise.race([
    c.publishAsync(t, payload, { qos: 1, retain }).then(
      () => true,
      () => false,
    ),
    onClose,
    sleep(3000).then(() => false),
  ]);
  // An allowed publish keeps the connection: give a wrong close a moment to show.
  if (acked) await sleep(20);
  return { payload, acked, closed: () => closed, end: () => c.endAsync(true).catch(() => undefined) };
}

/**
 * The raw bytes of CONNECT (anonymous) followed at once by `next`, on a TCP socket: a client that
 * pipelines its first PUBLISH or SUBSCRIBE behind the CONNECT must get nothing but the refusal.
 */
const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const str = (s: string) => Buffer.concat([u16(Buffer.byteLength(s)), Buffer.from(s)]);
function frame(header: number, body: Buffer): Buffer {
  const len: number[] = [];
  let n = body.length;
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    len.push(b);
  } while (n > 0);
  return Buffer.concat([Buffer.from([header, ...len]), body]);
}
const CONNECT = (clientId: string) => frame(0x10, Buffer.concat([str('MQTT'), Buffer.from([4, 0x02, 0, 30]), str(clientId)]));
const PUBLISH_QOS1 = (t: string, payload: string, retain: boolean) => frame(0x32 | (retain ? 1 : 0), Buffer.concat([str(t), u16(1), Buffer.from(payload)]));
const SUBSCRIBE_QOS1 = (filter: string) => frame(0x82, Buffer.concat([u16(1), str(filter), Buffer.from([1])]));

async function rawAnonymous(next: Buffer): Promise<{ answer: string; closed: boolean }> {
  const socket = tcpConnect(securedPort, '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (d) => chunks.push(d));
  socket.on('error', () => undefined);
  const closed = await new Promise<boolean>((resolve) => {
    socket.once('close', () => resolve(true));
    socket.once('connect', () => socket.write(Buffer.concat([CONNECT(`acl-raw-${++probeN}`), next])));
    setTimeout(() => resolve(false), 3000);
  });
  socket.destroy();
  return { answer: Buffer.concat(chunks).toString('hex'), closed };
}
const CONNACK_NOT_AUTHORISED = '20020005';

const pubLabel = (t: string, retain: boolean) => `PUBLISH ${topic(t)}${retain ? ' (retained)' : ''}`;
const subLabel = (f: string) => `SUBSCRIBE ${topic(f)}`;

describe('ACL matrix over real connections: every role × every topic family', () => {
  it('covers every role with at least one allowed and one refused cell where the contract has one', () => {
    // Guards the table itself: a role whose column is all ✗ would also pass with a broker that refuses everything.
    for (const role of ROLES) {
      const pubs = PUBLISH.map(([, , cells]) => expected(cells, role));
      const subs = SUBSCRIBE.map(([, cells]) => expected(cells, role));
      // Every role, Node-RED included, has limits on what it reads.
      expect(subs.includes(false), `${role}: a refused subscription`).toBe(true);
      if (role === 'nocred') {
        expect([...pubs, ...subs].every((a) => !a), 'nothing is allowed before CONNECT succeeds').toBe(true);
        continue;
      }
      expect(pubs.includes(false), `${role}: a refused publish`).toBe(true);
      expect(subs.includes(true), `${role}: an allowed subscription`).toBe(true);
      if (role !== 'observer') expect(pubs.includes(true), `${role}: an allowed publish`).toBe(true);
    }
  });

  it('refuses an anonymous client on the credentialed listener at CONNECT', async () => {
    await expect(connect(securedTcp)).rejects.toThrow(/Not authorized/i);
  });

  for (const role of ROLES) {
    describe(`${role}: ${ROLE_NOTES[role]}`, () => {
      it(`publishes exactly what the contract allows (${PUBLISH.length} topics)`, async () => {
        const want = PUBLISH.map(([t, retain, cells]) => `${pubLabel(t, retain)} → ${expected(cells, role) ? PUB_ALLOWED : role === 'nocred' ? AT_CONNECT : PUB_REFUSED}`);

        if (role === 'nocred') {
          const before = app.counters.get('mqtt_auth_refused', 'anonymous-refused');
          const got = await Promise.all(
            PUBLISH.map(async ([t, retain]) => {
              const payload = `acl-probe-${++probeN}`;
              const r = await rawAnonymous(PUBLISH_QOS1(topic(t), payload, retain));
              return { t, retain, payload, ...r };
            }),
          );
          await barrier();
          const outcome = got.map(({ t, retain, payload, answer, closed }) => {
            const refused = answer === CONNACK_NOT_AUTHORISED && closed && !seen.has(payload);
            return `${pubLabel(t, retain)} → ${refused ? AT_CONNECT : `answered ${answer || 'nothing'}, ${closed ? 'closed' : 'still open'}, ${seen.has(payload) ? 'delivered' : 'not delivered'}`}`;
          });
          expect(outcome).toEqual(want);
          expect(app.counters.get('mqtt_auth_refused', 'anonymous-refused') - before).toBe(PUBLISH.length);
          return;
        }

        const deniedBefore = app.counters.get('mqtt_publish_denied', ACL_ROLE[role]);
        const tries = await Promise.all(PUBLISH.map(async ([t, retain]) => ({ t, retain, ...(await publishOnce(role, topic(t), retain)) })));
        await barrier();
        const outcome = tries.map(({ t, retain, payload, acked, closed }) => {
          const delivered = seen.has(payload);
          const isClosed = closed();
          const what =
            delivered && acked && !isClosed
              ? PUB_ALLOWED
              : !delivered && !acked && isClosed
                ? PUB_REFUSED
                : `${delivered ? 'delivered' : 'not delivered'}, ${acked ? 'acked' : 'not acked'}, ${isClosed ? 'disconnected' : 'still connected'}`;
          return `${pubLabel(t, retain)} → ${what}`;
        });
        await Promise.all(tries.map((x) => x.end()));
        expect(outcome).toEqual(want);
        // Every refusal is also counted under the role (for /healthz), once.
        const refusals = PUBLISH.filter(([, , cells]) => !expected(cells, role)).length;
        expect(app.counters.get('mqtt_publish_denied', ACL_ROLE[role]) - deniedBefore).toBe(refusals);
      });

      it(`subscribes exactly what the contract allows (${SUBSCRIBE.length} filters)`, async () => {
        const want = SUBSCRIBE.map(([f, cells]) => `${subLabel(f)} → ${expected(cells, role) ? SUB_ALLOWED : role === 'nocred' ? AT_CONNECT : SUB_REFUSED}`);

        if (role === 'nocred') {
          const got = await Promise.all(SUBSCRIBE.map(async ([f]) => ({ f, ...(await rawAnonymous(SUBSCRIBE_QOS1(topic(f)))) })));
          const outcome = got.map(({ f, answer, closed }) => `${subLabel(f)} → ${answer === CONNACK_NOT_AUTHORISED && closed ? AT_CONNECT : `answered ${answer || 'nothing'}, ${closed ? 'closed' : 'still open'}`}`);
          expect(outcome).toEqual(want);
          return;
        }

        const deniedBefore = app.counters.get('mqtt_subscribe_denied', ACL_ROLE[role]);
        const { url, opts } = connectOptions[role]();
        const c = await connect(url, opts);
        c.on('error', () => undefined);
        const outcome: string[] = [];
        // One SUBSCRIBE per filter, on one connection: a refusal must leave the client connected.
        for (const [f] of SUBSCRIBE) {
          let what: string;
          try {
            const [g] = await c.subscribeAsync(topic(f), { qos: 1 });
            what = g?.qos === 1 ? SUB_ALLOWED : `granted QoS ${g?.qos}`;
          } catch (err) {
            // mqtt.js rejects a SUBACK carrying 0x80
            what = /Subscribe error/i.test(String(err)) && c.connected ? SUB_REFUSED : `failed: ${String(err)}, ${c.connected ? 'connected' : 'disconnected'}`;
          }
          outcome.push(`${subLabel(f)} → ${what}`);
        }
        await c.endAsync(true);
        expect(outcome).toEqual(want);
        const refusals = SUBSCRIBE.filter(([, cells]) => !expected(cells, role)).length;
        expect(app.counters.get('mqtt_subscribe_denied', ACL_ROLE[role]) - deniedBefore).toBe(refusals);
      });
    });
  }
});

describe('personal data under private/', () => {
  it('reaches Node-RED, and never an anonymous client or an observer, even through a wildcard that matches it', async () => {
    const PHONE = '13900000042';
    const roles = ['anon', 'observer', 'nodered'] as const;
    const clients = await Promise.all(
      roles.map(async (role) => {
        const { url, opts } = connectOptions[role]();
        const c = await connect(url, opts);
        const got: string[] = [];
        c.on('message', (t, p) => got.push(`${t} ${p.toString()}`));
        // Both are granted (the SUBACK cannot refuse what may match public topics too): delivery is filtered.
        const granted = await c.subscribeAsync([topic('~/#'), topic('~/+/signup.promoted')], { qos: 1 });
        expect(granted.map((g) => g.qos), role).toEqual([1, 1]);
        return { role, c, got };
      }),
    );
    const withheld = () => app.counters.get('mqtt_forward_withheld', 'anonymous-local') + app.counters.get('mqtt_forward_withheld', 'observer');
    const withheldBefore = withheld();
    await app.mqtt.publish(topic('~/private/signup.promoted'), JSON.stringify({ signupId: 1, phone: PHONE }), { qos: 1 });
    await app.mqtt.publish(topic('~/event/signup.promoted'), JSON.stringify({ signupId: 1, marker: 'public-after-private' }), { qos: 1 });
    await waitFor('every client got the public event published after the private one', () => clients.every((x) => x.got.some((m) => m.includes('public-after-private'))));
    const byRole = Object.fromEntries(clients.map((x) => [x.role, x.got.join('\n')]));
    expect(byRole.nodered).toContain(PHONE);
    expect(byRole.anon).not.toContain(PHONE);
    expect(byRole.observer).not.toContain(PHONE);
    expect(byRole.anon).not.toContain('/private/');
    // One delivery withheld from each of them (aedes delivers once per client, however many filters match).
    expect(withheld() - withheldBefore).toBe(2);
    await Promise.all(clients.map((x) => x.c.endAsync(true)));
  });
});
