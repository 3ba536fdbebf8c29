// Feature hashing: maps a feature name to a bucket, so models stay a fixed, small size whatever the vocabulary.

/** FNV-1a, 32 bit, over the UTF-16 code units of `s`. Stable across platforms and versions. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Bucket of `name` in a table of `dim` entries (dim a power of two). */
export function bucket(name: string, dim: number): number {
  return fnv1a(name) & (dim - 1);
}
