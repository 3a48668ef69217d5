import { describe, expect, it } from 'vitest';
import type { RunningApp } from '../../src/app.js';
import type { SiteConfig } from '../../src/config/schema.js';
import { createManualClock } from '../../src/core/clock.js';
import { SEEDED_META_KEY } from '../../src/services/services-module.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup } from '../helpers/app.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/** The services catalogue over real HTTP: seeding, staff editing with audit, and what the kiosk may see. */
const defer = useCleanup();
const T0 = Date.UTC(2026, 10, 28, 2, 0);

async function boot(opts: { dir?: string; config?: (dir: string) => SiteConfig } = {}) {
  let dir = opts.dir;
  if (!dir) {
    const t = tempDir();
    defer(t.remove);
    dir = t.dir;
  }
  const clock = createManualClock(T0);
  const { app } = await startTestApp({ dataDir: dir, clock, ...(opts.config ? { config: opts.config(dir) } : {}) });
  const stop = () => app.stop();
  defer(stop);
  return { app, dir, clock, stop };
}

async function staffCookie(app: RunningApp, role: 'staff' | 'admin' = 'staff') {
  const name = `svc-${role}`;
  await addStaff(app, name, role);
  return loginCookie(app, name);
}

async function json(res: Response | Promise<Response>) {
  const r = await res;
  return { status: r.status, body: (await r.json()) as any };
}

type PublicPartner = { id: number; name: { en: string }; services: { id: number; name: { en: string }; category: string }[] };
const names = (partners: PublicPartner[]) => partners.map((p) => `${p.name.en}: ${p.services.map((s) => s.name.en).join(', ')}`);

const adminCookies = new WeakMap<RunningApp, Promise<string>>();
/** The audit entries whose action starts with `prefix`, oldest first, read as an admin would. */
async function auditOf(app: RunningApp, prefix: string) {
  if (!adminCookies.has(app)) adminCookies.set(app, staffCookie(app, 'admin'));
  const admin = await adminCookies.get(app);
  const { body } = await json(call(app, 'GET', '/api/staff/audit', { ...(admin ? { cookie: admin } : {}) }));
  return (body.entries as { actor: string; action: string; target: string | null; detail: any }[]).filter((e) => e.action.startsWith(prefix)).reverse();
}

