import { describe, expect, it } from 'vitest';
import { createBus } from '../../../src/core/bus.js';
import { memoryLogger } from '../../helpers/app.js';

interface Events {
  thingHappened: { n: number };
  otherHappened: string;
}

describe('event bus', () => {
  it('delivers typed payloads to every listener in order', () => {
    const bus = createBus<Events>(memoryLogger().log);
    const seen: string[] = [];
    bus.on('a', 'thingHappened', (p) => seen.push(`a${p.n}`));
    bus.on('b', 'thingHappened', (p) => seen.push(`b${p.n}`));
    bus.emit('thingHappened', { n: 1 });
    expect(seen).toEqual(['a1', 'b1']);
  });

  it('a failing listener is logged as owner/event and never breaks the emitter or the others', () => {
    const { log, lines } = memoryLogger();
    const bus = createBus<Events>(log);
    const seen: number[] = [];
    bus.on('broken', 'thingHappened', () => {
      throw new Error('boom');
    });
    bus.on('fine', 'thingHappened', (p) => seen.push(p.n));
    expect(() => bus.emit('thingHappened', { n: 7 })).not.toThrow();
    expect(seen).toEqual([7]);
    expect(lines.some((l) => l.includes('"listener":"broken/thingHappened"') && l.includes('boom'))).toBe(true);
  });

  it('removeOwner drops all of one owner’s listeners and keeps the rest', () => {
    const bus = createBus<Events>(memoryLogger().log);
    const seen: string[] = [];
    bus.on('m1', 'thingHappened', () => seen.push('m1'));
    bus.on('m1', 'otherHappened', () => seen.push('m1-other'));
    bus.on('m2', 'thingHappened', () => seen.push('m2'));
    bus.removeOwner('m1');
    bus.emit('thingHappened', { n: 0 });
    bus.emit('otherHappened', 'x');
    expect(seen).toEqual(['m2']);
    expect(bus.listenerCount('otherHappened')).toBe(0);
  });
});
