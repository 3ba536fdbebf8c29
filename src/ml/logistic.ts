// Logistic regression with L2 regularisation over sparse feature vectors, trained by AdaGrad SGD with a
// seeded shuffle: the same data and options always give the same weights.

import { seededRandom, shuffleInPlace } from './rng.js';

/** A sparse feature vector: parallel arrays of bucket indices and values. */
export interface SparseVector {
  index: number[];
  value: number[];
}

export interface LogisticModel {
  bias: number;
  weights: Float64Array;
}

export interface TrainOptions {
  /** Number of weights (feature buckets). */
  dim: number;
  /** L2 strength per update of a feature. */
  l2?: number;
  epochs?: number;
  learningRate?: number;
  seed?: number;
  /** Weigh the classes so each counts as much in total (the corpora are imbalanced). */
  balanceClasses?: boolean;
  /** Per-example weights (e.g. to count a class at half weight); default 1. */
  sampleWeights?: number[];
  /**
   * Keep every weight ≥ 0 (projected gradient). For the verdict: a finding is evidence of a scam, and a
   * negative weight would let a sender lower the score by provoking a finding.
   */
  nonNegative?: boolean;
  /**
   * Per-example amount added to the logit and not fitted (an offset): another model's log-odds that
   * enter with a fixed coefficient while the weights are fitted around them.
   */
  offsets?: number[];
  /** Called after each epoch with the mean training log-loss, for progress output. */
  onEpoch?: (epoch: number, loss: number) => void;
}

/** Upper bound on epochs, so a typo in an option cannot make training run for hours. */
const MAX_EPOCHS = 1000;
/** Keeps exp() finite for hostile inputs. */
const LOGIT_CLAMP = 35;

export function sigmoid(z: number): number {
  const c = Math.max(-LOGIT_CLAMP, Math.min(LOGIT_CLAMP, z));
  return 1 / (1 + Math.exp(-c));
}

export function logit(model: { bias: number; weights: ArrayLike<number> }, x: SparseVector): number {
  let z = model.bias;
  for (let k = 0; k < x.index.length; k++) z += (model.weights[x.index[k]] ?? 0) * x.value[k];
  return z;
}

export function predict(model: { bias: number; weights: ArrayLike<number> }, x: SparseVector): number {
  return sigmoid(logit(model, x));
}

function positiveInteger(v: number | undefined, fallback: number, name: string, max: number): number {
  const n = v ?? fallback;
  if (!Number.isInteger(n) || n < 1 || n > max) throw new Error(`${name} must be an integer in 1..${max}`);
  return n;
}

export function trainLogistic(xs: SparseVector[], ys: number[], options: TrainOptions): LogisticModel {
  if (xs.length !== ys.length) throw new Error('features and labels differ in length');
  if (options.sampleWeights && options.sampleWeights.length !== xs.length) {
    throw new Error('sampleWeights and labels differ in length');
  }
  if (options.offsets && options.offsets.length !== xs.length) {
    throw new Error('offsets and labels differ in length');
  }
  if (xs.length === 0) throw new Error('no training examples');
  const dim = positiveInteger(options.dim, 0, 'dim', 1 << 24);
  const epochs = positiveInteger(options.epochs, 10, 'epochs', MAX_EPOCHS);
  const l2 = options.l2 ?? 1e-4;
  const lr = options.learningRate ?? 0.1;
  if (!(l2 >= 0) || !(lr > 0)) throw new Error('l2 must be ≥ 0 and learningRate > 0');

  const nPos = ys.filter((y) => y === 1).length;
  const nNeg = ys.length - nPos;
  const wPos = options.balanceClasses && nPos > 0 ? ys.length / (2 * nPos) : 1;
  const wNeg = options.balanceClasses && nNeg > 0 ? ys.length / (2 * nNeg) : 1;

  const weights = new Float64Array(dim);
  const g2 = new Float64Array(dim).fill(1e-8);
  let bias = 0;
  let biasG2 = 1e-8;
  const order = xs.map((_, i) => i);
  const random = seededRandom(options.seed ?? 1);

  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffleInPlace(order, random);
    let loss = 0;
    for (const i of order) {
      const x = xs[i];
      const y = ys[i];
      const p = sigmoid(logit({ bias, weights }, x) + (options.offsets?.[i] ?? 0));
      const sw = (y === 1 ? wPos : wNeg) * (options.sampleWeights?.[i] ?? 1);
      loss -= sw * (y === 1 ? Math.log(Math.max(p, 1e-12)) : Math.log(Math.max(1 - p, 1e-12)));
      const err = sw * (p - y);
      for (let k = 0; k < x.index.length; k++) {
        const j = x.index[k];
        const g = err * x.value[k] + l2 * weights[j];
        g2[j] += g * g;
        weights[j] -= (lr * g) / Math.sqrt(g2[j]);
        if (options.nonNegative && weights[j] < 0) weights[j] = 0;
      }
      biasG2 += err * err;
      bias -= (lr * err) / Math.sqrt(biasG2);
    }
    options.onEpoch?.(epoch + 1, loss / xs.length);
  }
  return { bias, weights };
}
