import { describe, expect, it } from 'vitest';
import { DEVICE_STATUS_TEMPLATE } from '../../../src/homeassistant/discovery.js';
import { renderTemplate } from './ha-template.js';

/** The test's stand-in for Home Assistant's template engine must itself be right. */
describe('template evaluator used by the Home Assistant tests', () => {
  it('reads value_json paths and renders Python values as Jinja does', () => {
    expect(renderTemplate('{{ value_json.value }}', '{"value": 42.5}')).toBe('42.5');
    expect(renderTemplate('{{ value_json.fill }}', '{"fill": null}')).toBe('None');
    expect(renderTemplate('{{ value_json.a.b }}', '{"a": {"b": "x"}}')).toBe('x');
    expect(renderTemplate('{{ value_json.missing }}', '{"a": 1}')).toBe('');
  });
  it('conditional expressions', () => {
    const t = "{{ 'ON' if value_json.open else 'OFF' }}";
    expect(renderTemplate(t, '{"open": true}')).toBe('ON');
    expect(renderTemplate(t, '{"open": false}')).toBe('OFF');
  });
  it('the device status template takes plain text and JSON alike', () => {
    expect(renderTemplate(DEVICE_STATUS_TEMPLATE, 'online')).toBe('online');
    expect(renderTemplate(DEVICE_STATUS_TEMPLATE, 'offline')).toBe('offline');
    expect(renderTemplate(DEVICE_STATUS_TEMPLATE, '{"status":"offline","at":1}')).toBe('offline');
  });
  it('refuses what it cannot evaluate', () => {
    expect(() => renderTemplate('{{ value_json.x | float }}', '{}')).toThrow();
    expect(() => renderTemplate('{{ states("sensor.x") }}', '{}')).toThrow();
    expect(() => renderTemplate('{{ value_json.obj }}', '{"obj": {}}')).toThrow();
  });
});
