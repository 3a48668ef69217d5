import { Type, type Static } from '@sinclair/typebox';

/**
 * Payload schemas of the MQTT contract. They are JSON Schema (TypeBox) so that the same definition
 * validates messages, types the code and is printed into the README for device makers.
 */

export const MAX_PAYLOAD_BYTES = 64 * 1024;
export const MAX_BATCH = 500;

const At = Type.Union([Type.String({ minLength: 10, maxLength: 40 }), Type.Number()], {
  description: 'ISO-8601 time, or epoch milliseconds',
});

export const RawReadingObject = Type.Object(
  {
    value: Type.Number({ description: 'the raw value as the device measured it' }),
    at: Type.Optional(At),
    seq: Type.Optional(Type.Integer({ minimum: 0, description: 'sequence number, for gap detection' })),
  },
  { additionalProperties: false },
);

export const SensorRawPayload = Type.Union(
  [
    Type.Number({ description: 'a bare raw value, measured now' }),
    RawReadingObject,
    Type.Array(RawReadingObject, { minItems: 1, maxItems: MAX_BATCH, description: 'a batch' }),
  ],
  { title: 'sensor/<sensorId>/raw' },
);
export type SensorRawPayload = Static<typeof SensorRawPayload>;

export const DeviceStatusValue = Type.Union([Type.Literal('online'), Type.Literal('offline')]);
export type DeviceStatusValue = Static<typeof DeviceStatusValue>;

export const DeviceStatusPayload = Type.Union(
  [DeviceStatusValue, Type.Object({ status: DeviceStatusValue, at: Type.Optional(At) })],
  { title: 'device/<deviceId>/status', description: 'plain text online/offline, or JSON' },
);

/** A calibrated reading as the service emits it on the bus and the live stream. */
export const Reading = Type.Object({
  sensorId: Type.String(),
  kind: Type.String(),
  unit: Type.String(),
  raw: Type.Number(),
  value: Type.Number(),
  at: Type.Number({ description: 'epoch milliseconds' }),
});
export type Reading = Static<typeof Reading>;

export const DeviceStatus = Type.Object({
  deviceId: Type.String(),
  status: DeviceStatusValue,
  reason: Type.Union([Type.Literal('reported'), Type.Literal('silent'), Type.Literal('seen')]),
  at: Type.Number(),
  lastSeen: Type.Union([Type.Number(), Type.Null()]),
});
export type DeviceStatus = Static<typeof DeviceStatus>;

export const ALERT_KINDS = ['bin-warn', 'bin-full', 'bin-overflow', 'pickup-missed', 'still-full-at-window-open', 'sensor-offline', 'valve-stuck', 'probe-faulty'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];
const Category = Type.Union([Type.Literal('recyclable'), Type.Literal('hazardous'), Type.Literal('wet'), Type.Literal('dry')]);
const Text = Type.Object({ zh: Type.String(), en: Type.String() });

/** What a crew receives on crew/<crewId>/alert, and Node-RED on alert/<kind>: every change of an alert. */
export const CrewAlertPayload = Type.Object(
  {
    alertId: Type.String({ description: 'stable id: a client that sees it twice shows it once' }),
    kind: Type.Union(ALERT_KINDS.map((k) => Type.Literal(k))),
    state: Type.Union([Type.Literal('open'), Type.Literal('escalated'), Type.Literal('acked'), Type.Literal('resolved')]),
    severity: Type.Union([Type.Literal('info'), Type.Literal('warning'), Type.Literal('critical')]),
    category: Type.Optional(Category),
    pointId: Type.Optional(Type.String()),
    binId: Type.Optional(Type.String()),
    deviceId: Type.Optional(Type.String()),
    message: Text,
    detail: Type.Record(Type.String(), Type.Unknown()),
    raisedAt: Type.String({ description: 'ISO-8601' }),
    at: Type.String({ description: 'ISO-8601 time of this change' }),
    crews: Type.Array(Type.String(), { description: 'the crews it is routed to' }),
    ackedBy: Type.Optional(Type.String()),
    resolution: Type.Optional(Type.String()),
  },
  { title: 'crew/<crewId>/alert and alert/<kind>' },
);
export type CrewAlertPayload = Static<typeof CrewAlertPayload>;

export const CrewAckPayload = Type.Object({ alertId: Type.String({ minLength: 1, maxLength: 64 }) }, { title: 'crew/<crewId>/ack', additionalProperties: true });

