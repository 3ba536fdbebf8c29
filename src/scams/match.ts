// Lookup: LSH candidates from the store, verified by their estimated and (when the stored text is
// whole) exact Jaccard similarity with the message.

import type { Fingerprint } from './fingerprint.js';
import { estimateJaccard, jaccard, shingles } from './minhash.js';
import { splitNormalised } from './normalise.js';
import type { ScamEntry, ScamStore } from './store.js';

/** Below this nothing is reported at all: two unrelated notices share more than a few stock phrases. */
export const MIN_REPORTED_SIMILARITY = 0.3;
/**
 * The estimate is within ±0.09 of the truth 95% of the time (128 hashes); candidates that might
 * reach the threshold once measured exactly are kept, the rest skip the exact check.
 */
const ESTIMATE_MARGIN = 0.1;

export interface ScamMatch {
  scam: ScamEntry;
  /** Jaccard similarity of the shingle sets: exact when the stored text is whole, else estimated. */
  similarity: number;
  /** The MinHash estimate. */
  estimated: number;
  exact: boolean;
  /** LSH bands shared with the message. */
  bands: number;
}

export interface FindOptions {
  minSimilarity?: number;
  limit?: number;
}

/** Jaccard similarity of the fingerprint with one stored scam: exact when its stored text is whole. */
export function similarityWith(
  store: ScamStore,
  fp: Fingerprint,
  scam: ScamEntry,
): { similarity: number; exact: boolean } {
  if (scam.complete)
    return { similarity: jaccard(fp.shingles, shingles(splitNormalised(scam.excerpt))), exact: true };
  const sig = store.signature(scam.id);
  return { similarity: sig ? estimateJaccard(fp.signature, sig) : 0, exact: false };
}

/**
 * Candidates measured exactly per lookup, best estimates first. A message with hundreds of stored
 * near copies (a campaign indexed many times over) would otherwise cost hundreds of exact checks.
 */
export const MAX_EXACT_CHECKS = 12;

/** The stored scams most similar to the fingerprint, best first. */
export function findMatches(store: ScamStore, fp: Fingerprint, options: FindOptions = {}): ScamMatch[] {
  const min = options.minSimilarity ?? MIN_REPORTED_SIMILARITY;
  const limit = options.limit ?? 3;
  if (!fp.usable) return [];
  const estimates: { id: number; bands: number; estimated: number }[] = [];
  for (const cand of store.candidates(fp.signature)) {
    const sig = store.signature(cand.id);
    if (!sig) continue;
    const estimated = estimateJaccard(fp.signature, sig);
    if (estimated >= min - ESTIMATE_MARGIN) estimates.push({ ...cand, estimated });
  }
  estimates.sort((a, b) => b.estimated - a.estimated || a.id - b.id);
  const matches: ScamMatch[] = [];
  for (const e of estimates.slice(0, Math.max(limit, MAX_EXACT_CHECKS))) {
    const scam = store.get(e.id);
    if (!scam) continue;
    const { similarity, exact } = similarityWith(store, fp, scam);
    if (similarity >= min) matches.push({ scam, similarity, estimated: e.estimated, exact, bands: e.bands });
  }
  matches.sort((a, b) => b.similarity - a.similarity || a.scam.id - b.scam.id);
  return matches.slice(0, limit);
}
