import { describe, expect, it } from 'vitest';
import { createDedupe, createScopedDedupe } from '../../../src/uplink/dedupe.js';
import { encodeForwarded } from '../../../src/uplink/envelope.js';

describe('uplink dedupe (central consumer side)', () => {
  it('passes each id once and counts the duplicates', () => {
    const d = createDedupe();
    expect(['a-1', 'a-2', 'a-1', 'a-3', 'a-2', 'b-1'].map((id) => d.firstTime(id))).toEqual([true, true, false, true, false, true]);
    expect(d.duplicates).toBe(2);
    expect(d.size).toBe(4);
  });

  it('forgets the least recently added ids beyond its size', () => {
    const d = createDedupe({ maxIds: 3 });
    for (const id of ['1', '2', '3', '4']) expect(d.firstTime(id)).toBe(true);
    expect(d.size).toBe(3);
    expect(d.firstTime('1')).toBe(true); // forgotten: seen as new
    expect(d.firstTime('4')).toBe(false);
  });

  it('forgets ids older than its window', () => {
    let t = 0;
    const d = createDedupe({ windowMs: 1000, now: () => t });
    expect(d.firstTime('x')).toBe(true);
    t = 999;
    expect(d.firstTime('x')).toBe(false);
    t = 1000;
    expect(d.firstTime('x')).toBe(true);
    t = 1500;
    expect(d.firstTime('y')).toBe(true);
    t = 2100;
    d.firstTime('z');
    expect(d.size).toBe(2); // x went with its window; y and z remain
  });

  it('accepts forwarded packets of either protocol and drops their re-sends', () => {
    const d = createDedupe();
    const m = { id: 'boot-7', queuedAt: 1, payload: Buffer.from('{"a":1}') };
    const v5 = encodeForwarded('mqtt5', m);
    const v311 = encodeForwarded('mqtt3.1.1', { ...m, id: 'boot-8' });
    expect(d.accept(v5.payload, v5.properties)).toEqual({ duplicate: false, message: m });
    expect(d.accept(v5.payload, v5.properties)).toEqual({ duplicate: true, id: 'boot-7' });
    expect(d.accept(v311.payload)).toMatchObject({ duplicate: false, message: { id: 'boot-8' } });
    expect(d.accept(v311.payload)).toEqual({ duplicate: true, id: 'boot-8' });
    expect(d.accept(Buffer.from('plain'))).toBeUndefined();
  });
});

describe('uplink dedupe per site', () => {
  it('keeps an idle site’s ids however much the other sites send meanwhile', () => {
    const d = createScopedDedupe({ maxIdsPerScope: 100 });
    const msg = (id: string) => encodeForwarded('mqtt5', { id, queuedAt: 0, payload: Buffer.from('x') });
    const send = (site: string, id: string) => {
      const m = msg(id);
      return d.accept(site, m.payload, m.properties)?.duplicate;
    };
    expect(send('a', 'a-1')).toBe(false);
    for (let i = 0; i < 1000; i++) expect(send('b', `b-${i}`)).toBe(false);
    expect(send('a', 'a-1')).toBe(true); // site a reconnects and re-sends: still caught
    expect(send('b', 'b-0')).toBe(false); // site b's own set holds only its last 100
    expect(d.duplicates).toBe(1);
  });
});
