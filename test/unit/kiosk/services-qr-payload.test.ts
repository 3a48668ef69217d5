import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { FIELD_MAX, LINK_MAX, serviceQrText, shorten, type QrService } from '../../../kiosk-ui/src/screens/services/qr-payload.js';
import { toItems } from '../../../kiosk-ui/src/screens/services/items.js';
import { LIMITS } from '../../../src/services/input.js';

/** What a phone takes away from a service's QR code. */
const site = { zh: '仙霞路共享客厅', en: 'Xianxia Road Shared Lounge' };
const full: QrService = {
  name: { zh: '社区法律咨询', en: 'Legal advice clinic' },
  unit: { zh: '青年社工服务社', en: 'Youth social work studio' },
  hours: { zh: '每月第二个周六 9:00–11:00', en: 'Second Saturday, 9:00–11:00' },
  place: { zh: '客厅会议室', en: 'Lounge meeting room' },
  contact: '021-6259 1234',
  link: 'https://legal.example.org/xianxia',
};

describe('serviceQrText', () => {
  it('lists name, unit, lounge, hours, place, phone and address in Chinese', () => {
    expect(serviceQrText(full, site, 'zh')).toBe(
      ['社区法律咨询', '服务单位：青年社工服务社', '服务地点：仙霞路共享客厅', '时间：每月第二个周六 9:00–11:00', '地点：客厅会议室', '电话：021-6259 1234', 'https://legal.example.org/xianxia'].join('\n'),
    );
  });

  it('in English when the kiosk is in English', () => {
    const text = serviceQrText(full, site, 'en');
    expect(text.split('\n')).toEqual([
      'Legal advice clinic',
      'Offered by: Youth social work studio',
      'At: Xianxia Road Shared Lounge',
      'When: Second Saturday, 9:00–11:00',
      'Where: Lounge meeting room',
      'Phone: 021-6259 1234',
      'https://legal.example.org/xianxia',
    ]);
  });

  it('leaves out what the service does not have', () => {
    const text = serviceQrText({ ...full, hours: null, place: null, contact: null, link: null }, site, 'zh');
    expect(text).toBe('社区法律咨询\n服务单位：青年社工服务社\n服务地点：仙霞路共享客厅');
  });

  it('falls back to the other language when one is empty', () => {
    expect(serviceQrText({ ...full, name: { zh: '法律咨询', en: '' } }, site, 'en').split('\n')[0]).toBe('法律咨询');
  });

  it('shortens long fields and drops a long address, so that the largest service still makes a readable code', () => {
    const long: QrService = {
      name: { zh: '名'.repeat(LIMITS.name), en: 'N'.repeat(LIMITS.name) },
      unit: { zh: '单'.repeat(LIMITS.name), en: 'U'.repeat(LIMITS.name) },
      hours: { zh: '时'.repeat(LIMITS.hours), en: 'H'.repeat(LIMITS.hours) },
      place: { zh: '地'.repeat(LIMITS.place), en: 'P'.repeat(LIMITS.place) },
      contact: '1'.repeat(LIMITS.contact),
      link: `https://example.org/${'x'.repeat(LIMITS.link - 20)}`,
    };
    const text = serviceQrText(long, site, 'zh');
    for (const line of text.split('\n')) expect(Array.from(line).length).toBeLessThanOrEqual(FIELD_MAX + 5);
    expect(text).not.toContain('https://');
    expect(text.split('\n')[0]).toBe(`${'名'.repeat(FIELD_MAX - 1)}…`);
    // Within what a phone reads off a screen: version 20 or below at error correction M (97 modules).
    expect(encode(text, { ecc: 'M' }).version).toBeLessThanOrEqual(20);
    // The longest address still kept, with every other field at its longest.
    const kept = serviceQrText({ ...long, link: `https://example.org/${'x'.repeat(LINK_MAX - 20)}` }, site, 'zh');
    expect(kept).toContain('https://example.org/');
    expect(encode(kept, { ecc: 'M' }).version).toBeLessThanOrEqual(20);
  });

  it('keeps each field on one line', () => {
    expect(shorten('  一行\n两行\t三  ')).toBe('一行 两行 三');
  });
});

describe('toItems', () => {
  it('flattens partners into services with their unit, in the server order', () => {
    const svc = (id: number, partnerId: number) => ({ id, partnerId, name: { zh: `s${id}`, en: `s${id}` }, description: null, category: 'health' as const, hours: null, place: null, contact: null, link: null });
    const items = toItems([
      { id: 2, name: { zh: '乙', en: 'B' }, kind: 'bank', services: [svc(5, 2), svc(3, 2)] },
      { id: 1, name: { zh: '甲', en: 'A' }, kind: 'hospital', services: [svc(1, 1)] },
    ]);
    expect(items.map((i) => [i.id, i.unit.en])).toEqual([
      [5, 'B'],
      [3, 'B'],
      [1, 'A'],
    ]);
  });
});
