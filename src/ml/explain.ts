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
  const contributions: Contribution<F>[] = [];
  for (const f of features) {
    const c = model.weights[bucket(nameOf(f), dim)] * valueOfFeature(f);
    z += c;
    if (c > 0) contributions.push({ feature: f, contribution: c });
  }
  contributions.sort((a, b) => b.contribution - a.contribution);
  return { probability: sigmoid(z), top: contributions.slice(0, topN) };
}
