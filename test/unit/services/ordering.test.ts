import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { permutationProblem } from '../../../src/services/ordering.js';

describe('permutationProblem', () => {
  it.each([
    { current: [], proposed: [], problem: undefined },
    { current: [3, 1, 2], proposed: [1, 2, 3], problem: undefined },
    { current: [3, 1, 2], proposed: [1, 2], problem: 'missing: 3' },
    { current: [3, 1, 2], proposed: [1, 2, 3, 3], problem: 'listed more than once: 3' },
    { current: [3, 1, 2], proposed: [1, 2, 9], problem: 'not in this list: 9; missing: 3' },
    { current: [1], proposed: [], problem: 'missing: 1' },
    { current: [], proposed: [1], problem: 'not in this list: 1' },
  ])('$current ← $proposed', ({ current, proposed, problem }) => {
    const got = permutationProblem(current, proposed);
    if (problem === undefined) expect(got).toBeUndefined();
    else expect(got).toContain(problem);
  });

  it('keeps the message short when thousands of ids are wrong', () => {
    const got = permutationProblem([], Array.from({ length: 5000 }, (_, i) => i + 1)) ?? '';
    expect(got.length).toBeLessThan(200);
    expect(got).toContain('(5000)');
  });

  const ids = fc.uniqueArray(fc.integer({ min: 1, max: 10_000 }), { maxLength: 30 });
  it('accepts every shuffle of the list', () => {
    fc.assert(
      fc.property(ids, fc.infiniteStream(fc.nat()), (current, randoms) => {
        const shuffled = [...current];
        for (let i = shuffled.length - 1; i > 0; i--) {
          const j = randoms.next().value % (i + 1);
          [shuffled[i], shuffled[j]] = [shuffled[j] as number, shuffled[i] as number];
        }
        expect(permutationProblem(current, shuffled)).toBeUndefined();
      }),
    );
  });

  it('refuses anything that is not a permutation', () => {
    fc.assert(
      fc.property(ids, fc.array(fc.integer({ min: 1, max: 10_000 }), { maxLength: 30 }), (current, proposed) => {
        const isPermutation = proposed.length === current.length && new Set(proposed).size === proposed.length && proposed.every((id) => current.includes(id));
        expect(permutationProblem(current, proposed) === undefined).toBe(isPermutation);
      }),
    );
  });
});