/** service → bridge: move an actuator. `reason` says why, for the log on the device side and for people. */
export const ActuatorSetPayload = Type.Object(
  {
    state: Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('on'), Type.Literal('off')]),
    reason: Type.String(),
    at: Type.String({ description: 'ISO-8601' }),
  },
  { title: 'actuator/<actuatorId>/set' },
);
export type ActuatorSetPayload = Static<typeof ActuatorSetPayload>;

const ActuatorStateValue = Type.Union([Type.Literal('open'), Type.Literal('closed'), Type.Literal('on'), Type.Literal('off')]);

/**
 * bridge → service: what the actuator reports (plain text or JSON). A command the bridge could not
 * carry out is answered here too, with `failed` (and the last known state, or `unknown`): a command
 * is never dropped silently.
 */
export const ActuatorStatePayload = Type.Union(
  [
    ActuatorStateValue,
    Type.Object({
      state: Type.Union([ActuatorStateValue, Type.Literal('unknown')]),
      at: Type.Optional(At),
      failed: Type.Optional(
        Type.Object({
          requested: ActuatorStateValue,
          reason: Type.String({ maxLength: 64, description: 'node-offline, no-ack, refused, unknown-actuator, link-stopped' }),
        }),
      ),
    }),
  ],
  { title: 'actuator/<actuatorId>/state' },
);

const Interval = Type.Object({ from: Type.String(), to: Type.String() });
export const PointStatePayload = Type.Object(
  {
    pointId: Type.String(),
    open: Type.Boolean({ description: 'some category can be dropped off now' }),
    lateDrop: Type.Boolean(),
    categories: Type.Record(
      Type.String(),
      Type.Object({ open: Type.Boolean(), current: Type.Union([Interval, Type.Null()]), next: Type.Union([Interval, Type.Null()]) }),
    ),
    clockTrusted: Type.Boolean(),
    at: Type.String(),
  },
  { title: 'point/<pointId>/state (retained)' },
);
export type PointStatePayload = Static<typeof PointStatePayload>;

export const BinStatePayload = Type.Object(
  {
    binId: Type.String(),
    pointId: Type.String(),
    category: Category,
    fill: Type.Union([Type.Number(), Type.Null()], { description: 'filtered fill %, null before the first reading' }),
    level: Type.Union([Type.Literal('ok'), Type.Literal('warn'), Type.Literal('full'), Type.Literal('overflow')]),
    at: Type.String(),
  },
  { title: 'bin/<binId>/state (retained)' },
);
export type BinStatePayload = Static<typeof BinStatePayload>;

export const GARDEN_LEVELS = ['dry', 'ok', 'wet', 'unknown'] as const;
const Probe = Type.Object({
  value: Type.Union([Type.Number(), Type.Null()], { description: 'calibrated moisture %, null before the first reading' }),
  trusted: Type.Boolean(),
  fault: Type.Optional(Type.String({ description: 'why it is not trusted: impossible-value, stale, device-offline, no-reading' })),
});
export const GardenStatePayload = Type.Object(
  {
    bedId: Type.String(),
    moisture: Type.Union([Type.Number(), Type.Null()], { description: 'median of the trusted probes, %' }),
    level: Type.Union(GARDEN_LEVELS.map((l) => Type.Literal(l))),
    watering: Type.Boolean({ description: 'the valve is commanded on' }),
    mode: Type.Union([Type.Literal('auto'), Type.Literal('override-on'), Type.Literal('override-off')]),
    reason: Type.String({ description: 'why the valve is in its state: dry, high-reached, max-run, min-interval, quiet-time, raining, no-trusted-probe, override, no-valve, ok' }),
    overrideUntil: Type.Union([Type.String(), Type.Null()]),
    probes: Type.Record(Type.String(), Probe),
    lastRun: Type.Union([
      Type.Object({ startedAt: Type.String(), endedAt: Type.Union([Type.String(), Type.Null()]), endReason: Type.Union([Type.String(), Type.Null()]) }),
      Type.Null(),
    ]),
    at: Type.String(),
  },
  { title: 'garden/<bedId>/state (retained)' },
);
export type GardenStatePayload = Static<typeof GardenStatePayload>;

export const LoungeOccupancyPayload = Type.Object(
  {
    inside: Type.Integer({ minimum: 0, description: 'people inside now; never negative, reset at closing time' }),
    visitsToday: Type.Integer({ minimum: 0, description: 'people who came in today (local day)' }),
    open: Type.Boolean({ description: 'within the lounge’s opening hours' }),
    at: Type.String(),
  },
  { title: 'lounge/occupancy (retained)' },
);
export type LoungeOccupancyPayload = Static<typeof LoungeOccupancyPayload>;

