import { describe, expect, it } from 'vitest';
import { loadSiteConfig } from '../../../src/config/load.js';
import { seedPlan } from '../../../src/services/seed.js';

describe('seedPlan', () => {
  it('takes the demo site partners and services in the file order, without warnings', () => {
    const plan = seedPlan(loadSiteConfig().partners);
    expect(plan.warnings).toEqual([]);
    expect(plan.partners.map((p) => `${p.fields.kind} ${p.fields.name.en}: ${p.services.map((s) => s.category).join(',')}`)).toEqual([
      'hospital Tongren Hospital (sample): health,health',
      'hospital Shenzhou Hospital (sample): health',
      'bank Bank of China, Xianxia Road sub-branch (sample): finance,digital',
      'social-organisation Youth social work studio (sample): digital',
    ]);
  });

  it('mends what the looser site file allows, and skips what it cannot, with a warning each', () => {
    const name = { zh: '甲', en: 'A' };
    const plan = seedPlan([
      {
        id: 'clinic',
        name,
        kind: 'Social Organisation',
        services: [
          { name, category: 'karaoke' },
          { name, category: 'health', link: 'ftp://example.org/x' },
          { name: { zh: ' ', en: 'B' }, category: 'health' },
          { name, category: 'legal', link: 'https://example.org', contact: '021-1234' },
        ],
      },
      { id: 'odd', name, kind: '医院', services: [] },
      { id: 'blank', name: { zh: ' ', en: 'x' }, kind: 'bank', services: [] },
    ]);
    expect(plan.partners.map((p) => p.fields.kind)).toEqual(['social-organisation', 'other']);
    expect(plan.partners[0]?.services.map((s) => `${s.category} ${s.link}`)).toEqual(['other null', 'health null', 'legal https://example.org/']);
    expect(plan.warnings).toEqual([
      'partner clinic, service 1: unknown category "karaoke"; using "other"',
      'partner clinic, service 2: link left out: link must be a full web address starting with http:// or https://',
      'partner clinic, service 3 skipped: name.zh must not be blank',
      'partner odd: kind "医院" is not a short lowercase word; using "other"',
      'partner blank skipped: name.zh must not be blank',
    ]);
  });
});
