// Engine 'scam-match': is this message a near copy of a known scam "doing the rounds"? MinHash/LSH
// lookup of the message's normalised text in the known-scam store (src/scams/). The evidence names
// the scam, how similar the two texts are and when the scam was first seen, and carries the scam's
// normalised text so the report can show the two side by side.

import type { Database } from 'better-sqlite3';
import { fingerprintText } from '../scams/fingerprint.js';
import { findMatches, type ScamMatch } from '../scams/match.js';
import { messageText, recipientWords } from '../scams/message-text.js';
import { SCHEME } from '../scams/minhash.js';
import { ensureSeed, seedOnlyStore } from '../scams/seed.js';
import { ScamStore } from '../scams/store.js';
import type { Engine, EngineContext, EngineOutcome, Finding, Target } from '../types.js';

/**
 * Similarity (Jaccard of word-3-gram shingles) from which the message is called a copy of the scam:
 * most of its sentences are the scam's. On ../shared/corpus (bench/RESULTS-scams.md) no ham message
 * came closer than 0.16 to any of 2,300 stored phishing messages.
 */
export const MALICIOUS_SIMILARITY = 0.6;
/**
 * From here on the message shares long passages with a known scam: worth a warning, not a verdict.
 * It sits where the LSH index (32 bands × 4 rows) finds a pair half the time or more, and far above
 * the 0.16 that unrelated ham reached; a real notice that a phish copied word for word can still
 * land here, which is why this alone is "suspicious".
 */
export const SUSPICIOUS_SIMILARITY = 0.4;
/** Scam text carried in the evidence for the side-by-side view; the store keeps more. */
const MAX_EVIDENCE_EXCERPT_CHARS = 3_000;

export interface ScamMatchOptions {
  /** Load the shipped seed corpus into the store (and use it when no store is open). Default true. */
  seed?: boolean;
}

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

function findingOf(target: Target, best: ScamMatch, others: ScamMatch[], malicious: boolean): Finding {
  const { scam } = best;
  const seen = scam.firstSeen ? `, first seen ${scam.firstSeen}` : '';
  return {
    code: 'scam.known_match',
    engine: 'scam-match',
    targetId: target.id,
    severity: malicious ? 'high' : 'medium',
    strength: best.similarity,
    message: `The text is ${percent(best.similarity)} the same as a known scam, "${scam.title}"${seen}.`,
    evidence: {
      scamId: scam.id,
      title: scam.title,
      similarity: Math.round(best.similarity * 1000) / 1000,
      similarityKind: best.exact ? 'exact' : 'estimated',
      estimatedSimilarity: Math.round(best.estimated * 1000) / 1000,
      firstSeen: scam.firstSeen ?? null,
      source: scam.source,
      scamExcerpt: scam.excerpt.slice(0, MAX_EVIDENCE_EXCERPT_CHARS),
      otherMatches: others.map((m) => ({
        scamId: m.scam.id,
        title: m.scam.title,
        similarity: Math.round(m.similarity * 1000) / 1000,
        firstSeen: m.scam.firstSeen ?? null,
      })),
    },
  };
}

export function createScamMatchEngine(options: ScamMatchOptions = {}): Engine {
  const useSeed = options.seed ?? true;
  const stores = new WeakMap<Database, ScamStore>();

  function storeFor(ctx: EngineContext): ScamStore | undefined {
    if (!ctx.db) return useSeed ? seedOnlyStore() : undefined;
    let store = stores.get(ctx.db);
    if (!store) {
      store = new ScamStore(ctx.db);
      if (useSeed) ensureSeed(store);
      stores.set(ctx.db, store);
    }
    return store;
  }

  return {
    name: 'scam-match',
    version: '1.0.0',
    kind: 'local',
    targets: ['message'],
    dataVersion(ctx) {
      const store = storeFor(ctx);
      if (!store) return undefined;
      return `${SCHEME};last=${store.lastId()};seed=${store.getMeta('seed_version') ?? 'none'}`;
    },
    applies: (target) => target.kind === 'message',
    analyse(target, ctx): EngineOutcome {
      if (target.kind !== 'message') return { status: 'skipped', findings: [] };
      const store = storeFor(ctx);
      if (!store?.hasAny()) {
        return { status: 'unknown', findings: [], note: 'no known-scam corpus is loaded' };
      }
      if (!store.compatible()) {
        return {
          status: 'unknown',
          findings: [],
          note: `the known-scam index was built with another scheme (expected ${SCHEME}); rebuild it`,
        };
      }
      const fp = fingerprintText(messageText(target.message), {
        recipientWords: recipientWords(target.message),
      });
      if (!fp.usable) {
        return { status: 'unknown', findings: [], note: 'too little text to compare with known scams' };
      }
      const [best, ...others] = findMatches(store, fp, { minSimilarity: SUSPICIOUS_SIMILARITY, limit: 4 });
      if (!best) return { status: 'clean', findings: [], note: 'no known scam is similar' };
      const malicious = best.similarity >= MALICIOUS_SIMILARITY;
      return {
        status: malicious ? 'malicious' : 'suspicious',
        findings: [findingOf(target, best, others, malicious)],
      };
    },
  };
}

/** The engine as registered in the panel: the open store plus the shipped seed. */
export const scamMatchEngine: Engine = createScamMatchEngine();
