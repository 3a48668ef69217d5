import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ID_PATTERN } from '../contract/topics.js';
import { LinkConfig, MqttNativeDevice } from './links-schema.js';

/**
 * The site file's schema: one YAML file describes a lounge. Types, defaults and descriptions live
 * here once; `load.ts` validates against it and reports every error at once. `version` lets a later
 * release migrate an older file instead of rejecting it.
 */
export const CONFIG_VERSION = 1;

const obj = <T extends Record<string, TSchema>>(props: T, description?: string, extra: object = {}) =>
  Type.Object(props, { additionalProperties: false, ...(description ? { description } : {}), ...extra });
/** A section that may be left out: it is filled from its fields' defaults. */
const section = <T extends Record<string, TSchema>>(props: T, description?: string) => obj(props, description, { default: {} });
/** One of a few strings, as a JSON Schema enum so that an error lists the choices. */
export const StringEnum = <T extends string[]>(values: [...T], description?: string, fallback?: T[number]) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: values, ...(description ? { description } : {}), ...(fallback === undefined ? {} : { default: fallback }) });

const Id = Type.String({ pattern: ID_PATTERN, description: 'letters, digits, - and _; used in MQTT topics' });
const IdRef = (what: string) => Type.String({ pattern: ID_PATTERN, description: `the id of a ${what}` });
const Text = Type.Object(
  { zh: Type.String({ minLength: 1 }), en: Type.String({ minLength: 1 }) },
  { additionalProperties: false, description: 'user-facing text in zh-CN and en' },
);
const HHMM = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$|^24:00$', description: 'local time HH:MM' });
export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** A weekday, or a kind of day by the official calendar (调休 make-up workdays are workdays). */
export const DAY_SPECS = [...DAYS, 'workday', 'restday'] as const;
export type DaySpec = (typeof DAY_SPECS)[number];
const Day = StringEnum([...DAY_SPECS], 'mon…sun, or workday / restday by the official calendar (holidays are restdays, make-up days workdays)');
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a local date YYYY-MM-DD' });
const Port = (fallback?: number) =>
  Type.Integer({ minimum: 0, maximum: 65535, description: '0 picks a free port', ...(fallback === undefined ? {} : { default: fallback }) });
const hhmm = (fallback: string) => Type.String({ pattern: HHMM.pattern, description: HHMM.description, default: fallback });

export const WasteCategory = StringEnum(
  ['recyclable', 'hazardous', 'wet', 'dry'],
  '可回收物 recyclable (blue), 有害垃圾 hazardous (red), 湿垃圾 wet (brown), 干垃圾 dry (black)',
);
export type WasteCategory = Static<typeof WasteCategory>;

export const SensorKind = StringEnum(
  ['soil-moisture', 'bin-level', 'footfall', 'temperature', 'humidity', 'rain', 'lid', 'beam', 'generic'],
  'what the sensor measures',
);

const Calibration = obj(
  {
    raw: Type.Tuple([Type.Number(), Type.Number()], { description: 'two raw values…' }),
    value: Type.Tuple([Type.Number(), Type.Number()], { description: '…and the values they mean' }),
  },
  'two-point linear calibration: value = v0 + (raw - r0) * (v1 - v0) / (r1 - r0)',
);

const Sensor = obj({
  id: Id,
  device: IdRef('device'),
  kind: SensorKind,
  unit: Type.String({ default: '' }),
  name: Type.Optional(Text),
  calibration: Type.Optional(Calibration),
  validRange: Type.Optional(obj({ min: Type.Number(), max: Type.Number() }, 'raw values outside this range are impossible: the probe is faulty and not trusted')),
  clamp: Type.Optional(obj({ min: Type.Number(), max: Type.Number() }, 'limit calibrated values to this range')),
});

const Device = obj({
  id: Id,
  name: Type.Optional(Type.String()),
  link: StringEnum(['simulated', 'mqtt', 'serial', 'firmata', 'modbus'], 'how the device reaches the broker'),
  offlineAfterSeconds: Type.Integer({ minimum: 5, default: 300, description: 'silent this long means offline' }),
});

const Actuator = obj({
  id: Id,
  device: IdRef('device'),
  kind: StringEnum(['lid', 'valve', 'relay']),
  name: Type.Optional(Text),
});

