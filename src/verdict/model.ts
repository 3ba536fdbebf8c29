// The scoring model: logistic regression over finding codes, read from data/model/weights.json.
// `suspect train` fits and rewrites that file; nothing here is tuned by hand except the fallback below.

import { readFileSync } from 'node:fs';
import type { Severity } from '../types.js';

export interface ScoringModel {
  version: string;
  /** False for the seed file: weights derived from severities until `suspect train` has run. */
  fitted: boolean;
  bias: number;
  weights: Record<string, number>;
  thresholds: { suspicious: number; dangerous: number };
  features: 'max-strength-per-code';
  /**
   * A model whose log-odds enter the score as they are (times `coefficient`, clipped to `min`..`max`),
   * read from `evidence.logit` of its finding `code`; that code's weight is not used. Signed, with a
   * small `min`: ordinary wording lowers the score a little, never enough to outvote clear evidence.
   * `dampedBy`: when a finding of that code is present, positive log-odds count `factor` times.
   */
  logitFrom?: {
    code: string;
    coefficient: number;
    min: number;
    max: number;
    dampedBy?: { code: string; factor: number };
  };
  [key: string]: unknown;
}

/** Weight of a code the model has never seen (a new engine): by its declared severity. */
export const SEVERITY_FALLBACK_WEIGHT: Record<Severity, number> = {
  info: 0,
  low: 0.6,
  medium: 1.6,
  high: 3.2,
  critical: 6,
};

export const MODEL_FILE = new URL('../../data/model/weights.json', import.meta.url);
/** Weights for a URL checked on its own (`suspect url`): fitted on labeled URLs, not on messages. */
export const URL_MODEL_FILE = new URL('../../data/model/url-weights.json', import.meta.url);

const cached = new Map<string, ScoringModel>();

export function loadScoringModel(file: URL | string = MODEL_FILE): ScoringModel {
  const key = String(file);
  const hit = cached.get(key);
  if (hit) return hit;
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as ScoringModel;
  if (typeof parsed.bias !== 'number' || typeof parsed.weights !== 'object' || !parsed.thresholds) {
    throw new Error(`scoring model ${String(file)} is malformed`);
  }
  cached.set(key, parsed);
  return parsed;
}
