import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_SITE_FILE, loadSiteConfig, parseSiteYaml, validateSiteConfig } from '../../../src/config/load.js';
import { isTongxinError } from '../../../src/core/errors.js';
import { tempDir } from '../../helpers/app.js';

const MINIMAL = `
version: 1
site: { id: test-site, name: { zh: 测试, en: Test } }
`;

const BROKEN = `
version: 1
site: { id: "bad id!", name: { zh: 测试 } }
http: { port: 99999 }
colour: blue
devices:
  - { id: node-1, link: bluetooth }
sensors:
  - { id: soil-a, device: node-9, kind: soil-moisture, calibration: { raw: [500, 500], value: [0, 100] } }
  - { id: soil-a, device: node-1, kind: moisture }
points:
  - id: p1
    name: { zh: 一, en: One }
    place: { zh: 这里, en: Here }
    bins: [{ id: b1, category: wet, sensor: soil-a }]
    windows: [{ from: '25:00', to: '08:30' }]
mqtt:
  embedded:
    listeners: [{ host: 0.0.0.0, port: 1883, anonymousLocal: true }]
`;

describe('site config', () => {
  it('the embedded demo site is valid and says it is sample data', () => {
    const c = loadSiteConfig(DEMO_SITE_FILE);
    expect(c.site.sample).toBe(true);
    expect(c.site.timezone).toBe('Asia/Shanghai');
    expect(c.garden.beds).toHaveLength(4);
    expect(c.points).toHaveLength(2);
    expect(new Set(c.points.flatMap((p) => p.bins.map((b) => b.category)))).toEqual(new Set(['recyclable', 'hazardous', 'wet', 'dry']));
    expect(c.lounge.doors).toHaveLength(2);
    expect(c.crews.filter((cr) => !cr.supervisor)).toHaveLength(2);
    expect(c.crews.filter((cr) => cr.supervisor)).toHaveLength(1);
    expect(c.partners.map((p) => p.id)).toEqual(expect.arrayContaining(['tongren-hospital', 'shenzhou-hospital', 'boc-xianxia']));
    expect(Object.isFrozen(c.sensors[0])).toBe(true);
  });

  it('fills defaults for every section left out', () => {
    const parsed = parseSiteYaml(MINIMAL);
    expect(parsed.ok).toBe(true);
    const r = parsed.ok ? validateSiteConfig(parsed.doc) : undefined;
    expect(r?.ok).toBe(true);
    if (r?.ok) {
      expect(r.config.http).toEqual({ host: '127.0.0.1', port: 8080, publicRateLimitPerMinute: 120 });
      expect(r.config.site.timezone).toBe('Asia/Shanghai');
      expect(r.config.mqtt.embedded?.listeners).toEqual([{ host: '127.0.0.1', port: 1883, websocket: false, anonymousLocal: false }]);
      expect(r.config.lounge.hours).toEqual({ open: '08:00', close: '20:00' });
      expect(r.config.simulator.enabled).toBe(false);
    }
  });

  it('reports every schema mistake at once, each with its path', () => {
    const parsed = parseSiteYaml(BROKEN);
    if (!parsed.ok) throw new Error('YAML should parse');
    const r = validateSiteConfig(parsed.doc);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['site.id', 'site.name.en', 'http.port', 'colour', 'devices[0].link', 'sensors[1].kind', 'points[0].windows[0].from']),
    );
    expect(r.issues.find((i) => i.path === 'colour')?.message).toBe('unknown field');
    expect(r.issues.find((i) => i.path === 'devices[0].link')?.message).toContain('simulated, mqtt, serial');
  });

  it('reports every cross-reference mistake at once once the shape is right', () => {
    const fixed = BROKEN.replace('"bad id!"', 'ok-id')
      .replace('name: { zh: 测试 }', 'name: { zh: 测试, en: Test }')
      .replace('port: 99999', 'port: 8080')
      .replace('colour: blue\n', '')
      .replace('bluetooth', 'serial')
      .replace('kind: moisture', 'kind: soil-moisture')
      .replace("'25:00'", "'06:30'");
    const parsed = parseSiteYaml(fixed);
    if (!parsed.ok) throw new Error('YAML should parse');
    const r = validateSiteConfig(parsed.doc);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues).toEqual(
      expect.arrayContaining([
        { path: 'sensors[1].id', message: 'duplicate id "soil-a"' },
        { path: 'sensors[0].device', message: 'no device "node-9"' },
        { path: 'sensors[0].calibration.raw', message: 'the two raw points must differ' },
        { path: 'points[0].bins[0].sensor', message: 'sensor "soil-a" is a soil-moisture sensor, expected bin-level' },
        expect.objectContaining({ path: 'mqtt.embedded.listeners[0].anonymousLocal' }),
      ]),
    );
  });

  it('loadSiteConfig throws one coded error that lists every problem', () => {
    const { dir, remove } = tempDir();
    try {
      const file = join(dir, 'site.yaml');
      writeFileSync(file, BROKEN);
      let caught: unknown;
      try {
        loadSiteConfig(file);
      } catch (err) {
        caught = err;
      }
      expect(isTongxinError(caught) && caught.code).toBe('TX_CONFIG_INVALID');
      const message = (caught as Error).message;
      expect(message).toMatch(/\d+ problems/);
      expect(message).toContain('http.port');
      expect(message).toContain('devices[0].link');
    } finally {
      remove();
    }
  });

  it('a YAML syntax error is reported with its line', () => {
    const r = parseSiteYaml('version: 1\nsite: { id: x\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.issues[0]?.path).toMatch(/^line \d+/);
  });
});
