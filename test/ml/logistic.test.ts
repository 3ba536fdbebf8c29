import { describe, expect, it } from 'vitest';
import { predict, type SparseVector, sigmoid, trainLogistic } from '../../src/ml/logistic.js';
import { seededRandom } from '../../src/ml/rng.js';

/** Feature 0 marks positives 90% of the time, feature 1 negatives; feature 2 is noise. */
function synthetic(n: number, seed: number) {
  const r = seededRandom(seed);
  const xs: SparseVector[] = [];
  const ys: number[] = [];
  for (let i = 0; i < n; i++) {
    const y = r() < 0.3 ? 1 : 0;
    const index: number[] = [];
    if ((y === 1) === r() < 0.9) index.push(0);
    if ((y === 0) === r() < 0.9) index.push(1);
    if (r() < 0.5) index.push(2);
    xs.push({ index, value: index.map(() => 1) });
    ys.push(y);
  }
  return { xs, ys };
}

describe('trainLogistic', () => {
  it('learns which feature marks the positive class', () => {
    const { xs, ys } = synthetic(2000, 7);
    const m = trainLogistic(xs, ys, { dim: 4, epochs: 10, seed: 1 });
    expect(m.weights[0]).toBeGreaterThan(1);
    expect(m.weights[1]).toBeLessThan(-1);
    expect(Math.abs(m.weights[2])).toBeLessThan(0.5);
    expect(predict(m, { index: [0], value: [1] })).toBeGreaterThan(0.5);
    expect(predict(m, { index: [1], value: [1] })).toBeLessThan(0.5);
  });

  it('is reproducible with the same seed and differs with another', () => {
    const { xs, ys } = synthetic(500, 3);
    const a = trainLogistic(xs, ys, { dim: 4, epochs: 3, seed: 42 });
    const b = trainLogistic(xs, ys, { dim: 4, epochs: 3, seed: 42 });
    const c = trainLogistic(xs, ys, { dim: 4, epochs: 3, seed: 43 });
    expect([...a.weights]).toEqual([...b.weights]);
    expect(a.bias).toBe(b.bias);
    expect([...a.weights]).not.toEqual([...c.weights]);
  });

  it('keeps weights non-negative when asked', () => {
    const { xs, ys } = synthetic(1000, 5);
    const m = trainLogistic(xs, ys, { dim: 4, epochs: 5, seed: 1, nonNegative: true });
    expect(Math.min(...m.weights)).toBeGreaterThanOrEqual(0);
    expect(m.weights[0]).toBeGreaterThan(1);
  });

  it('fits around a fixed offset: a feature that only repeats the offset gets no weight', () => {
    // The offset already says everything feature 0 says; feature 0 alone would earn a large weight.
    const { xs, ys } = synthetic(2000, 9);
    const offsets = xs.map((x) => (x.index.includes(0) ? 3 : -3));
    const without = trainLogistic(xs, ys, { dim: 4, epochs: 10, seed: 1 });
    const withOffset = trainLogistic(xs, ys, { dim: 4, epochs: 10, seed: 1, offsets });
    expect(without.weights[0]).toBeGreaterThan(1);
    expect(withOffset.weights[0]).toBeLessThan(without.weights[0] - 1);
    expect(() => trainLogistic(xs, ys, { dim: 4, offsets: offsets.slice(1) })).toThrow(/offsets/);
  });

  it('rejects options that would disable a limit or make no sense', () => {
    const { xs, ys } = synthetic(10, 1);
    expect(() => trainLogistic(xs, ys, { dim: 4, epochs: 0 })).toThrow(/epochs/);
    expect(() => trainLogistic(xs, ys, { dim: 4, epochs: Number.NaN })).toThrow(/epochs/);
    expect(() => trainLogistic(xs, ys, { dim: 4, epochs: 1e9 })).toThrow(/epochs/);
    expect(() => trainLogistic(xs, ys.slice(1), { dim: 4 })).toThrow(/length/);
    expect(() => trainLogistic([], [], { dim: 4 })).toThrow(/no training/);
    expect(() => trainLogistic(xs, ys, { dim: 4, learningRate: -1 })).toThrow(/learningRate/);
  });

  it('sigmoid stays finite for huge logits', () => {
    expect(sigmoid(1e9)).toBeLessThanOrEqual(1);
    expect(sigmoid(-1e9)).toBeGreaterThan(0);
    expect(sigmoid(0)).toBe(0.5);
  });
});
