import { describe, expect, it } from 'vitest';
import { fromModelFile, toModelFile } from '../../src/ml/model-file.js';

describe('model files', () => {
  it('round-trips weights, dropping the negligible ones and rounding the rest', () => {
    const weights = new Float64Array(8);
    weights[1] = 0.123456;
    weights[5] = -2;
    weights[6] = 1e-6;
    const file = toModelFile(
      { bias: -0.5, weights },
      { version: 't', kind: 'url', threshold: 0.9, training: {} },
    );
    expect(file.index).toEqual([1, 5]);
    expect(file.value).toEqual([0.1235, -2]);
    const back = fromModelFile(JSON.parse(JSON.stringify(file)));
    expect(back.weights[1]).toBe(0.1235);
    expect(back.weights[6]).toBe(0);
    expect(back.bias).toBe(-0.5);
  });

  it('rejects malformed files instead of indexing out of range', () => {
    const ok = {
      version: 't',
      kind: 'url' as const,
      threshold: 0.5,
      training: {},
      dim: 8,
      bias: 0,
      index: [1],
      value: [1],
    };
    expect(() => fromModelFile({ ...ok, dim: 6 })).toThrow(/power of two/);
    expect(() => fromModelFile({ ...ok, dim: 2 ** 40 })).toThrow(/power of two/);
    expect(() => fromModelFile({ ...ok, index: [9] })).toThrow(/bad index/);
    expect(() => fromModelFile({ ...ok, index: [-1] })).toThrow(/bad index/);
    expect(() => fromModelFile({ ...ok, value: [] })).toThrow(/same length/);
  });
});