const Window = obj(
  {
    from: HHMM,
    to: HHMM,
    days: Type.Optional(Type.Array(Day, { minItems: 1, uniqueItems: true })),
    categories: Type.Optional(Type.Array(WasteCategory, { minItems: 1, uniqueItems: true })),
  },
  'a drop-off window; "to" earlier than "from" runs past midnight',
);

const Bin = obj({
  id: Id,
  category: WasteCategory,
  sensor: Type.Optional(IdRef('bin-level sensor')),
  lid: Type.Optional(IdRef('lid actuator')),
  dropSensor: Type.Optional(IdRef('lid or beam sensor that sees a drop-off (counts drops outside the windows)')),
  capacityLitres: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
});

const Pickup = obj({
  category: WasteCategory,
  at: Type.Array(HHMM, { minItems: 1 }),
  days: Type.Optional(Type.Array(Day, { minItems: 1, uniqueItems: true })),
  onRequest: Type.Optional(Type.Boolean({ description: 'collected when called, not on a timetable' })),
});

const Point = obj({
  id: Id,
  name: Text,
  place: Text,
  lateDrop: Type.Boolean({ default: false, description: '误时投放点: open all day' }),
  bins: Type.Array(Bin, { minItems: 1 }),
  windows: Type.Array(Window, { default: [] }),
  pickups: Type.Array(Pickup, { default: [] }),
  closures: Type.Array(obj({ date: IsoDate, reason: Type.Optional(Text) }), { default: [] }),
});

const Waste = section({
  holidays: StringEnum(['cn', 'none'], 'official holiday calendar: cn = China\'s announced holidays and make-up workdays, shipped as data', 'cn'),
  specialDays: Type.Array(
    obj({ date: IsoDate, as: StringEnum(['workday', 'restday', 'closed']), reason: Type.Optional(Text) }),
    { default: [], description: 'local exceptions for the whole site: a day treated as a workday or restday, or closed' },
  ),
  fill: section(
    {
      warnPercent: Type.Number({ minimum: 1, maximum: 200, default: 75 }),
      fullPercent: Type.Number({ minimum: 1, maximum: 200, default: 90 }),
      overflowPercent: Type.Number({ minimum: 1, maximum: 200, default: 100 }),
      hysteresisPercent: Type.Number({ minimum: 0, maximum: 50, default: 5, description: 'a level is left only this far below its threshold' }),
      minDurationSeconds: Type.Number({ minimum: 0, default: 60, description: 'a new level must hold this long before it counts' }),
      medianOf: Type.Integer({ minimum: 1, maximum: 15, default: 3, description: 'readings in the median filter that rejects ultrasonic spikes' }),
    },
    'bin fill levels: ok < warn ≤ … < full ≤ … < overflow',
  ),
  pickup: section({
    earlyMinutes: Type.Number({ minimum: 0, default: 15, description: 'a pickup may come this early…' }),
    slotMinutes: Type.Number({ minimum: 1, default: 60, description: '…and this late after its time before it is missed' }),
    dropPercent: Type.Number({ minimum: 1, maximum: 100, default: 30, description: 'a fall in fill this large…' }),
    emptyBelowPercent: Type.Number({ minimum: 0, maximum: 100, default: 25, description: '…ending below this is a pickup' }),
    minFillPercent: Type.Number({ minimum: 0, maximum: 100, default: 15, description: 'a bin emptier than this at its slot had nothing to collect: not missed' }),
  }),
  stillFullAtWindowOpenPercent: Type.Number({ minimum: 1, maximum: 200, default: 80, description: 'alert when a bin is this full as its drop-off window opens' }),
  lidsWhenClockUntrusted: StringEnum(['open', 'closed'], 'lid state while the clock is not trusted (no RTC, no NTP yet); open lets residents keep using the bins', 'open'),
  lidResendSeconds: Type.Number({ minimum: 1, default: 30, description: 'resend a lid command this often while the lid reports otherwise' }),
});

const Alerts = section({
  escalateAfterMinutes: Type.Number({ minimum: 0.01, default: 15, description: 'not acked in this time: sent to the supervisor crew too' }),
  resendSeconds: Type.Number({ minimum: 1, default: 60, description: 'an unacked alert is sent again this often (a crew shows it once by its id)' }),
  minIntervalMinutes: Type.Number({ minimum: 0, default: 30, description: 'the same alert for the same bin is not raised again within this time' }),
});