/** service → all: one accepted reading, calibrated as `/api/sensors` shows it (QoS 0, not retained). */
export const SensorValuePayload = Type.Object(
  {
    sensorId: Type.String(),
    kind: Type.String({ description: 'what the sensor measures (the site file’s kind)' }),
    value: Type.Number({ description: 'the calibrated value' }),
    unit: Type.String(),
    at: Type.String({ description: 'ISO-8601 time of the reading' }),
  },
  { title: 'sensor/<sensorId>/value' },
);
export type SensorValuePayload = Static<typeof SensorValuePayload>;

/** A request's id comes back in the reply's topic, so it may not contain MQTT separators or wildcards. */
export const REQUEST_ID_PATTERN = '^[^/+#\\u0000-\\u001f\\u007f]{1,64}$';
const RequestId = Type.String({ pattern: REQUEST_ID_PATTERN, description: '1–64 characters without / + #; the reply comes on reply/<requestId>' });

/**
 * Node-RED → service: move an actuator. The service applies its own rules: a garden valve becomes a
 * garden override (`on`/`off` for `minutes`, capped, or `auto`), lids are refused (they follow the
 * waste schedule).
 */
export const ActuatorRequestPayload = Type.Object(
  {
    requestId: RequestId,
    state: Type.String({ minLength: 1, maxLength: 16, description: 'for a valve: on, off or auto' }),
    minutes: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 24 * 60, description: 'capped at garden.watering.overrideMaxMinutes, which is also the default' })),
    reason: Type.Optional(Type.String({ maxLength: 200, description: 'why, for the audit log' })),
  },
  { title: 'request/actuator/<actuatorId>' },
);
export type ActuatorRequestPayload = Static<typeof ActuatorRequestPayload>;

/** Node-RED → service: ack an alert (as `node-red`) or resolve it (the note is the resolution). */
export const AlertRequestPayload = Type.Object(
  {
    requestId: RequestId,
    action: Type.Union([Type.Literal('ack'), Type.Literal('resolve')]),
    note: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
  },
  { title: 'request/alert/<alertId>' },
);
export type AlertRequestPayload = Static<typeof AlertRequestPayload>;

/** service → Node-RED: the answer to a request (QoS 1, not retained). */
export const ReplyPayload = Type.Object(
  {
    requestId: Type.String(),
    ok: Type.Boolean(),
    reason: Type.Optional(Type.String({ description: 'why it was refused: malformed, unknown-actuator, lids-follow-the-schedule, raining, quiet-time, valve-stuck, unknown-alert, …' })),
    detail: Type.Optional(Type.Unknown()),
  },
  { title: 'reply/<requestId>' },
);
export type ReplyPayload = Static<typeof ReplyPayload>;

/** service → Node-RED: the day in figures, once a day at 21:00 local time. */
export const DailySummaryPayload = Type.Object(
  {
    date: Type.String({ description: 'the local date YYYY-MM-DD' }),
    visitors: Type.Integer({ minimum: 0, description: 'people counted coming into the lounge that day' }),
    signups: Type.Integer({ minimum: 0, description: 'health-hour sign-ups made that day' }),
    binsEmptied: Type.Integer({ minimum: 0, description: 'pickups recorded that day' }),
    openConcerns: Type.Integer({ minimum: 0, description: 'concerns not yet resolved or declined' }),
    event: Type.Literal('summary.daily'),
    at: Type.String({ description: 'ISO-8601 time it was sent' }),
  },
  { title: 'event/summary.daily' },
);
export type DailySummaryPayload = Static<typeof DailySummaryPayload>;

/** The schemas that the README publishes, by topic. */
export const publishedSchemas = {
  'sensor/<sensorId>/raw': SensorRawPayload,
  'device/<deviceId>/status': DeviceStatusPayload,
  'crew/<crewId>/alert': CrewAlertPayload,
  'crew/<crewId>/ack': CrewAckPayload,
  'actuator/<actuatorId>/set': ActuatorSetPayload,
  'actuator/<actuatorId>/state': ActuatorStatePayload,
  'point/<pointId>/state': PointStatePayload,
  'bin/<binId>/state': BinStatePayload,
  'garden/<bedId>/state': GardenStatePayload,
  'lounge/occupancy': LoungeOccupancyPayload,
  'sensor/<sensorId>/value': SensorValuePayload,
  'request/actuator/<actuatorId>': ActuatorRequestPayload,
  'request/alert/<alertId>': AlertRequestPayload,
  'reply/<requestId>': ReplyPayload,
  'event/summary.daily': DailySummaryPayload,
};
