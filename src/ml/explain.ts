// Scores a feature list with a hashed model and names the features that pushed the score up most,
// which is what the engines show as evidence.

import { bucket } from './hash.js';
import { sigmoid } from './logistic.js';
import type { LoadedHashedModel } from './model-file.js';

export interface Contribution<F> {
  feature: F;
  /** weight × value: how much it moved the log-odds towards "scam". */
  contribution: number;
}

export interface Explained<F> {
  probability: number;
  /** Features with a positive contribution, strongest first. */
  top: Contribution<F>[];
}

/** Scores `features` (each with a hashed name and a value) and returns the `topN` strongest reasons. */
export function explainScore<F>(
  model: LoadedHashedModel,
  features: F[],
  nameOf: (f: F) => string,
  valueOfFeature: (f: F) => number,
  topN: number,
): Explained<F> {
  const dim = model.weights.length;
  let z = model.bias;
  const contributions = new Float64Array(features.length);
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    const c = model.weights[bucket(nameOf(f), dim)] * valueOfFeature(f);
    z += c;
    contributions[i] = c;
  }
  const top = strongest(contributions, topN).map((i) => ({
    feature: features[i],
    contribution: contributions[i],
  }));
  return { probability: sigmoid(z), top };
}

export interface HashedScore {
  probability: number;
  /** weight × value of each feature, in the order given. */
  contributions: Float64Array;
}

/**
 * Scores features given as FNV-1a hashes of their names (see hash.ts), all with the same value. The
 * same sums in the same order as explainScore, so the same probability to the last bit; the reasons
 * are picked afterwards with `strongest`, only when they will be shown.
 */
export function scoreHashes(model: LoadedHashedModel, hashes: ArrayLike<number>, value: number): HashedScore {
  const mask = model.weights.length - 1;
  let z = model.bias;
  const contributions = new Float64Array(hashes.length);
  for (let i = 0; i < hashes.length; i++) {
    const c = model.weights[hashes[i] & mask] * value;
    z += c;
    contributions[i] = c;
  }
  return { probability: sigmoid(z), contributions };
}

/**
 * Indices of the `topN` largest positive contributions, largest first, ties in the order given (what
 * a stable sort of all of them would keep). A partial selection: a message has thousands of features
 * and only a handful are shown.
 */
export function strongest(contributions: ArrayLike<number>, topN: number): number[] {
  const picked: number[] = [];
  if (topN <= 0) return picked;
  for (let i = 0; i < contributions.length; i++) {
    const c = contributions[i];
    if (!(c > 0)) continue;
    if (picked.length === topN && c <= contributions[picked[topN - 1]]) continue;
    let at = picked.length;
    while (at > 0 && contributions[picked[at - 1]] < c) at--;
    picked.splice(at, 0, i);
    if (picked.length > topN) picked.pop();
  }
  return picked;
}
