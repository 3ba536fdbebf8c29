// A Bloom filter over strings: "certainly not in the set" or "maybe in it". The blocklist index puts
// every listed host and URL key in one, so the links of ordinary mail (almost none of them listed)
// skip their SQLite queries.

import { hashString } from '../ml/hash.js';

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
    const at = this.positions(s);
    for (let i = 0; i < this.hashes; i++) this.bits[at[i] >>> 5] |= 1 << (at[i] & 31);
  }

  mayHave(s: string): boolean {
    const at = this.positions(s);
    for (let i = 0; i < this.hashes; i++)
      if ((this.bits[at[i] >>> 5] & (1 << (at[i] & 31))) === 0) return false;
    return true;
  }

  private readonly scratch = new Uint32Array(16);

  /** The string's k bit positions by double hashing (h1 + i·h2, Kirsch–Mitzenmacher): two string passes. */
  private positions(s: string): Uint32Array {
    const h1 = hashString(s, 0x811c9dc5);
    const h2 = hashString(s, 0x5bd1e995) | 1;
    for (let i = 0; i < this.hashes; i++) this.scratch[i] = ((h1 + Math.imul(i, h2)) >>> 0) % this.size;
    return this.scratch;
  }
}
