// Word shingles, MinHash signatures and LSH band keys. Everything is deterministic (fixed seeds), so a
// signature computed today matches one stored by an earlier run or shipped in data/scams/seed.json.

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

/** Finaliser of MurmurHash3: a fast, well-mixing bijection on 32-bit integers. */
export function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit hash of a string (FNV-1a over UTF-16 code units, then mixed). */
export function hashString(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return fmix32(h);
}

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
  const set = new Set<number>();
  if (tokens.length > 0 && tokens.length < SHINGLE_WORDS) set.add(hashString(tokens.join(' ')));
  for (let i = 0; i + SHINGLE_WORDS <= tokens.length; i++) {
    set.add(hashString(tokens.slice(i, i + SHINGLE_WORDS).join(' ')));
  }
  return Uint32Array.from(set);
}

/** MinHash signature: for each of NUM_HASHES permutations, the smallest permuted shingle hash. */
export function signature(shingleHashes: Uint32Array): Signature {
  const sig = new Uint32Array(NUM_HASHES).fill(0xffffffff);
  for (let s = 0; s < shingleHashes.length; s++) {
    const x = shingleHashes[s];
    for (let i = 0; i < NUM_HASHES; i++) {
      const h = fmix32(Math.imul(x ^ HASH_SEEDS_A[i], 0x9e3779b1) + HASH_SEEDS_B[i]);
      if (h < sig[i]) sig[i] = h;
    }
  }
  return sig;
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
