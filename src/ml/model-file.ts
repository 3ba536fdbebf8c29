// The JSON form of a hashed-feature model (URL and text classifiers), shipped in data/model/.
// Weights are stored sparse and rounded, which keeps each file well under 2 MB.

import { readFileSync } from 'node:fs';
import type { LogisticModel } from './logistic.js';

export interface HashedModelFile {
  version: string;
  kind: 'url' | 'text';
  /** Number of hash buckets (a power of two). */
  dim: number;
  bias: number;
  /** Probability at or above which the engine calls the target suspicious. */
  threshold: number;
  /** Non-zero weights: bucket indices and values, parallel arrays. */
  index: number[];
  value: number[];
  /** How it was made: data, split, options, validation figures. */
  training: Record<string, unknown>;
}

/** Weights smaller than this change no decision; dropping them keeps the file small. */
const PRUNE_BELOW = 1e-3;
/** Decimal places kept per weight. */
const WEIGHT_DECIMALS = 4;

export function toModelFile(
  model: LogisticModel,
  meta: Omit<HashedModelFile, 'dim' | 'bias' | 'index' | 'value'>,
): HashedModelFile {
  const index: number[] = [];
  const value: number[] = [];
  const f = 10 ** WEIGHT_DECIMALS;
  model.weights.forEach((w, i) => {
    if (Math.abs(w) >= PRUNE_BELOW) {
      index.push(i);
      value.push(Math.round(w * f) / f);
    }
  });
  return { ...meta, dim: model.weights.length, bias: Math.round(model.bias * f) / f, index, value };
}

export interface LoadedHashedModel {
  file: HashedModelFile;
  bias: number;
  weights: Float64Array;
}

export function fromModelFile(file: HashedModelFile): LoadedHashedModel {
  const dim = file.dim;
  if (!Number.isInteger(dim) || dim < 1 || dim > 1 << 24 || (dim & (dim - 1)) !== 0) {
    throw new Error('model file: dim must be a power of two');
  }
  if (!Array.isArray(file.index) || !Array.isArray(file.value) || file.index.length !== file.value.length) {
    throw new Error('model file: index and value must be arrays of the same length');
  }
  const weights = new Float64Array(dim);
  for (let k = 0; k < file.index.length; k++) {
    const i = file.index[k];
    if (!Number.isInteger(i) || i < 0 || i >= dim) throw new Error(`model file: bad index ${i}`);
    weights[i] = Number(file.value[k]) || 0;
  }
  return { file, bias: Number(file.bias) || 0, weights };
}

export function loadModelFile(path: string): LoadedHashedModel {
  return fromModelFile(JSON.parse(readFileSync(path, 'utf8')) as HashedModelFile);
}
