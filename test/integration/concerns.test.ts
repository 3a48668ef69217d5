import fc from 'fast-check';
import mqtt from 'mqtt';
import { beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../src/core/clock.js';
import { demoConfigWith, startTestApp, tempDir, testConfig, useCleanup, waitFor } from '../helpers/app.js';
import { addStaff, call, loginCookie } from '../helpers/staff.js';

/**
 * Residents' concerns over real HTTP and MQTT: raised at the kiosk, moved through the loop by the
 * committee, rated once by code; a public board without personal data; the privacy job; the audit.
 */
const SITE = 'xianxia-demo';
const T0 = Date.UTC(2026, 2, 2, 2, 0); // 10:00 in Shanghai
const DAY = 86_400_000;
const PHONE = '13912345678';
const MASKED = '139****5678';
// "no 11-digit or masked number anywhere" (epoch-ms times have 13 digits, so they do not match)
const ANY_PHONE = /(?<!\d)\d{11}(?!\d)|\d{3}\*{4}\d{4}/;
const defer = useCleanup();

async function boot(opts: { clock?: ManualClock; dir?: string } = {}) {
  const clock = opts.clock ?? createManualClock(T0);
  let dir = opts.dir;
  if (!dir) {
    const t = tempDir();
    defer(t.remove);
    dir = t.dir;
  }
  const { app, logLines } = await startTestApp({ dataDir: dir, clock });
  let stopped = false;
  const stop = async () => {
    if (!stopped) await app.stop();
    stopped = true;
  };
  defer(stop);
  return { app, logLines, clock, dir, stop };
}

type App = Awaited<ReturnType<typeof boot>>['app'];
const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any });
const raise = (app: App, body: Record<string, unknown>) => call(app, 'POST', '/api/concerns', { body }).then(json);
const committee = async (app: App, name = 'chen') => (await addStaff(app, name, 'committee'), loginCookie(app, name));
const act = (app: App, cookie: string, id: number, step: string, body?: unknown) =>
  call(app, 'POST', `/api/admin/concerns/${id}/${step}`, { cookie, ...(body === undefined ? {} : { body }) }).then(json);

const consultation = { at: T0 + 3 * DAY, place: { zh: '共享客厅会议室', en: 'Lounge meeting room' } };
const resolution = { decision: { zh: '请园林所修剪树枝', en: 'Ask the parks office to trim the branches' }, resolution: { zh: '已修剪', en: 'Trimmed on Friday' } };

