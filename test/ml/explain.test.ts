import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainScore, scoreHashes, strongest } from '../../src/ml/explain.js';
import { fnv1a } from '../../src/ml/hash.js';
import type { LoadedHashedModel } from '../../src/ml/model-file.js';

/** What the selection replaces: a stable sort of every positive contribution, cut to N. */
function sortedTop(contributions: number[], topN: number): number[] {
  return contributions
    .map((c, i) => ({ c, i }))
    .filter((x) => x.c > 0)
    .sort((a, b) => b.c - a.c)
    .slice(0, topN)
    .map((x) => x.i);
}

describe('strongest', () => {
  it('picks what a stable sort would, ties in the order given', () => {
    // Few distinct values, so ties are common; zeros, negatives and NaN must never be picked.
    const value = fc.constantFrom(-1, 0, 0.5, 1, 2, 3, Number.NaN);
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), fc.integer({ min: 0, max: 12 }), (cs, n) => {
        expect(strongest(cs, n)).toEqual(sortedTop(cs, n));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('scoreHashes', () => {
  it('gives explainScore’s probability to the last bit', () => {
    const weights = new Float64Array(64).map((_, i) => Math.sin(i * 7.1) * 3);
    const model = { bias: -0.7, weights } as unknown as LoadedHashedModel;
    const names = ['w:click', 'w:here', 'b:click here', 's:urgent', 'w:numtoken'];
    const value = 1 / Math.sqrt(names.length);
    const plain = explainScore(
      model,
      names,
      (f) => f,
      () => value,
      3,
    );
    const hashed = scoreHashes(model, names.map(fnv1a), value);
    expect(hashed.probability).toBe(plain.probability);
    expect(strongest(hashed.contributions, 3).map((i) => names[i])).toEqual(plain.top.map((t) => t.feature));
  });
});
