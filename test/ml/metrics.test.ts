import { describe, expect, it } from 'vitest';
import { metricsAt, recallAtFpr, rocAuc, thresholdAtFpr } from '../../src/ml/metrics.js';

describe('metrics', () => {
  it('computes precision, recall, F1 and FPR at a threshold', () => {
    const m = metricsAt([0.9, 0.8, 0.3, 0.7, 0.1, 0.2], [1, 1, 1, 0, 0, 0], 0.5);
    expect(m).toMatchObject({ tp: 2, fn: 1, fp: 1, tn: 2 });
    expect(m.precision).toBeCloseTo(2 / 3);
    expect(m.recall).toBeCloseTo(2 / 3);
    expect(m.f1).toBeCloseTo(2 / 3);
    expect(m.fpr).toBeCloseTo(1 / 3);
  });

  it('ROC AUC: 1 when ranked perfectly, 0.5 for ties, Mann–Whitney in between', () => {
    expect(rocAuc([0.9, 0.8, 0.1, 0.2], [1, 1, 0, 0])).toBe(1);
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 1, 0, 0])).toBe(0.5);
    // One positive below one negative out of 4 pairs.
    expect(rocAuc([0.9, 0.3, 0.4, 0.1], [1, 1, 0, 0])).toBe(0.75);
    expect(rocAuc([0.1, 0.2], [1, 1])).toBeNaN();
  });

  it('sets the threshold so that the false-positive rate stays at or under the target', () => {
    const neg = Array.from({ length: 1000 }, (_, i) => i / 1000);
    const pos = [0.9995, 0.9985, 0.5];
    const scores = [...neg, ...pos];
    const labels = [...neg.map(() => 0), ...pos.map(() => 1)];
    const t = thresholdAtFpr(scores, labels, 0.001);
    expect(metricsAt(scores, labels, t).fpr).toBeLessThanOrEqual(0.001);
    expect(metricsAt(scores, labels, t).fp).toBe(1);
    expect(recallAtFpr(scores, labels, 0.001)).toBeCloseTo(2 / 3);
    // At 0% FPR only the positive above the highest negative (0.999) counts.
    expect(recallAtFpr(scores, labels, 0)).toBeCloseTo(1 / 3);
  });

  it('is undefined, not perfect, when a class is missing', () => {
    expect(recallAtFpr([0.9, 0.8], [1, 1], 0.01)).toBeNaN();
    expect(recallAtFpr([0.9, 0.8], [0, 0], 0.01)).toBeNaN();
  });

  it('does not let tied negatives slip under the threshold', () => {
    const scores = [0.7, 0.7, 0.7, 0.9];
    const labels = [0, 0, 0, 1];
    const t = thresholdAtFpr(scores, labels, 0.34);
    expect(metricsAt(scores, labels, t).fp).toBe(0);
  });
});