describe('concerns: the closed loop', () => {
  it('raise → accept → consultation → resolve → rate over HTTP, with events on MQTT in order and no phone anywhere but the committee view', async () => {
    const { app, logLines, clock } = await boot();
    const nodeRed = await mqtt.connectAsync(app.mqttUrl, { reconnectPeriod: 0 });
    defer(() => nodeRed.endAsync());
    const events: { topic: string; payload: string }[] = [];
    nodeRed.on('message', (topic, payload) => events.push({ topic, payload: payload.toString() }));
    await nodeRed.subscribeAsync(`tongxin/${SITE}/event/#`, { qos: 1 });

    const { categories } = (await json(await call(app, 'GET', '/api/concerns/categories'))).body;
    expect(categories.map((c: { id: string }) => c.id)).toEqual(['tree-signal', 'street-stalls', 'bike-parking', 'waste', 'noise', 'lighting', 'accessibility', 'other']);
    const tree = categories[0];
    expect(tree.label).toEqual({ zh: '树木遮挡信号灯或路灯', en: 'Tree hiding a signal or light' });
    const { places } = (await json(await call(app, 'GET', '/api/concerns/places'))).body;
    expect(places.map((p: { id: string }) => p.id)).toEqual(expect.arrayContaining(['lounge', 'bed:bed-herbs', 'point:p1', 'other']));

    const created = await raise(app, { category: 'tree-signal', place: 'point:p1', phrases: [tree.phrases[0].id, tree.phrases[3].id], words: '路口东侧那棵梧桐', phone: ' 139-1234-5678 ', consent: true });
    expect(created.status).toBe(201);
    expect(created.body.ref).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    expect(created.body.phone).toBe(MASKED);
    expect(created.body.concern).toMatchObject({ state: 'raised', category: { id: 'tree-signal' }, place: { id: 'point:p1', name: { en: 'Point 1 (Xianxia Road corner)' } }, words: '路口东侧那棵梧桐', raisedAt: T0 });
    expect(created.body.concern.phrases[0].text.en).toBe('Branches hide the traffic light');
    const { ref } = created.body;
    const id = created.body.concern.id as number;

    const cookie = await committee(app);
    const queue = await json(await call(app, 'GET', '/api/admin/concerns?state=raised', { cookie }));
    expect(queue.body.concerns).toEqual([expect.objectContaining({ id, ref, phone: MASKED, state: 'raised' })]);

    clock.advance(60_000);
    expect((await act(app, cookie, id, 'accept')).body.concern.state).toBe('accepted');
    clock.advance(60_000);
    const scheduled = await act(app, cookie, id, 'consultation', consultation);
    expect(scheduled.body.concern).toMatchObject({ state: 'in-consultation', consultation: { at: consultation.at, place: consultation.place } });
    // Rating before it is resolved is refused.
    const early = await json(await call(app, 'POST', `/api/concerns/by-ref/${ref}/rating`, { body: { stars: 5 } }));
    expect(early.status).toBe(409);
    expect(early.body.error.message).toMatch(/once it is resolved/);
    clock.advance(3 * DAY);
    const cookie2 = await loginCookie(app, 'chen'); // the first session has idled out meanwhile
    const resolved = await act(app, cookie2, id, 'resolve', resolution);
    expect(resolved.body.concern).toMatchObject({ state: 'resolved', decision: resolution.decision, resolution: resolution.resolution, resolvedAt: clock.now() });

    // The resident follows it by code (typed in lower case) and rates it, once.
    const followed = await json(await call(app, 'GET', `/api/concerns/by-ref/${ref.toLowerCase()}`));
    expect(followed.body.concern).toMatchObject({ ref, state: 'resolved' });
    const rated = await json(await call(app, 'POST', `/api/concerns/by-ref/${ref}/rating`, { body: { stars: 4, comment: '修得很快' } }));
    expect(rated.status).toBe(201);
    expect(rated.body.concern).toMatchObject({ state: 'rated', rating: { stars: 4, comment: '修得很快', at: clock.now() } });
    const again = await json(await call(app, 'POST', `/api/concerns/by-ref/${ref}/rating`, { body: { stars: 1 } }));
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'TX_CONFLICT', message: expect.stringMatching(/already been rated/), details: { message: { zh: expect.any(String) } } });
    expect((await json(await call(app, 'GET', `/api/concerns/by-ref/${ref}`))).body.concern.rating.stars).toBe(4);
    expect((await call(app, 'GET', '/api/concerns/by-ref/ZZZZZZ')).status).toBe(404);

    const names = ['concern.created', 'concern.accepted', 'concern.consultation-scheduled', 'concern.resolved', 'concern.rated'];
    await waitFor('five concern events', () => events.length >= names.length);
    expect(events.map((e) => e.topic)).toEqual(names.map((n) => `tongxin/${SITE}/event/${n}`));
    const payloads = events.map((e) => JSON.parse(e.payload));
    expect(payloads.map((p) => p.event)).toEqual(names);
    expect(payloads.every((p) => p.concernId === id && p.category === 'tree-signal' && p.place === 'point:p1')).toBe(true);
    expect(payloads[2]).toMatchObject({ state: 'in-consultation', consultationAt: consultation.at, consultationPlace: consultation.place });
    expect(payloads[4]).toMatchObject({ state: 'rated', stars: 4 });
    for (const e of events) {
      expect(e.payload).not.toMatch(ANY_PHONE);
      expect(e.payload).not.toContain(ref);
    }

    // The committee sees the whole history and the masked phone.
    const one = await json(await call(app, 'GET', `/api/admin/concerns/${id}`, { cookie: cookie2 }));
    expect(one.body.concern).toMatchObject({ ref, phone: MASKED, state: 'rated', phoneDeletesAt: T0 + 120_000 + 3 * DAY + 30 * DAY });
    expect(one.body.history.map((h: any) => `${h.actor} ${h.action} ${h.from ?? '-'}→${h.to}`)).toEqual([
      'resident raise -→raised',
      'chen accept raised→accepted',
      'chen schedule accepted→in-consultation',
      'chen resolve in-consultation→resolved',
      'resident rate resolved→rated',
    ]);
    expect(one.body.history.map((h: any) => h.at)).toEqual([T0, T0 + 60_000, T0 + 120_000, T0 + 120_000 + 3 * DAY, T0 + 120_000 + 3 * DAY]);
    expect(JSON.stringify(one.body)).not.toContain(PHONE);

    // Every committee step is audited, without the phone.
    await addStaff(app, 'wang', 'admin');
    const audit = (await json(await call(app, 'GET', '/api/staff/audit', { cookie: await loginCookie(app, 'wang') }))).body.entries as any[];
    const concernAudit = audit.filter((e) => e.action.startsWith('concern.')).reverse();
    expect(concernAudit.map((e) => `${e.actor} ${e.action} ${e.target}`)).toEqual([`chen concern.accept concern:${id}`, `chen concern.schedule concern:${id}`, `chen concern.resolve concern:${id}`]);
    expect(concernAudit[2].detail).toEqual({ from: 'in-consultation', to: 'resolved' });
    expect(JSON.stringify(audit)).not.toMatch(ANY_PHONE);

    expect(logLines.some((l) => l.includes('concern raised'))).toBe(true);
    expect(logLines.filter((l) => ANY_PHONE.test(l) || l.includes('1234-5678'))).toEqual([]);
  });

  it('decline with a reason; every step the rules do not allow is a 409 with a readable message', async () => {
    const { app } = await boot();
    const cookie = await committee(app);
    const a = (await raise(app, { category: 'street-stalls', place: 'lounge' })).body.concern.id as number;
    const b = (await raise(app, { category: 'noise', place: 'other', placeOther: '3号楼楼下' })).body;

    expect((await act(app, cookie, a, 'decline', { reason: { zh: '   ' } })).status).toBe(400); // a blank reason
    const declined = await act(app, cookie, a, 'decline', { reason: { en: 'Outside the street committee’s remit: referred to the city hotline' } });
    expect(declined.body.concern).toMatchObject({ state: 'declined', declineReason: { zh: 'Outside the street committee’s remit: referred to the city hotline' } });

    const refused = [
      await act(app, cookie, a, 'accept'),
      await act(app, cookie, a, 'decline', { reason: { zh: '重复' } }),
      await act(app, cookie, a, 'consultation', consultation),
      await act(app, cookie, b.concern.id, 'resolve', resolution),
      await act(app, cookie, b.concern.id, 'consultation', consultation),
    ];
    expect(refused.map((r) => r.status)).toEqual([409, 409, 409, 409, 409]);
    expect(refused[0]?.body.error.message).toBe('A concern that is declined cannot be accepted: only one that is raised.');
    expect(refused[3]?.body.error.message).toBe('A concern that is raised cannot be resolved: only one that is in consultation.');
    expect((await json(await call(app, 'POST', `/api/concerns/by-ref/${b.ref}/rating`, { body: { stars: 3 } }))).status).toBe(409);
    expect((await act(app, cookie, 9999, 'accept')).status).toBe(404);

    // A pending consultation may be moved; then it can still be resolved.
    expect((await act(app, cookie, b.concern.id, 'accept')).status).toBe(200);
    expect((await act(app, cookie, b.concern.id, 'consultation', consultation)).status).toBe(200);
    const moved = await act(app, cookie, b.concern.id, 'consultation', { ...consultation, at: consultation.at + DAY });
    expect(moved.body.concern.consultation.at).toBe(consultation.at + DAY);
    expect((await act(app, cookie, b.concern.id, 'resolve', resolution)).body.concern.state).toBe('resolved');
    expect((await act(app, cookie, b.concern.id, 'accept')).status).toBe(409);

    // Lounge staff are not the committee.
    await addStaff(app, 'li', 'staff');
    expect((await act(app, await loginCookie(app, 'li'), b.concern.id, 'accept')).status).toBe(403);
    expect((await act(app, '', a, 'accept')).status).toBe(401);
  });
});

