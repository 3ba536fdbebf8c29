// Word shingles, MinHash signatures and LSH band keys. Everything is deterministic (fixed seeds), so a
// signature computed today matches one stored by an earlier run or shipped in data/scams/seed.json.

import { FNV_OFFSET, FNV_PRIME, fmix32, fnvSteps, hashString } from '../ml/hash.js';

/** Words per shingle. 3 keeps common two-word phrases ("your account") from linking unrelated mail. */
export const SHINGLE_WORDS = 3;
/** Hash functions per signature: the estimated Jaccard has a standard error of √(J(1−J)/128) ≤ 0.044. */
export const NUM_HASHES = 128;
/** LSH bands × rows = NUM_HASHES. 32 × 4 finds pairs with Jaccard ≥ 0.5 with probability ≥ 0.87. */
export const LSH_BANDS = 32;
export const LSH_ROWS = NUM_HASHES / LSH_BANDS;
/** Fewer shingles than this is too little text to call anything a copy of a known scam. */
export const MIN_SHINGLES = 8;
/** Version of tokenising + shingling + hashing; a stored index built with another scheme must be rebuilt. */
export const SCHEME = `minhash-v1/w${SHINGLE_WORDS}/h${NUM_HASHES}/b${LSH_BANDS}`;

export type Signature = Uint32Array;

// The string hash and its finaliser live with the other stable hashes (they are shared with the
// blocklist's Bloom filters); re-exported, as the shingling scheme is defined by them.
export { fmix32, hashString };

/** splitmix32: seeds for the hash functions, the same on every machine. */
function seeds(count: number, start: number): Uint32Array {
  const out = new Uint32Array(count);
  let state = start >>> 0;
  for (let i = 0; i < count; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    out[i] = fmix32(state);
  }
  return out;
}

const HASH_SEEDS_A = seeds(NUM_HASHES, 0x5ca45eed);
const HASH_SEEDS_B = seeds(NUM_HASHES, 0x0b5e55ed);

/** Distinct shingle hashes of a token sequence. Texts shorter than a shingle yield one shingle of all tokens. */
export function shingles(tokens: readonly string[]): Uint32Array {
  if (tokens.length > 0 && tokens.length < SHINGLE_WORDS) return Uint32Array.of(hashString(tokens.join(' ')));
  const seen = new Set<number>();
  const out = new Uint32Array(Math.max(0, tokens.length - SHINGLE_WORDS + 1));
  let count = 0;
  // The same value as hashString(tokens.slice(i, i + SHINGLE_WORDS).join(' ')), without building the string.
  for (let i = 0; i + SHINGLE_WORDS <= tokens.length; i++) {
    let h = fnvSteps(FNV_OFFSET, tokens[i]);
    for (let k = 1; k < SHINGLE_WORDS; k++) {
      h = Math.imul(h ^ SPACE, FNV_PRIME);
      h = fnvSteps(h, tokens[i + k]);
    }
    h = fmix32(h);
    if (seen.has(h)) continue;
    seen.add(h);
    out[count++] = h;
  }
  return count === out.length ? out : out.slice(0, count);
}

const SPACE = 0x20;

/** Hash functions computed side by side in `signature`; NUM_HASHES must be a multiple of it. */
const SIGNATURE_LANES = 4;
if (NUM_HASHES % SIGNATURE_LANES !== 0) throw new Error('NUM_HASHES must be a multiple of SIGNATURE_LANES');

