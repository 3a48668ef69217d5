import type { SiteConfig } from './schema.js';
import { crossCheckLinks } from './links-check.js';

export interface ConfigIssue {
  path: string;
  message: string;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The checks JSON Schema cannot express: ids unique, references pointing at things that exist and
 * are of the right kind. Runs after the schema passed, so the shape can be trusted here.
 */
export function crossCheck(c: SiteConfig): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const add = (path: string, message: string) => issues.push({ path, message });

  const unique = (list: { id: string }[], path: string) => {
    const seen = new Set<string>();
    list.forEach((item, i) => {
      if (seen.has(item.id)) add(`${path}[${i}].id`, `duplicate id "${item.id}"`);
      seen.add(item.id);
    });
  };
  unique(c.devices, 'devices');
  unique(c.sensors, 'sensors');
  unique(c.actuators, 'actuators');
  unique(c.points, 'points');
  unique(c.points.flatMap((p) => p.bins), 'bins');
  unique(c.crews, 'crews');
  unique(c.garden.beds, 'garden.beds');
  unique(c.lounge.doors, 'lounge.doors');
  unique(c.partners, 'partners');

  const devices = new Set(c.devices.map((d) => d.id));
  const sensorKind = new Map(c.sensors.map((s) => [s.id, s.kind]));
  const actuatorKind = new Map(c.actuators.map((a) => [a.id, a.kind]));
  const points = new Set(c.points.map((p) => p.id));
  const crews = new Set(c.crews.map((cr) => cr.id));

  const needSensor = (id: string, kind: string, path: string) => {
    const actual = sensorKind.get(id);
    if (actual === undefined) add(path, `no sensor "${id}"`);
    else if (actual !== kind) add(path, `sensor "${id}" is a ${actual} sensor, expected ${kind}`);
  };
  const needActuator = (id: string, kind: string, path: string) => {
    const actual = actuatorKind.get(id);
    if (actual === undefined) add(path, `no actuator "${id}"`);
    else if (actual !== kind) add(path, `actuator "${id}" is a ${actual}, expected a ${kind}`);
  };

  c.sensors.forEach((s, i) => {
    if (!devices.has(s.device)) add(`sensors[${i}].device`, `no device "${s.device}"`);
    if (s.calibration && s.calibration.raw[0] === s.calibration.raw[1]) {
      add(`sensors[${i}].calibration.raw`, 'the two raw points must differ');
    }
    if (s.clamp && s.clamp.min >= s.clamp.max) add(`sensors[${i}].clamp`, 'min must be below max');
  });
  c.actuators.forEach((a, i) => {
    if (!devices.has(a.device)) add(`actuators[${i}].device`, `no device "${a.device}"`);
  });
  c.points.forEach((p, i) => {
    p.bins.forEach((b, j) => {
      if (b.sensor !== undefined) needSensor(b.sensor, 'bin-level', `points[${i}].bins[${j}].sensor`);
      if (b.lid !== undefined) needActuator(b.lid, 'lid', `points[${i}].bins[${j}].lid`);
    });
    if (!p.lateDrop && p.windows.length === 0) {
      add(`points[${i}].windows`, 'a point that is not a late-drop point needs at least one window');
    }
    const categories = new Set(p.bins.map((b) => b.category));
    p.pickups.forEach((pk, j) => {
      if (!categories.has(pk.category)) add(`points[${i}].pickups[${j}].category`, `point has no ${pk.category} bin`);
    });
  });
  c.points.forEach((p, i) => {
    p.bins.forEach((b, j) => {
      if (b.dropSensor === undefined) return;
      const kind = sensorKind.get(b.dropSensor);
      if (kind === undefined) add(`points[${i}].bins[${j}].dropSensor`, `no sensor "${b.dropSensor}"`);
      else if (kind !== 'lid' && kind !== 'beam') add(`points[${i}].bins[${j}].dropSensor`, `sensor "${b.dropSensor}" is a ${kind} sensor, expected lid or beam`);
    });
    // Every bin must have someone to call when it fills.
    for (const category of new Set(p.bins.map((b) => b.category))) {
      const covered = c.crews.some((cr) => !cr.supervisor && cr.categories.includes(category) && (cr.points === undefined || cr.points.includes(p.id)));
      if (!covered) add(`points[${i}]`, `no crew collects ${category} waste at point "${p.id}"`);
    }
  });
  const f = c.waste.fill;
  if (!(f.warnPercent < f.fullPercent && f.fullPercent <= f.overflowPercent)) {
    add('waste.fill', 'thresholds must rise: warnPercent < fullPercent ≤ overflowPercent');
  }
  c.crews.forEach((cr, i) => {
    cr.points?.forEach((p, j) => {
      if (!points.has(p)) add(`crews[${i}].points[${j}]`, `no collection point "${p}"`);
    });
  });
  const w = c.garden.watering;
  c.garden.beds.forEach((b, i) => {
    b.sensors.forEach((s, j) => needSensor(s, 'soil-moisture', `garden.beds[${i}].sensors[${j}]`));
    if (b.valve !== undefined) needActuator(b.valve, 'valve', `garden.beds[${i}].valve`);
    if ((b.lowPercent ?? w.lowPercent) >= (b.highPercent ?? w.highPercent)) add(`garden.beds[${i}]`, 'lowPercent must be below highPercent');
  });
  if (!(w.lowPercent < w.highPercent && w.highPercent < w.wetPercent)) add('garden.watering', 'marks must rise: lowPercent < highPercent < wetPercent');
  if (w.rainSensor !== undefined) needSensor(w.rainSensor, 'rain', 'garden.watering.rainSensor');
  c.sensors.forEach((s, i) => {
    if (s.validRange && s.validRange.min >= s.validRange.max) add(`sensors[${i}].validRange`, 'min must be below max');
  });
  if (!(c.history.rawDays <= c.history.minuteDays && c.history.minuteDays <= c.history.hourDays)) {
    add('history', 'roll-ups must be kept at least as long as what they summarise: rawDays ≤ minuteDays ≤ hourDays');
  }
  c.lounge.doors.forEach((d, i) => {
    needSensor(d.inSensor, 'footfall', `lounge.doors[${i}].inSensor`);
    needSensor(d.outSensor, 'footfall', `lounge.doors[${i}].outSensor`);
  });

  if (c.mqtt.embedded && c.mqtt.external) add('mqtt', 'choose either embedded or external, not both');
  c.mqtt.embedded?.listeners.forEach((l, i) => {
    if (l.anonymousLocal && !LOOPBACK.has(l.host)) {
      add(`mqtt.embedded.listeners[${i}].anonymousLocal`, `anonymous clients are only allowed on a loopback listener, not ${l.host}`);
    }
  });
  const usernames = new Set<string>();
  c.mqtt.users.forEach((u, i) => {
    if (usernames.has(u.username)) add(`mqtt.users[${i}].username`, `duplicate username "${u.username}"`);
    usernames.add(u.username);
    if (u.role === 'device' && (u.device === undefined || !devices.has(u.device))) {
      add(`mqtt.users[${i}].device`, u.device === undefined ? 'a device user names its device' : `no device "${u.device}"`);
    }
    if (u.role === 'crew' && (u.crew === undefined || !crews.has(u.crew))) {
      add(`mqtt.users[${i}].crew`, u.crew === undefined ? 'a crew user names its crew' : `no crew "${u.crew}"`);
    }
  });
  crossCheckLinks(c, add);
  return issues;
}