const Crew = obj({
  id: Id,
  name: Text,
  categories: Type.Array(WasteCategory, { minItems: 1, uniqueItems: true }),
  points: Type.Optional(Type.Array(IdRef('collection point'), { minItems: 1 })),
  supervisor: Type.Boolean({ default: false }),
});

const Bed = obj({
  id: Id,
  name: Text,
  sensors: Type.Array(IdRef('soil-moisture sensor'), { minItems: 1, description: 'the bed’s moisture is the median of its trusted probes' }),
  valve: Type.Optional(IdRef('valve actuator')),
  lowPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'overrides garden.watering.lowPercent for this bed' })),
  highPercent: Type.Optional(Type.Number({ minimum: 0, maximum: 100, description: 'overrides garden.watering.highPercent for this bed' })),
});

const QuietTime = obj(
  { from: HHMM, to: HHMM, days: Type.Optional(Type.Array(Day, { minItems: 1, uniqueItems: true })), reason: Type.Optional(Text) },
  'a time when beds are not watered (an outdoor class, a market); "to" earlier than "from" runs past midnight',
);

const Watering = section(
  {
    lowPercent: Type.Number({ minimum: 0, maximum: 100, default: 30, description: 'a bed drier than this is dry and is watered' }),
    highPercent: Type.Number({ minimum: 0, maximum: 100, default: 45, description: 'watering stops when the bed reaches this' }),
    wetPercent: Type.Number({ minimum: 0, maximum: 100, default: 75, description: 'wetter than this is wet' }),
    hysteresisPercent: Type.Number({ minimum: 0, maximum: 20, default: 3, description: 'a bed leaves dry or wet only this far past the mark' }),
    maxRunMinutes: Type.Number({ minimum: 0.1, default: 15, description: 'a valve is never open longer than this in one run' }),
    minIntervalMinutes: Type.Number({ minimum: 0, default: 120, description: 'from the end of one run to the start of the next' }),
    quietTimes: Type.Array(QuietTime, { default: [] }),
    rainSensor: Type.Optional(IdRef('rain sensor: a value ≥ 1 means it is raining, and beds are not watered')),
    stuckAfterMinutes: Type.Number({ minimum: 0.1, default: 10, description: 'a valve open this long without the bed getting wetter…' }),
    stuckRisePercent: Type.Number({ minimum: 0.1, default: 2, description: '…by at least this much is reported stuck' }),
    overrideMaxMinutes: Type.Number({ minimum: 1, default: 60, description: 'a manual override from the admin page ends by itself after at most this' }),
    probeStaleMinutes: Type.Number({ minimum: 1, default: 30, description: 'a probe not heard from for this long is not trusted' }),
  },
  'the garden’s watering rules: the decision is a pure function of these, the bed’s moisture and now',
);

const Door = obj({
  id: Id,
  name: Text,
  inSensor: IdRef('footfall sensor counting people coming in'),
  outSensor: IdRef('footfall sensor counting people going out'),
});

const Service = obj({
  name: Text,
  category: Type.String({ minLength: 1 }),
  description: Type.Optional(Text),
  hours: Type.Optional(Text),
  place: Type.Optional(Text),
  contact: Type.Optional(Type.String()),
  link: Type.Optional(Type.String({ format: 'uri' })),
});

const Partner = obj({ id: Id, name: Text, kind: Type.String(), services: Type.Array(Service, { default: [] }) });

const Listener = obj({
  host: Type.String({ default: '127.0.0.1', description: 'bind address; devices on the LAN need a LAN address' }),
  port: Port(),
  websocket: Type.Boolean({ default: false, description: 'MQTT over WebSocket on this port' }),
  anonymousLocal: Type.Boolean({
    default: false,
    description: 'let anonymous loopback clients read tongxin/<site>/# and publish sensor readings (demo only)',
  }),
});

const MqttUser = obj({
  username: Type.String({ minLength: 1 }),
  passwordHash: Type.String({ pattern: '^\\$argon2', description: 'an argon2 hash: `tongxin hash-password`' }),
  role: StringEnum(['device', 'crew', 'nodered', 'observer']),
  device: Type.Optional(IdRef('device (role device)')),
  crew: Type.Optional(IdRef('crew (role crew)')),
});