describe('concerns: the public board', () => {
  it('shows every concern newest first, paged and filterable, and never a phone or a reference code', async () => {
    const { app, clock } = await boot();
    const cookie = await committee(app);
    const refs: string[] = [];
    const ids: number[] = [];
    for (let i = 0; i < 7; i++) {
      clock.advance(60_000);
      const r = await raise(app, { category: 'lighting', place: 'bed:bed-herbs', words: `第${i}盏路灯不亮`, phone: `1391234567${i}`, consent: true });
      expect(r.status).toBe(201);
      refs.push(r.body.ref);
      ids.push(r.body.concern.id);
    }
    await act(app, cookie, ids[0] as number, 'decline', { reason: { zh: '已由物业处理' } });
    await act(app, cookie, ids[1] as number, 'accept');

    const page1 = await call(app, 'GET', '/api/concerns/board?pageSize=3');
    const raw = await page1.text();
    const body = JSON.parse(raw);
    expect(body).toMatchObject({ page: 1, pageSize: 3, total: 7, pages: 3 });
    expect(body.items.map((c: any) => c.id)).toEqual([ids[6], ids[5], ids[4]]);
    expect(body.items[0]).toMatchObject({ state: 'raised', category: { id: 'lighting', label: { zh: '照明' } }, place: { id: 'bed:bed-herbs', name: { en: 'Garden: Herbs' } }, words: '第6盏路灯不亮' });
    const page3 = await json(await call(app, 'GET', '/api/concerns/board?pageSize=3&page=3'));
    expect(page3.body.items.map((c: any) => c.id)).toEqual([ids[0]]);
    expect(page3.body.items[0]).toMatchObject({ state: 'declined', declineReason: { zh: '已由物业处理', en: '已由物业处理' } });
    expect((await json(await call(app, 'GET', '/api/concerns/board?page=9'))).body.items).toEqual([]);
    const accepted = await json(await call(app, 'GET', '/api/concerns/board?state=accepted'));
    expect(accepted.body).toMatchObject({ total: 1, pages: 1, items: [{ id: ids[1], state: 'accepted' }] });
    expect((await call(app, 'GET', '/api/concerns/board?state=open')).status).toBe(400);

    const all = await (await call(app, 'GET', '/api/concerns/board?pageSize=50')).text();
    for (const text of [raw, all]) {
      expect(text).not.toMatch(ANY_PHONE);
      expect(text).not.toMatch(/phone/i);
      for (const ref of refs) expect(text).not.toContain(ref);
    }
    // The lookup by code is public too: no phone there either.
    expect(await (await call(app, 'GET', `/api/concerns/by-ref/${refs[3]}`)).text()).not.toMatch(ANY_PHONE);
  });
});

