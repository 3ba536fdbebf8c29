import { describe, expect, it } from 'vitest';
import {
  bandKeys,
  estimateJaccard,
  jaccard,
  LSH_BANDS,
  NUM_HASHES,
  SCHEME,
  shingles,
  signature,
  signatureFromBuffer,
  signatureToBuffer,
} from '../../src/scams/minhash.js';
import { splitNormalised } from '../../src/scams/normalise.js';
import { readSeed } from '../../src/scams/seed.js';

/** Deterministic pseudo-random words, so the test data is the same on every run. */
function words(count: number, seed: number): string[] {
  let s = seed >>> 0;
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.push(`w${s % 5000}`);
  }
  return out;
}

describe('minhash', () => {
  it('gives the same signature for the same shingles, whatever their order', () => {
    const sh = shingles(words(100, 1));
    const reversed = Uint32Array.from([...sh].reverse());
    expect([...signature(reversed)]).toEqual([...signature(sh)]);
    expect(signature(sh)).toHaveLength(NUM_HASHES);
  });

  it('estimates the Jaccard similarity within a few hundredths', () => {
    const base = words(300, 7);
    for (const changed of [10, 40, 90, 150]) {
      const edited = [...base];
      const noise = words(changed, 99 + changed);
      for (let i = 0; i < changed; i++) edited[(i * 37) % edited.length] = noise[i];
      const a = shingles(base);
      const b = shingles(edited);
      const exact = jaccard(a, b);
      expect(Math.abs(estimateJaccard(signature(a), signature(b)) - exact)).toBeLessThan(0.15);
    }
  });

  it('makes 53-bit integer band keys, equal for equal bands only', () => {
    const sig = signature(shingles(words(50, 3)));
    const keys = bandKeys(sig);
    expect(keys).toHaveLength(LSH_BANDS);
    for (const k of keys) expect(Number.isSafeInteger(k) && k >= 0).toBe(true);
    const other = Uint32Array.from(sig);
    other[0] ^= 1; // changes band 0 only
    const otherKeys = bandKeys(other);
    expect(otherKeys[0]).not.toBe(keys[0]);
    expect(otherKeys.slice(1)).toEqual(keys.slice(1));
    expect(new Set(keys).size).toBe(LSH_BANDS);
  });

  it('round-trips signatures through their stored form and rejects a bad length', () => {
    const sig = signature(shingles(words(60, 5)));
    expect([...signatureFromBuffer(signatureToBuffer(sig))]).toEqual([...sig]);
    expect(() => signatureFromBuffer(new Uint8Array(10))).toThrow(/bad scam signature/);
  });

  it('computes exact Jaccard', () => {
    expect(jaccard(Uint32Array.of(1, 2, 3), Uint32Array.of(2, 3, 4))).toBeCloseTo(0.5);
    expect(jaccard(new Uint32Array(), new Uint32Array())).toBe(0);
  });
});

describe('signature values are stable', () => {
  it('recomputes the signatures stored in the shipped seed, bit for bit', () => {
    // The seed was written by an earlier build: a faster hashing loop must keep every value.
    const seed = readSeed();
    expect(seed.scheme).toBe(SCHEME);
    expect(seed.scams.length).toBeGreaterThan(10);
    for (const s of seed.scams) {
      const sig = signature(shingles(splitNormalised(s.normalised)));
      expect(signatureToBuffer(sig).toString('base64')).toBe(s.signature);
    }
  });
});