const Mqtt = section({
  embedded: Type.Optional(
    obj({ listeners: Type.Array(Listener, { minItems: 1 }) }, 'run the aedes broker inside the service'),
  ),
  external: Type.Optional(
    obj(
      {
        url: Type.String({ pattern: '^(mqtts?|wss?)://', description: 'mqtt://host:1883' }),
        username: Type.Optional(Type.String()),
        password: Type.Optional(Type.String()),
      },
      'use a broker the service does not own (Mosquitto, EMQX)',
    ),
  ),
  users: Type.Array(MqttUser, { default: [], description: 'broker accounts for devices, crews, Node-RED and observers' }),
});

/** Relative to `tongxin/<site>/`: MQTT filter levels, `#` only last. */
const RelativeFilter = Type.String({ pattern: '^((\\+|[^#+/]+)/)*(#|\\+|[^#+/]+)$', description: 'a topic filter under tongxin/<site>/' });

const Uplink = obj(
  {
    url: Type.String({ pattern: '^(mqtts?|wss?)://', description: 'the central broker: mqtts://central.example:8883' }),
    protocol: StringEnum(['mqtt5', 'mqtt3.1.1'], 'mqtt5 carries each message id as a user property; mqtt3.1.1 wraps the payload in a JSON envelope', 'mqtt5'),
    username: Type.Optional(Type.String()),
    password: Type.Optional(Type.String()),
    caFile: Type.Optional(Type.String({ minLength: 1, description: 'PEM file of the CA that signed the central broker’s certificate (mqtts/wss with a private CA)' })),
    clientId: Type.Optional(Type.String({ minLength: 1, maxLength: 64, description: 'the client id on the central broker; default tongxin-uplink-<site>' })),
    topicPrefix: Type.Optional(Type.String({ pattern: '^[^#+/$][^#+/]*(/[^#+/]+)*$', description: 'replaces tongxin/<site> in forwarded topics (e.g. sites/<site>); left out, topics arrive as they are' })),
    topics: Type.Array(RelativeFilter, { minItems: 1, default: ['#'], description: 'what to forward, under tongxin/<site>/' }),
    exclude: Type.Array(RelativeFilter, {
      default: ['sensor/+/raw', 'bridge/+/heartbeat', 'request/#', 'reply/#'],
      description: 'not forwarded (raw readings: their calibrated sensor/+/value is); private/# never leaves the site, whatever is listed',
    }),
    qos: Type.Union([Type.Literal(0), Type.Literal(1)], { default: 1, description: '1: deleted from the queue on PUBACK; 0: on sending (may be lost)' }),
    reconnectSeconds: Type.Number({ minimum: 0.1, default: 5, description: 'wait between attempts to reach the central broker' }),
    queue: section({
      maxMessages: Type.Integer({ minimum: 100, default: 1_000_000, description: 'the queue’s bound; over it, oldest readings go first, then other messages, retained state last (counted)' }),
      maxMessageBytes: Type.Integer({ minimum: 64, default: 65_536, description: 'larger messages are not forwarded (counted)' }),
    }),
    drain: section({
      maxPerSecond: Type.Number({ minimum: 1, default: 200, description: 'messages a second sent at most, live or draining after an outage' }),
      inflight: Type.Integer({ minimum: 1, maximum: 65_535, default: 32, description: 'messages sent and not yet acknowledged at most' }),
    }),
  },
  'forward this site’s messages to a central broker (an EMQX cluster, Mosquitto), through a store-and-forward queue in SQLite',
);

