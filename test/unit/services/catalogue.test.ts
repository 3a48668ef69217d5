import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../../src/services/categories.js';
import { adminCatalogue, categoryCounts, publicCatalogue, publicService, type Partner, type Service } from '../../../src/services/catalogue.js';

const text = (s: string) => ({ zh: s, en: s });
const partner = (id: number, position: number, hidden = false): Partner => ({ id, name: text(`p${id}`), kind: 'bank', hidden, position, createdAt: 0, updatedAt: 0 });
const service = (id: number, partnerId: number, position: number, category: Service['category'] = 'health', hidden = false): Service => ({
  id,
  partnerId,
  name: text(`s${id}`),
  description: null,
  category,
  hours: null,
  place: null,
  contact: null,
  link: null,
  hidden,
  position,
  createdAt: 0,
  updatedAt: 0,
});

describe('the public catalogue', () => {
  const partners = [partner(1, 1), partner(2, 0), partner(3, 2, true), partner(4, 3)];
  const services = [service(10, 1, 1), service(11, 1, 0, 'digital'), service(12, 2, 0, 'finance', true), service(13, 3, 0), service(14, 4, 0, 'legal')];

  it('groups visible services under visible partners in staff order, leaving out empty partners', () => {
    const shown = publicCatalogue(partners, services);
    expect(shown.map((p) => `${p.id}:${p.services.map((s) => s.id).join(',')}`)).toEqual(['1:11,10', '4:14']);
    expect(publicCatalogue(partners, services, 'legal').map((p) => p.id)).toEqual([4]);
    expect(publicCatalogue(partners, services, 'finance')).toEqual([]);
    expect(Object.keys(shown[0]?.services[0] ?? {})).not.toContain('hidden');
  });

  it('answers one service only when it and its partner are visible', () => {
    expect(publicService(partners, services[0])).toMatchObject({ id: 10, partner: { id: 1, name: text('p1') } });
    expect(publicService(partners, services[2])).toBeUndefined(); // hidden service
    expect(publicService(partners, services[3])).toBeUndefined(); // hidden partner
    expect(publicService(partners, undefined)).toBeUndefined();
  });

  it('counts what the public can see, for every category in the fixed order', () => {
    expect(categoryCounts(partners, services).map((c) => `${c.id}:${c.count}`)).toEqual(['health:1', 'finance:0', 'digital:1', 'legal:1', 'elderly-care:0', 'youth:0', 'other:0']);
  });

  it('staff see everything, hidden too, in the same order', () => {
    expect(adminCatalogue(partners, services).map((p) => `${p.id}:${p.services.map((s) => s.id).join(',')}`)).toEqual(['2:12', '1:11,10', '3:13', '4:14']);
  });

  it('never shows a hidden service or a service of a hidden partner, and counts match the list', () => {
    const arb = fc
      .tuple(fc.array(fc.boolean(), { minLength: 1, maxLength: 6 }), fc.array(fc.record({ p: fc.nat(), pos: fc.nat(5), cat: fc.constantFrom(...CATEGORIES), hidden: fc.boolean() }), { maxLength: 30 }))
      .map(([ph, ss]) => ({
        partners: ph.map((h, i) => partner(i + 1, ph.length - i, h)),
        services: ss.map((s, i) => service(100 + i, (s.p % ph.length) + 1, s.pos, s.cat, s.hidden)),
      }));
    fc.assert(
      fc.property(arb, fc.option(fc.constantFrom(...CATEGORIES), { nil: undefined }), ({ partners: ps, services: ss }, cat) => {
        const shown = publicCatalogue(ps, ss, cat).flatMap((p) => p.services.map((s) => ss.find((x) => x.id === s.id) as Service));
        for (const s of shown) {
          expect(s.hidden).toBe(false);
          expect(ps.find((p) => p.id === s.partnerId)?.hidden).toBe(false);
          if (cat) expect(s.category).toBe(cat);
        }
        const count = categoryCounts(ps, ss).find((c) => c.id === cat)?.count ?? categoryCounts(ps, ss).reduce((n, c) => n + c.count, 0);
        expect(shown.length).toBe(count);
      }),
    );
  });
});