describe('services catalogue', () => {
  it('seeds from the site file in its order, once: a staff edit survives a restart on the same data folder', async () => {
    const first = await boot();
    const list = await json(call(first.app, 'GET', '/api/services'));
    expect(list.status).toBe(200);
    expect(names(list.body.partners)).toEqual([
      'Tongren Hospital (sample): Family doctor consultation, Blood pressure and glucose check',
      'Shenzhou Hospital (sample): Traditional Chinese medicine talk',
      'Bank of China, Xianxia Road sub-branch (sample): Anti-fraud class, Help with mobile banking',
      'Youth social work studio (sample): Smartphone class',
    ]);
    expect(list.body.partners[0]).toMatchObject({ name: { zh: '同仁医院（示例）' }, kind: 'hospital' });
    expect(list.body.partners[0].services[0]).toMatchObject({ category: 'health', hours: { en: 'Tuesdays 9:00–11:00' }, place: { zh: '客厅健康角' }, link: null });
    expect(JSON.parse(first.app.store.getMeta(SEEDED_META_KEY) ?? '{}')).toEqual({ at: T0, partners: 4, services: 6 });

    const cookie = await staffCookie(first.app);
    const sid = list.body.partners[0].services[0].id as number;
    const edited = await json(call(first.app, 'PATCH', `/api/admin/services/${sid}`, { cookie, body: { name: { zh: '家庭医生签约咨询', en: 'Family doctor sign-up' } } }));
    expect(edited.status).toBe(200);
    await first.stop();

    const second = await boot({ dir: first.dir });
    const again = await json(call(second.app, 'GET', '/api/services'));
    expect(again.body.partners).toHaveLength(4);
    expect(again.body.partners.flatMap((p: PublicPartner) => p.services)).toHaveLength(6);
    expect(again.body.partners[0].services[0].name).toEqual({ zh: '家庭医生签约咨询', en: 'Family doctor sign-up' });
  });

  it('serves categories with labels and visible counts, and filters the list by category', async () => {
    const { app } = await boot();
    const cats = await json(call(app, 'GET', '/api/services/categories'));
    expect(cats.body.categories.map((c: { id: string; count: number }) => `${c.id}:${c.count}`)).toEqual([
      'health:3', 'finance:1', 'digital:2', 'legal:0', 'elderly-care:0', 'youth:0', 'other:0',
    ]);
    expect(cats.body.categories[0].label).toEqual({ zh: '健康医疗', en: 'Health' });

    const digital = await json(call(app, 'GET', '/api/services?category=digital'));
    expect(names(digital.body.partners)).toEqual(['Bank of China, Xianxia Road sub-branch (sample): Help with mobile banking', 'Youth social work studio (sample): Smartphone class']);
    expect((await json(call(app, 'GET', '/api/services?category=legal'))).body).toEqual({ partners: [] });
    const bad = await json(call(app, 'GET', '/api/services?category=karaoke'));
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/unknown category "karaoke": use one of health, finance/);
  });

  it('staff create and edit partners and services, every change audited; the public sees them', async () => {
    const { app } = await boot();
    const cookie = await staffCookie(app);
    const p = await json(call(app, 'POST', '/api/admin/partners', { cookie, body: { name: { zh: ' 长宁法律援助中心 ', en: 'Changning legal aid centre' }, kind: 'legal-aid' } }));
    expect(p.status).toBe(201);
    expect(p.body.partner).toMatchObject({ name: { zh: '长宁法律援助中心', en: 'Changning legal aid centre' }, kind: 'legal-aid', hidden: false, createdAt: T0 });
    const partnerId = p.body.partner.id as number;

    const body = {
      partnerId,
      name: { zh: '免费法律咨询', en: 'Free legal advice' },
      description: { zh: '遗嘱、赡养、房屋纠纷', en: 'Wills, care of parents,\nhousing disputes' },
      category: 'legal',
      hours: { zh: '每月第二个周三 9:30', en: 'Second Wednesday, 9:30' },
      place: { zh: '多功能厅', en: 'Multi-purpose room' },
      contact: '021-6212 3456',
      link: 'https://example.org/legal-aid',
    };
    const s = await json(call(app, 'POST', '/api/admin/services', { cookie, body }));
    expect(s.status).toBe(201);
    const sid = s.body.service.id as number;
    const shown = await json(call(app, 'GET', `/api/services/${sid}`));
    expect(shown.body.service).toMatchObject({ ...body, partner: { id: partnerId, name: { en: 'Changning legal aid centre' } } });
    expect(shown.body.service.hidden).toBeUndefined(); // the public answer carries no staff-only fields

    const patched = await json(call(app, 'PATCH', `/api/admin/services/${sid}`, { cookie, body: { hours: null, contact: '服务台', category: 'elderly-care' } }));
    expect(patched.status).toBe(200);
    expect(patched.body.service).toMatchObject({ hours: null, contact: '服务台', category: 'elderly-care', link: body.link });
    const renamed = await json(call(app, 'PATCH', `/api/admin/partners/${partnerId}`, { cookie, body: { name: { zh: '长宁区法律援助中心', en: 'Changning District legal aid centre' } } }));
    expect(renamed.body.partner.name.zh).toBe('长宁区法律援助中心');
    expect((await json(call(app, 'GET', '/api/services?category=elderly-care'))).body.partners[0].name.en).toBe('Changning District legal aid centre');
    // Moving a service to another partner puts it at the end of that partner's list.
    const firstPartner = (await json(call(app, 'GET', '/api/admin/services', { cookie }))).body.partners[0];
    const moved = await json(call(app, 'PATCH', `/api/admin/services/${sid}`, { cookie, body: { partnerId: firstPartner.id } }));
    expect(moved.body.service.partnerId).toBe(firstPartner.id);
    const afterMove = (await json(call(app, 'GET', '/api/admin/services', { cookie }))).body.partners;
    expect(afterMove[0].services.map((x: { id: number }) => x.id).at(-1)).toBe(sid);
    expect(afterMove.at(-1).services).toEqual([]);

    const audit = await auditOf(app, 's');
    expect(audit.map((e) => `${e.actor} ${e.action} ${e.target}`)).toEqual([
      `svc-staff service.create service:${sid}`,
      `svc-staff service.update service:${sid}`,
      `svc-staff service.update service:${sid}`,
    ]);
    expect(audit[1]?.detail).toEqual({
      category: { from: 'legal', to: 'elderly-care' },
      hours: { from: body.hours, to: null },
      contact: { from: body.contact, to: '服务台' },
    });
    expect((await auditOf(app, 'partner')).map((e) => `${e.action} ${e.target}`)).toEqual([`partner.create partner:${partnerId}`, `partner.update partner:${partnerId}`]);
  });

  it('hidden services and partners never reach the public, while staff still list them', async () => {
    const { app } = await boot();
    const cookie = await staffCookie(app);
    const [tongren, , bank] = (await json(call(app, 'GET', '/api/admin/services', { cookie }))).body.partners;
    const glucose = tongren.services[1].id as number;

    expect((await json(call(app, 'PATCH', `/api/admin/services/${glucose}`, { cookie, body: { hidden: true } }))).status).toBe(200);
    expect((await json(call(app, 'PATCH', `/api/admin/partners/${bank.id}`, { cookie, body: { hidden: true } }))).status).toBe(200);
    const pub = await json(call(app, 'GET', '/api/services'));
    expect(names(pub.body.partners)).toEqual([
      'Tongren Hospital (sample): Family doctor consultation',
      'Shenzhou Hospital (sample): Traditional Chinese medicine talk',
      'Youth social work studio (sample): Smartphone class',
    ]);
    expect((await json(call(app, 'GET', `/api/services/${glucose}`))).status).toBe(404);
    expect((await json(call(app, 'GET', `/api/services/${bank.services[0].id}`))).status).toBe(404);
    expect((await json(call(app, 'GET', '/api/services?category=finance'))).body.partners).toEqual([]);
    const counts = (await json(call(app, 'GET', '/api/services/categories'))).body.categories.map((c: { count: number }) => c.count);
    expect(counts.slice(0, 3)).toEqual([2, 0, 1]);

    const admin = (await json(call(app, 'GET', '/api/admin/services', { cookie }))).body.partners;
    expect(admin).toHaveLength(4);
    expect(admin[0].services[1]).toMatchObject({ id: glucose, hidden: true });
    expect(admin[2]).toMatchObject({ id: bank.id, hidden: true });
    expect(admin[2].services).toHaveLength(2);

    await call(app, 'PATCH', `/api/admin/partners/${bank.id}`, { cookie, body: { hidden: false } });
    expect((await json(call(app, 'GET', '/api/services?category=finance'))).body.partners).toHaveLength(1);
    expect((await auditOf(app, 'partner.')).map((e) => e.action)).toEqual(['partner.hide', 'partner.unhide']);
    expect((await auditOf(app, 'service.')).map((e) => `${e.action} ${e.target}`)).toEqual([`service.hide service:${glucose}`]);
  });

  it('reorders partners and services with a full permutation only', async () => {
    const { app } = await boot();
    const cookie = await staffCookie(app);
    const partners = (await json(call(app, 'GET', '/api/admin/services', { cookie }))).body.partners as { id: number; services: { id: number }[] }[];
    const ids = partners.map((p) => p.id);
    const reversed = [...ids].reverse();
    expect((await json(call(app, 'POST', '/api/admin/partners/order', { cookie, body: { ids: reversed } }))).status).toBe(200);
    expect((await json(call(app, 'GET', '/api/services'))).body.partners.map((p: { id: number }) => p.id)).toEqual(reversed);

    for (const wrong of [reversed.slice(1), [...reversed, reversed[0]], [...reversed.slice(1), 999], []]) {
      const r = await json(call(app, 'POST', '/api/admin/partners/order', { cookie, body: { ids: wrong } }));
      expect(r.status, JSON.stringify(wrong)).toBe(400);
      expect(r.body.error.message).toMatch(/must list each of the 4 ids exactly once/);
    }
    expect((await json(call(app, 'POST', '/api/admin/partners/order', { cookie, body: { ids: [...reversed.slice(1), 999] } }))).body.error.message).toMatch(/not in this list: 999; missing: \d+/);

    const bank = partners[2] as { id: number; services: { id: number }[] };
    const [a, b] = bank.services.map((s) => s.id) as [number, number];
    expect((await json(call(app, 'POST', `/api/admin/partners/${bank.id}/services/order`, { cookie, body: { ids: [b, a] } }))).status).toBe(200);
    const bankNow = (await json(call(app, 'GET', '/api/services?category=finance'))).body; // filter keeps order too
    expect(bankNow.partners[0].services.map((s: { id: number }) => s.id)).toEqual([a]);
    expect((await json(call(app, 'GET', '/api/services'))).body.partners.find((p: { id: number }) => p.id === bank.id).services.map((s: { id: number }) => s.id)).toEqual([b, a]);
    // A service of another partner is not part of this list.
    const foreign = partners[0]?.services[0]?.id as number;
    expect((await json(call(app, 'POST', `/api/admin/partners/${bank.id}/services/order`, { cookie, body: { ids: [b, foreign] } }))).status).toBe(400);
    expect((await json(call(app, 'POST', '/api/admin/partners/4242/services/order', { cookie, body: { ids: [] } }))).status).toBe(404);

    expect((await auditOf(app, '')).filter((e) => e.action.endsWith('.reorder')).map((e) => `${e.action} ${e.target} ${JSON.stringify(e.detail)}`)).toEqual([
      `partner.reorder partners ${JSON.stringify({ from: ids, to: reversed })}`,
      `service.reorder partner:${bank.id} ${JSON.stringify({ from: [a, b], to: [b, a] })}`,
    ]);
  });

  it('refuses bad input with a 4xx and a readable message, and anonymous or committee edits', async () => {
    const { app } = await boot();
    const cookie = await staffCookie(app);
    const partnerId = (await json(call(app, 'GET', '/api/admin/services', { cookie }))).body.partners[0].id as number;
    const ok = { partnerId, name: { zh: '测试', en: 'Test' }, category: 'other' };
    const cases: [string, string, string, unknown, RegExp][] = [
      ['POST', '/api/admin/services', 'blank name', { ...ok, name: { zh: '  ', en: 'x' } }, /name\.zh must not be blank/],
      ['POST', '/api/admin/services', 'unknown category', { ...ok, category: 'karaoke' }, /unknown category "karaoke"/],
      ['POST', '/api/admin/services', 'javascript link', { ...ok, link: 'javascript:alert(1)' }, /http:\/\/ or https:\/\//],
      ['POST', '/api/admin/services', 'link with password', { ...ok, link: 'https://u:p@example.org/' }, /user name or password/],
      ['POST', '/api/admin/services', 'two-line place', { ...ok, place: { zh: 'a\nb', en: 'b' } }, /place\.zh must be one line/],
      ['POST', '/api/admin/services', 'missing name', { partnerId, category: 'other' }, /name/],
      ['POST', '/api/admin/services', 'unknown field', { ...ok, phone: '13800138000' }, /additional properties/],
      ['POST', '/api/admin/services', 'half a translation', { ...ok, hours: { zh: '周一' } }, /en/],
      ['POST', '/api/admin/services', 'no such partner', { ...ok, partnerId: 4242 }, /no partner 4242/],
      ['POST', '/api/admin/partners', 'bad kind', { name: { zh: '甲', en: 'A' }, kind: 'Big Bank!' }, /kind must be a short lowercase word/],
      ['PATCH', `/api/admin/partners/${partnerId}`, 'empty patch', {}, /fewer than 1 properties/],
      ['PATCH', '/api/admin/services/4242', 'no such service', { hidden: true }, /no service 4242/],
      ['POST', '/api/admin/partners/order', 'ids not numbers', { ids: ['a'] }, /integer/],
    ];
    for (const [method, path, what, body, message] of cases) {
      const r = await json(call(app, method, path, { cookie, body }));
      expect(r.status, what).toBeGreaterThanOrEqual(400);
      expect(r.status, what).toBeLessThan(500);
      expect(r.body.error.message, what).toMatch(message);
    }
    expect((await json(call(app, 'GET', '/api/services/abc'))).status).toBe(400);
    expect((await json(call(app, 'GET', '/api/services/4242'))).status).toBe(404);
    expect((await json(call(app, 'GET', '/api/admin/services'))).status).toBe(401);
    expect((await json(call(app, 'POST', '/api/admin/partners', { body: { name: { zh: '甲', en: 'A' }, kind: 'bank' } }))).status).toBe(401);
    await addStaff(app, 'committee-chen', 'committee');
    const committee = await loginCookie(app, 'committee-chen');
    expect((await json(call(app, 'POST', '/api/admin/partners', { cookie: committee, body: { name: { zh: '甲', en: 'A' }, kind: 'bank' } }))).status).toBe(403);
    // Nothing was written by any refused request.
    expect((await auditOf(app, 'partner')).concat(await auditOf(app, 'service'))).toEqual([]);
  });

  it('public endpoints are rate-limited; a site without sample partners starts empty and seeds nothing', async () => {
    const site = await demoConfigWith((doc) => {
      doc.http.publicRateLimitPerMinute = 3;
      doc.partners = [];
    });
    const { app } = await boot({ config: (dir) => testConfig(dir, {}, site) });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(app, 'GET', '/api/services')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(app.store.getMeta(SEEDED_META_KEY)).toBeUndefined();
    const cookie = await staffCookie(app);
    expect((await json(call(app, 'GET', '/api/admin/services', { cookie }))).body.partners).toEqual([]);
  });
});