describe('concerns: what the kiosk may send', () => {
  // One app for the whole table: a fresh one per row would take a second each.
  let v: { app: App; logLines: string[] };
  beforeAll(async () => {
    const t = tempDir();
    const config = await demoConfigWith((doc) => {
      doc.http.publicRateLimitPerMinute = 1_000_000;
    });
    const { app, logLines } = await startTestApp({ dataDir: t.dir, clock: createManualClock(T0), config: testConfig(t.dir, {}, config) });
    v = { app, logLines };
    return async () => {
      await app.stop();
      t.remove();
    };
  });

  it.each([
    ['a bad phone', { category: 'waste', place: 'lounge', phone: '1391234567', consent: true }, 'phone', /11-digit mainland mobile/],
    ['a phone without consent', { category: 'waste', place: 'lounge', phone: PHONE }, 'consent', /consent/],
    ['a phone with consent false', { category: 'waste', place: 'lounge', phone: PHONE, consent: false }, 'consent', /consent/],
    ['words over 500 characters', { category: 'waste', place: 'lounge', words: '字'.repeat(501) }, 'body/words', /500/],
    ['an unknown category', { category: 'parking', place: 'lounge' }, 'body/category', /allowed values/],
    ['an unknown place', { category: 'waste', place: 'point:p9' }, 'place', /unknown place/],
    ['"other" without saying where', { category: 'waste', place: 'other' }, 'placeOther', /say where/],
    ['an "other" place over 100 characters', { category: 'waste', place: 'other', placeOther: 'x'.repeat(101) }, 'body/placeOther', /100/],
    ['a phrase of another category', { category: 'waste', place: 'lounge', phrases: ['at-night'] }, 'phrases', /not in category/],
    ['a phone number in the words', { category: 'waste', place: 'lounge', words: '请打 139 1234 5678' }, 'words', /phone field/],
    ['an unknown field', { category: 'waste', place: 'lounge', name: '王' }, 'body', /additional properties/],
  ])('%s → 400 with a readable error', async (_name, body, field, message) => {
    const { app, logLines } = v;
    const res = await raise(app, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('TX_BAD_REQUEST');
    expect(res.body.error.message).toMatch(message);
    const details = res.body.error.details;
    const fields: string[] = Array.isArray(details) ? details.map((d: { path: string }) => d.path) : [details.field];
    expect(fields).toContain(field);
    if (!Array.isArray(details)) expect(details.message.zh).toBeTruthy();
    expect(logLines.filter((l) => l.includes('1391234567'))).toEqual([]);
  });

  it('a phone typed with +86, spaces or dashes is accepted and echoed masked only', async () => {
    const { app } = v;
    const res = await raise(app, { category: 'waste', place: 'lounge', phone: '+86 139 1234 5678', consent: true });
    expect(res.status).toBe(201);
    expect(res.body.phone).toBe(MASKED);
    expect(JSON.stringify(res.body)).not.toContain(PHONE);
    const bad = await json(await call(app, 'GET', '/api/concerns/by-ref/AB0CDE'));
    expect(bad.status).toBe(400);
    const rating = await json(await call(app, 'POST', `/api/concerns/by-ref/${res.body.ref}/rating`, { body: { stars: 6 } }));
    expect(rating.status).toBe(400);
  });
});

describe('concerns: any text a resident can type', () => {
  it('is stored and shown as typed, or refused with a 400: never a 5xx, and the board stays free of phones', async () => {
    const t = tempDir();
    defer(t.remove);
    const config = await demoConfigWith((doc) => {
      doc.http.publicRateLimitPerMinute = 1_000_000;
    });
    const { app } = await startTestApp({ dataDir: t.dir, clock: createManualClock(T0), config: testConfig(t.dir, {}, config) });
    defer(() => app.stop());
    const text = fc.oneof(fc.string({ maxLength: 520 }), fc.string({ unit: 'grapheme', maxLength: 520 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.constantFrom('\u0000', ' \u0000x', '13912345678', '139****5678'));
    const body = fc.record(
      {
        category: fc.constantFrom('noise', 'waste', 'other'),
        place: fc.constantFrom('lounge', 'other', 'point:p2'),
        placeOther: text,
        words: text,
        phone: fc.oneof(text, fc.constant(PHONE)),
        consent: fc.boolean(),
        phrases: fc.array(fc.constantFrom('at-night', 'bins-full', 'unsafe', 'x'), { maxLength: 3 }),
      },
      { requiredKeys: ['category', 'place'] },
    );
    let created = 0;
    await fc.assert(
      fc.asyncProperty(body, async (b) => {
        const res = await app.http.inject({ method: 'POST', url: '/api/concerns', payload: b });
        expect([201, 400], res.body.slice(0, 300)).toContain(res.statusCode);
        if (res.statusCode !== 201) {
          expect(typeof res.json().error.message).toBe('string');
          return;
        }
        created++;
        const r = res.json();
        const board = await app.http.inject({ method: 'GET', url: `/api/concerns/by-ref/${r.ref}` });
        expect(board.json().concern.words).toBe(r.concern.words);
      }),
      { numRuns: 300 },
    );
    expect(created).toBeGreaterThan(5);
    const all = await app.http.inject({ method: 'GET', url: '/api/concerns/board?pageSize=50' });
    expect(all.body).not.toMatch(ANY_PHONE);
  });
});

describe('concerns: the privacy job', () => {
  it('deletes the phone retentionDays after the concern closed (run at start), and not before', async () => {
    const clock = createManualClock(T0);
    const first = await boot({ clock });
    const cookie = await committee(first.app);
    const declined = (await raise(first.app, { category: 'noise', place: 'lounge', phone: PHONE, consent: true })).body.concern.id as number;
    const open = (await raise(first.app, { category: 'noise', place: 'lounge', phone: '13912345679', consent: true })).body.concern.id as number;
    await act(first.app, cookie, declined, 'decline', { reason: { zh: '不属于社区事务' } });
    const before = await json(await call(first.app, 'GET', `/api/admin/concerns/${declined}`, { cookie }));
    expect(before.body.concern).toMatchObject({ phone: MASKED, phoneDeletesAt: T0 + 30 * DAY, phoneDeletedAt: null });
    await first.stop();

    clock.set(T0 + 30 * DAY - 1);
    const second = await boot({ clock, dir: first.dir });
    const c2 = await loginCookie(second.app, 'chen');
    expect((await json(await call(second.app, 'GET', `/api/admin/concerns/${declined}`, { cookie: c2 }))).body.concern.phone).toBe(MASKED);
    await second.stop();

    clock.set(T0 + 30 * DAY);
    const third = await boot({ clock, dir: first.dir });
    const c3 = await loginCookie(third.app, 'chen');
    const after = await json(await call(third.app, 'GET', `/api/admin/concerns/${declined}`, { cookie: c3 }));
    expect(after.body.concern).toMatchObject({ phone: null, phoneDeletedAt: T0 + 30 * DAY, phoneDeletesAt: null });
    expect(after.body.history.at(-1)).toMatchObject({ actor: 'system', action: 'phone-deleted' });
    expect((await json(await call(third.app, 'GET', `/api/admin/concerns/${open}`, { cookie: c3 }))).body.concern.phone).toBe('139****5679');
    const row = third.app.store.db.prepare('SELECT phone FROM concerns WHERE id = ?').get(declined) as { phone: string | null };
    expect(row.phone).toBeNull();
    expect(third.logLines.some((l) => l.includes('deleted phone numbers of closed concerns'))).toBe(true);
  });
});
