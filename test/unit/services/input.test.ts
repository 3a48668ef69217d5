import { describe, expect, it } from 'vitest';
import { applyPatch, cleanLink, cleanPartner, cleanService, cleanText, type ServiceFields } from '../../../src/services/input.js';

describe('service input', () => {
  it('trims text and refuses blanks, line breaks in one-line fields and control characters, naming the field', () => {
    expect(cleanText('name', { zh: ' 家庭医生 ', en: 'Family doctor ' }, 100)).toEqual({ zh: '家庭医生', en: 'Family doctor' });
    expect(() => cleanText('name', { zh: '   ', en: 'x' }, 100)).toThrow('name.zh must not be blank');
    expect(() => cleanText('place', { zh: '甲', en: 'a\nb' }, 100)).toThrow('place.en must be one line');
    expect(() => cleanText('name', { zh: '甲', en: 'x'.repeat(101) }, 100)).toThrow('name.en is longer than 100 characters');
    expect(cleanText('description', { zh: '第一行\r\n第二行', en: 'one\ntwo' }, 100, true)).toEqual({ zh: '第一行\n第二行', en: 'one\ntwo' });
    expect(() => cleanText('description', { zh: 'a\u0007', en: 'b' }, 100, true)).toThrow('description.zh contains control characters');
  });

  it.each([
    ['https://example.org/a?b=1', 'https://example.org/a?b=1'],
    [' http://example.org ', 'http://example.org/'],
    ['https://例子.中国/', 'https://xn--fsqu00a.xn--fiqs8s/'],
  ])('accepts the web address %s', (input, href) => expect(cleanLink(input)).toBe(href));

  it.each([
    ['javascript:alert(1)', /http:\/\/ or https:\/\//],
    ['file:///etc/passwd', /http:\/\/ or https:\/\//],
    ['data:text/html,hi', /http:\/\/ or https:\/\//],
    ['example.org', /http:\/\/ or https:\/\//],
    ['https://user:secret@example.org/', /user name or password/],
    [`https://example.org/${'a'.repeat(500)}`, /longer than 500/],
  ])('refuses the link %s', (input, message) => expect(() => cleanLink(input)).toThrow(message));

  it('checks category and kind against their rules', () => {
    const base = { name: { zh: '甲', en: 'A' } };
    expect(() => cleanService({ ...base, category: 'karaoke' })).toThrow(/unknown category "karaoke": use one of health, finance, digital, legal, elderly-care, youth, other/);
    expect(cleanService({ ...base, category: 'elderly-care' })).toMatchObject({ category: 'elderly-care', description: null, hours: null, link: null, hidden: false });
    expect(() => cleanPartner({ ...base, kind: 'Big Bank' })).toThrow(/kind must be a short lowercase word/);
    expect(cleanPartner({ ...base, kind: 'social-organisation' })).toEqual({ ...base, kind: 'social-organisation', hidden: false });
  });

  it('a patch keeps left-out fields, clears nulls, and lists only what changed', () => {
    const current: ServiceFields = cleanService({ name: { zh: '甲', en: 'A' }, category: 'health', hours: { zh: '周一', en: 'Mon' }, contact: '021-1234', link: 'https://a.example/' });
    const { next, changed } = applyPatch(current, { hours: null, contact: ' 021-1234 ', hidden: true }, cleanService);
    expect(next).toEqual({ ...current, hours: null, hidden: true });
    expect(changed).toEqual({ hours: { from: { zh: '周一', en: 'Mon' }, to: null }, hidden: { from: false, to: true } });
    expect(applyPatch(current, { name: { zh: '甲 ', en: 'A' } }, cleanService).changed).toEqual({});
    expect(() => applyPatch(current, { link: 'ftp://x' }, cleanService)).toThrow(/https/);
  });
});
