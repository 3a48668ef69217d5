import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { ID_PATTERN } from '../contract/topics.js';

/**
 * How nodes reach the broker: `links` are served by a firmware bridge process each (serial line
 * protocol, Firmata, Modbus RTU); `mqttNative` maps the payloads of devices that speak MQTT
 * themselves (Tasmota, ESPHome, ChirpStack) onto our readings. Kept apart from schema.ts because
 * it is the bridge's half of the site file.
 */
const obj = <T extends Record<string, TSchema>>(props: T, description?: string) =>
  Type.Object(props, { additionalProperties: false, ...(description ? { description } : {}) });
const enumOf = <T extends string[]>(values: [...T], description: string, fallback?: T[number]) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: values, description, ...(fallback === undefined ? {} : { default: fallback }) });
const Id = Type.String({ pattern: ID_PATTERN, description: 'letters, digits, - and _' });
/**
 * A union told apart by one field. ajv then validates only the branch that field names, so an error
 * reads `links[0].baudRate: …` instead of every branch's complaints, and defaults are filled in the
 * branch (ajv applies defaults inside oneOf only with a discriminator).
 */
const Tagged = <T extends TSchema[]>(tag: string, branches: [...T]) =>
  Type.Unsafe<Static<ReturnType<typeof Type.Union<T>>>>({ type: 'object', discriminator: { propertyName: tag }, required: [tag], oneOf: branches });
const Ref = (what: string) => Type.String({ pattern: ID_PATTERN, description: `the id of a ${what}` });
/** A firmware channel name as it appears in a line-protocol frame (PROTOCOL.md: 1–16 id chars). */
const CHANNEL_PATTERN = '^[A-Za-z0-9_-]{1,16}$';
const Path = Type.String({ minLength: 1, description: 'the serial device; on a Pi, the stable udev name such as /dev/tongxin-garden' });
const Baud = (fallback: number) => Type.Integer({ minimum: 300, maximum: 1_000_000, default: fallback });
const ChannelMap = (what: string) =>
  Type.Record(Type.String({ pattern: CHANNEL_PATTERN }), Ref(what), { default: {}, description: `firmware channel → ${what} id` });

const common = {
  id: Id,
  device: Ref('device (its link must match this link’s kind)'),
  path: Path,
};

export const SerialLink = obj(
  {
    ...common,
    kind: Type.Literal('serial'),
    baudRate: Baud(57600),
    nodeId: Type.Optional(Type.String({ pattern: CHANNEL_PATTERN, description: 'the node id its HELLO must carry (default: the device id)' })),
    sensors: ChannelMap('sensor'),
    actuators: ChannelMap('actuator'),
  },
  'a node running our line protocol (firmware-bridge/PROTOCOL.md)',
);

const FirmataSensor = Tagged('type', [
  obj({ type: Type.Literal('analog'), sensor: Ref('sensor'), pin: Type.String({ pattern: '^A[0-9]{1,2}$' }) }, 'five.Sensor: ADC counts 0–1023'),
  obj(
    {
      type: Type.Literal('ultrasonic'),
      sensor: Ref('sensor'),
      pin: Type.Union([Type.Integer({ minimum: 0 }), Type.String({ pattern: '^A[0-9]{1,2}$' })]),
      controller: enumOf(['HCSR04', 'MB1000', 'MB1003', 'GP2Y0A21YK'], 'five.Proximity controller (HCSR04 needs PingFirmata; MB10xx and GP2Y are analog)', 'HCSR04'),
    },
    'five.Proximity: distance in cm',
  ),
  obj(
    {
      type: Type.Literal('beam-pair'),
      outerPin: Type.Integer({ minimum: 0, description: 'the beam nearer the street' }),
      innerPin: Type.Integer({ minimum: 0, description: 'the beam nearer the room' }),
      inSensor: Ref('footfall sensor counting people coming in'),
      outSensor: Ref('footfall sensor counting people going out'),
    },
    'two IR break-beams across a door: the one broken first gives the direction',
  ),
  obj({ type: enumOf(['button', 'motion'], 'five.Button (a switch or beam) or five.Motion (PIR)'), sensor: Ref('sensor'), pin: Type.Integer({ minimum: 0 }) }, '1 while pressed or moving, 0 otherwise'),
]);

