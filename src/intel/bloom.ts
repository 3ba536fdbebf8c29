// A Bloom filter over strings: "certainly not in the set" or "maybe in it". The blocklist index puts
// every listed host and URL key in one, so the links of ordinary mail (almost none of them listed)
// skip their SQLite queries.

/** FNV-1a over UTF-16 code units, from a seed, then MurmurHash3's finaliser. */
function hash32(s: string, seed: number): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export class BloomFilter {
  private readonly bits: Uint32Array;
  private readonly size: number;
  private readonly hashes: number;

  /** Sized for `expected` strings at about `falsePositiveRate` (at least 1,024 bits). */
  constructor(expected: number, falsePositiveRate = 0.01) {
    const n = Math.max(1, expected);
    const m = Math.max(1024, Math.ceil((-n * Math.log(falsePositiveRate)) / (Math.LN2 * Math.LN2)));
    this.size = Math.ceil(m / 32) * 32;
    this.bits = new Uint32Array(this.size / 32);
    this.hashes = Math.max(1, Math.min(16, Math.round((this.size / n) * Math.LN2)));
  }

  add(s: string): void {
    // Double hashing: bit i = h1 + i·h2 (Kirsch–Mitzenmacher), two string passes for all k bits.
    const h1 = hash32(s, 0x811c9dc5);
    const h2 = hash32(s, 0x5bd1e995) | 1;
    for (let i = 0; i < this.hashes; i++) {
      const bit = (h1 + Math.imul(i, h2)) >>> 0;
      const at = bit % this.size;
      this.bits[at >>> 5] |= 1 << (at & 31);
    }
  }

  mayHave(s: string): boolean {
    const h1 = hash32(s, 0x811c9dc5);
    const h2 = hash32(s, 0x5bd1e995) | 1;
    for (let i = 0; i < this.hashes; i++) {
      const bit = (h1 + Math.imul(i, h2)) >>> 0;
      const at = bit % this.size;
      if ((this.bits[at >>> 5] & (1 << (at & 31))) === 0) return false;
    }
    return true;
  }
}