export const SiteConfigSchema = obj({
  version: Type.Literal(CONFIG_VERSION),
  site: obj({
    id: Id,
    name: Text,
    timezone: Type.String({ default: 'Asia/Shanghai', description: 'IANA zone of the site’s local time (windows, hours)' }),
    sample: Type.Boolean({ default: false, description: 'the data is sample data; screens say so' }),
  }),
  dataDir: Type.String({ default: './data', description: 'SQLite and Node-RED state; a relative path is taken from the working directory' }),
  clock: section(
    { trustAtStart: Type.Boolean({ default: false, description: 'the machine keeps time itself (RTC)' }) },
  ),
  http: section({
    host: Type.String({ default: '127.0.0.1', description: 'bind address; 0.0.0.0 to reach the admin page from the LAN' }),
    port: Port(8080),
    publicRateLimitPerMinute: Type.Integer({ minimum: 1, default: 120, description: 'requests a minute one client may make to the public kiosk endpoints' }),
  }),
  privacy: section({
    phoneRetentionDays: Type.Integer({ minimum: 0, default: 30, description: 'days a phone number is kept after its event, or after its concern closed' }),
  }),
  health: section({
    maxPeoplePerSignup: Type.Integer({ minimum: 1, maximum: 20, default: 6, description: 'a family or group signing up together' }),
    maxPlacesPerPhonePerWeek: Type.Integer({ minimum: 1, default: 4, description: 'places one phone may hold across events in a week (Monday to Sunday)' }),
    checkInOpensMinutesBefore: Type.Integer({ minimum: 0, default: 30 }),
  }),
  mqtt: Mqtt,
  uplink: Type.Optional(Uplink),
  nodered: section(
    {
      enabled: Type.Boolean({ default: true, description: '`tongxin start` runs Node-RED as a supervised child process (`--no-nodered` turns it off)' }),
      port: Port(1880),
      host: Type.String({ default: '127.0.0.1', description: 'bind address of the Node-RED editor and its HTTP endpoints' }),
      mqtt: Type.Optional(
        obj(
          { username: Type.String({ minLength: 1 }), password: Type.Optional(Type.String()) },
          'Node-RED’s account (role nodered) on an external broker; with the embedded broker its credentials are minted at each start',
        ),
      ),
    },
    'Node-RED: automations maintainers change without touching the TypeScript (flows/)',
  ),
  homeassistant: section(
    {
      enabled: Type.Boolean({ default: true, description: 'announce every sensor, bin and collection point to Home Assistant (MQTT discovery, retained); false removes what was announced' }),
      discoveryPrefix: Type.String({
        pattern: '^(?!tongxin(/|$))[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$',
        default: 'homeassistant',
        description: 'the discovery prefix set in Home Assistant’s MQTT integration; letters, digits, - and _ in levels, not under tongxin/',
      }),
    },
    'Home Assistant MQTT discovery: a Home Assistant on the broker (an observer account) sees the site without set-up',
  ),
  simulator: section({
    enabled: Type.Boolean({ default: false }),
    intervalSeconds: Type.Number({ minimum: 0.05, default: 5 }),
    speed: Type.Number({ minimum: 1, default: 1, description: 'how many times faster than real time the sensors change' }),
  }),
  devices: Type.Array(Device, { default: [] }),
  sensors: Type.Array(Sensor, { default: [] }),
  actuators: Type.Array(Actuator, { default: [] }),
  links: Type.Array(LinkConfig, { default: [], description: 'serial, Firmata and Modbus links: one firmware bridge process each, supervised by `tongxin start`' }),
  mqttNative: Type.Array(MqttNativeDevice, { default: [], description: 'devices that publish their own MQTT payloads (Tasmota, ESPHome, ChirpStack)' }),
  points: Type.Array(Point, { default: [] }),
  waste: Waste,
  crews: Type.Array(Crew, { default: [] }),
  alerts: Alerts,
  garden: section({ beds: Type.Array(Bed, { default: [] }), watering: Watering }),
  lounge: section({
    doors: Type.Array(Door, { default: [] }),
    hours: section({ open: hhmm('08:00'), close: hhmm('20:00') }),
    attendanceMinutes: Type.Number({ minimum: 0, default: 30, description: 'people coming in from this long before a health-hour event until its end count towards its attendance' }),
  }),
  kiosk: section(
    {
      idleSeconds: Type.Number({ minimum: 1, default: 90, description: 'untouched this long, the lobby screen asks "Still there?" (or, on its home screen, rests)' }),
      promptSeconds: Type.Number({ minimum: 1, default: 20, description: 'unanswered this long, it clears everything typed and returns home' }),
    },
    'the lobby screen',
  ),
  history: section(
    {
      rawDays: Type.Number({ minimum: 1, default: 7, description: 'raw readings are kept this long…' }),
      minuteDays: Type.Number({ minimum: 1, default: 60, description: '…per-minute roll-ups (min, mean, max, count) this long…' }),
      hourDays: Type.Number({ minimum: 1, default: 1830, description: '…and per-hour roll-ups this long' }),
    },
    'how long readings are kept: the database stays bounded',
  ),
  partners: Type.Array(Partner, { default: [], description: 'sample partner units and services, seeded at first start' }),
});

export type SiteConfig = Static<typeof SiteConfigSchema>;
export type SensorConfig = SiteConfig['sensors'][number];
export type DeviceConfig = SiteConfig['devices'][number];
export type ListenerConfig = NonNullable<SiteConfig['mqtt']['embedded']>['listeners'][number];
export type MqttUserConfig = SiteConfig['mqtt']['users'][number];
