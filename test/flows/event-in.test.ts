import { describe, expect, it } from 'vitest';
import { eventually, helper, palette, sleep } from '../helpers/nodered-runtime.js';
import { flowRig, loadInNode } from './harness.js';

/**
 * `tongxin event in`: events by name pattern; "include private" takes signup.promoted from
 * private/ (with the phone) instead of event/, and the phone never reaches a status or a warning.
 */
const rig = flowRig();

const PHONE = '13912345678';
const event = (name: string, extra: Record<string, unknown> = {}) => ({ event: name, at: '2026-11-23T13:00:00.000Z', ...extra });
const promoted = { eventId: 7, signupId: 42, people: 2, title: { zh: '高血压咨询', en: 'Blood pressure consultation' }, startsAt: '2026-11-25T02:00:00.000Z', place: { zh: '客厅健康角', en: 'Lounge health corner' } };

const load = (node: Record<string, unknown>) => loadInNode(rig, palette.eventIn, { type: 'tongxin event in', ...node });

async function publishAll() {
  await rig.svc.publish('event/signup.created', event('signup.created', { eventId: 7, signupId: 41, status: 'confirmed', people: 1 }));
  await rig.svc.publish('event/concern.created', event('concern.created', { ref: 'C-12' }));
  await rig.svc.publish('event/pickup.recorded', event('pickup.recorded', { binId: 'p1-wet' }));
  await rig.svc.publish('event/dropoff.out-of-window', event('dropoff.out-of-window', { binId: 'p1-wet' }));
  await rig.svc.publish('event/signup.promoted', event('signup.promoted', promoted));
  await rig.svc.publish('private/signup.promoted', event('signup.promoted', { ...promoted, phone: PHONE }));
  await rig.svc.publish('event/summary.daily', event('summary.daily', { date: '2026-11-23', visitors: 80, signups: 5, binsEmptied: 6, openConcerns: 2 }));
}

describe('tongxin event in', () => {
  it('passes on the events matching its patterns, public copies only without "include private"', async () => {
    const { out } = await load({ events: 'signup.*, pickup.*', includePrivate: false });
    await publishAll();
    await eventually('three events', () => out.length >= 3);
    await sleep(150);
    expect(out.map((m) => [m.event, m.private])).toEqual([
      ['signup.created', false],
      ['pickup.recorded', false],
      ['signup.promoted', false],
    ]);
    expect(JSON.stringify(out)).not.toContain(PHONE);
    expect(out[0]).toMatchObject({ topic: 'tongxin/test-site/event/signup.created', payload: { event: 'signup.created', signupId: 41 } });
  });

  it('with "include private", takes signup.promoted from private/ instead (once), and keeps the phone out of its status', async () => {
    const { out, seen } = await load({ events: 'signup.promoted', includePrivate: true });
    await publishAll();
    await eventually('the promotion', () => out.length >= 1);
    await sleep(150);
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ topic: 'tongxin/test-site/private/signup.promoted', event: 'signup.promoted', private: true, payload: { phone: PHONE, signupId: 42 } });
    expect(JSON.stringify(seen.status)).not.toContain(PHONE);
    expect(seen.status.at(-1)?.text).toContain('signup.promoted');
  });

  it('takes exact names and * patterns; an empty list is everything', async () => {
    const exact = await load({ events: 'summary.daily' });
    await publishAll();
    await eventually('the summary', () => exact.out.length >= 1);
    await sleep(100);
    expect(exact.out.map((m) => m.event)).toEqual(['summary.daily']);
    await helper.unload();

    const all = await load({ events: '' });
    await publishAll();
    await eventually('all public events', () => all.out.length >= 6);
    await sleep(100);
    expect(all.out.map((m) => m.event)).toEqual(['signup.created', 'concern.created', 'pickup.recorded', 'dropoff.out-of-window', 'signup.promoted', 'summary.daily']);
  });

  it('counts and warns about a payload that is not a JSON object, without its content', async () => {
    const { out, seen } = await load({ events: '*', includePrivate: true });
    await rig.svc.publish('private/signup.promoted', `{"phone":"${PHONE}"`);
    await rig.svc.publish('event/concern.created', '"just a string"');
    await rig.svc.publish('event/concern.created', event('concern.created'));
    await eventually('the good event', () => out.length >= 1);
    await eventually('counted', () => seen.status.some((s) => s.text?.includes('tongxin-event-in.status.bad')));
    expect(seen.warn[0]).toBe('event signup.promoted: invalid JSON (1 bad so far)');
    expect(JSON.stringify([seen.warn, seen.status])).not.toContain(PHONE);
  });
});