/** MinHash signature: for each of NUM_HASHES permutations, the smallest permuted shingle hash. */
export function signature(shingleHashes: Uint32Array): Signature {
  const sig = new Uint32Array(NUM_HASHES);
  // Four hash functions at a time over all shingles: their seeds and running minima stay in registers,
  // and the four independent chains of multiplications overlap in the CPU.
  for (let i = 0; i < NUM_HASHES; i += SIGNATURE_LANES) {
    const a0 = HASH_SEEDS_A[i];
    const a1 = HASH_SEEDS_A[i + 1];
    const a2 = HASH_SEEDS_A[i + 2];
    const a3 = HASH_SEEDS_A[i + 3];
    const b0 = HASH_SEEDS_B[i];
    const b1 = HASH_SEEDS_B[i + 1];
    const b2 = HASH_SEEDS_B[i + 2];
    const b3 = HASH_SEEDS_B[i + 3];
    let min0 = 0xffffffff;
    let min1 = 0xffffffff;
    let min2 = 0xffffffff;
    let min3 = 0xffffffff;
    for (let s = 0; s < shingleHashes.length; s++) {
      const x = shingleHashes[s];
      const h0 = permute(x, a0, b0);
      const h1 = permute(x, a1, b1);
      const h2 = permute(x, a2, b2);
      const h3 = permute(x, a3, b3);
      if (h0 < min0) min0 = h0;
      if (h1 < min1) min1 = h1;
      if (h2 < min2) min2 = h2;
      if (h3 < min3) min3 = h3;
    }
    sig[i] = min0;
    sig[i + 1] = min1;
    sig[i + 2] = min2;
    sig[i + 3] = min3;
  }
  return sig;
}

/** One of the NUM_HASHES hash functions (seeds a, b) applied to a shingle hash: fmix32((x ^ a) × 0x9e3779b1 + b). */
function permute(x: number, a: number, b: number): number {
  let h = (Math.imul(x ^ a, 0x9e3779b1) + b) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Fraction of equal MinHash values: an unbiased estimate of the Jaccard similarity of the shingle sets. */
export function estimateJaccard(a: Signature, b: Signature): number {
  let same = 0;
  for (let i = 0; i < NUM_HASHES; i++) if (a[i] === b[i]) same++;
  return same / NUM_HASHES;
}

/** Exact Jaccard similarity of two shingle sets. */
export function jaccard(a: Uint32Array, b: Uint32Array): number {
  if (a.length === 0 && b.length === 0) return 0;
  const small = a.length <= b.length ? a : b;
  const big = new Set(a.length <= b.length ? b : a);
  let inter = 0;
  for (let i = 0; i < small.length; i++) if (big.has(small[i])) inter++;
  return inter / (a.length + b.length - inter);
}

/**
 * One key per band: a 53-bit hash of the band number and its rows, so it is an exact integer in
 * both JavaScript and SQLite. Two signatures share a key when they agree on a whole band.
 */
export function bandKeys(sig: Signature): number[] {
  const keys: number[] = [];
  for (let b = 0; b < LSH_BANDS; b++) {
    let h1 = fmix32(b + 0x2545f491);
    let h2 = fmix32(b + 0x7f4a7c15);
    for (let r = 0; r < LSH_ROWS; r++) {
      const v = sig[b * LSH_ROWS + r];
      h1 = fmix32(Math.imul(h1 ^ v, 0x01000193) + r);
      h2 = fmix32(Math.imul(h2 + v, 0x27d4eb2f) ^ r);
    }
    keys.push((h1 >>> 11) * 0x1_0000_0000 + h2);
  }
  return keys;
}

/** Signatures are stored as NUM_HASHES little-endian uint32 values. */
export function signatureToBuffer(sig: Signature): Buffer {
  const buf = Buffer.allocUnsafe(NUM_HASHES * 4);
  for (let i = 0; i < NUM_HASHES; i++) buf.writeUInt32LE(sig[i], i * 4);
  return buf;
}

export function signatureFromBuffer(buf: Uint8Array): Signature {
  if (buf.length !== NUM_HASHES * 4)
    throw new Error(`bad scam signature: ${buf.length} bytes, expected ${NUM_HASHES * 4}`);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const sig = new Uint32Array(NUM_HASHES);
  for (let i = 0; i < NUM_HASHES; i++) sig[i] = view.getUint32(i * 4, true);
  return sig;
}
