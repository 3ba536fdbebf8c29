// Stable 32-bit string hashes, the same on every machine and version: feature hashing for the models
// (a feature name to a bucket, so models stay a fixed, small size), MinHash shingles, Bloom filters.

export const FNV_OFFSET = 0x811c9dc5;
export const FNV_PRIME = 0x01000193;

/**
 * FNV-1a steps over the UTF-16 code units of `s`, from state `h` (not yet made unsigned). Callers hash
 * a name in parts ("w:", then the word) with it, getting the same value without building the string.
 */
export function fnvSteps(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
}

/** FNV-1a, 32 bit, over the UTF-16 code units of `s`. Stable across platforms and versions. */
export function fnv1a(s: string): number {
  return fnvSteps(FNV_OFFSET, s) >>> 0;
}

/** Bucket of `name` in a table of `dim` entries (dim a power of two). */
export function bucket(name: string, dim: number): number {
  return fnv1a(name) & (dim - 1);
}

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

/** 32-bit hash of a string (FNV-1a over UTF-16 code units from `seed`, then mixed). */
export function hashString(s: string, seed = FNV_OFFSET): number {
  return fmix32(fnvSteps(seed >>> 0, s));
}