const FirmataActuator = Tagged('type', [
  obj({ type: Type.Literal('relay'), actuator: Ref('actuator'), pin: Type.Integer({ minimum: 0 }), activeLow: Type.Boolean({ default: false }) }),
  obj({
    type: Type.Literal('servo'),
    actuator: Ref('actuator'),
    pin: Type.Integer({ minimum: 0 }),
    onAngle: Type.Integer({ minimum: 0, maximum: 180, default: 90 }),
    offAngle: Type.Integer({ minimum: 0, maximum: 180, default: 0 }),
  }),
]);

export const FirmataLink = obj(
  {
    ...common,
    kind: Type.Literal('firmata'),
    baudRate: Baud(57600),
    reportSeconds: Type.Number({ minimum: 0.05, default: 5, description: 'analog and distance readings are published this often' }),
    sensors: Type.Array(FirmataSensor, { default: [] }),
    actuators: Type.Array(FirmataActuator, { default: [] }),
  },
  'a board running StandardFirmata, driven through johnny-five',
);

export const ModbusLink = obj(
  {
    ...common,
    kind: Type.Literal('modbus'),
    baudRate: Baud(9600),
    parity: enumOf(['none', 'even', 'odd'], 'RS-485 parity', 'none'),
    pollSeconds: Type.Number({ minimum: 0.05, default: 10 }),
    timeoutMs: Type.Integer({ minimum: 20, maximum: 10_000, default: 500 }),
    registers: Type.Array(
      obj({
        sensor: Ref('sensor'),
        unit: Type.Integer({ minimum: 1, maximum: 247, description: 'the slave address' }),
        address: Type.Integer({ minimum: 0, maximum: 65535 }),
        table: enumOf(['holding', 'input'], 'function 03 or 04', 'holding'),
        type: enumOf(['uint16', 'int16'], 'how the register is read', 'uint16'),
      }),
      { minItems: 1 },
    ),
  },
  'RS-485 Modbus RTU probes (moisture, temperature, EC registers), polled',
);

export const LinkConfig = Tagged('kind', [SerialLink, FirmataLink, ModbusLink]);
export type SerialLinkConfig = Static<typeof SerialLink>;
export type FirmataLinkConfig = Static<typeof FirmataLink>;
export type ModbusLinkConfig = Static<typeof ModbusLink>;
export type LinkConfig = Static<typeof LinkConfig>;

/** Where each reading sits in a device's own MQTT payload: a dotted path such as `ANALOG.A0`. */
const FieldMap = Type.Record(Ref('sensor'), Type.String({ minLength: 1, maxLength: 128 }), { description: 'sensor id → field path in the payload' });

export const MqttNativeDevice = Tagged('format', [
  obj(
    { format: Type.Literal('tasmota'), device: Ref('device'), topic: Type.String({ pattern: '^[^/#+]+$', description: 'Tasmota %topic%: tele/<topic>/SENSOR and tele/<topic>/LWT' }), sensors: FieldMap },
    'Tasmota: JSON on tele/<topic>/SENSOR, Online/Offline on tele/<topic>/LWT',
  ),
  obj(
    {
      format: Type.Literal('esphome'),
      device: Ref('device'),
      prefix: Type.String({ pattern: '^[^#+]+$', description: 'ESPHome topic_prefix: <prefix>/status and <prefix>/<component>/<object>/state' }),
      sensors: Type.Record(Ref('sensor'), Type.String({ pattern: '^(sensor|binary_sensor)/[A-Za-z0-9_]+$' }), { description: 'sensor id → component/object_id' }),
    },
    'ESPHome: one state topic per entity (a number, or ON/OFF)',
  ),
  obj(
    {
      format: Type.Literal('chirpstack'),
      device: Ref('device'),
      application: Type.String({ pattern: '^[^/#+]+$', description: 'the ChirpStack application id' }),
      devEui: Type.String({ pattern: '^[0-9a-fA-F]{16}$' }),
      sensors: FieldMap,
    },
    'ChirpStack v4: application/<id>/device/<devEui>/event/up with a decoded `object`',
  ),
]);
export type MqttNativeDeviceConfig = Static<typeof MqttNativeDevice>;
