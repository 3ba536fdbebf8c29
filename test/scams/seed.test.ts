import { readFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { buildSeed } from '../../scripts/build-scam-seed.js';
import { fingerprintNormalised } from '../../src/scams/fingerprint.js';
import { jaccard } from '../../src/scams/minhash.js';
import { ensureSeed, readSeed, scamDataDir } from '../../src/scams/seed.js';
import { ScamStore } from '../../src/scams/store.js';

const texts = JSON.parse(readFileSync(path.join(scamDataDir(), 'seed-texts.json'), 'utf8')).scams;

describe('shipped seed', () => {
  const seed = readSeed();

  it('is up to date with seed-texts.json (regenerate: npx tsx scripts/build-scam-seed.ts)', () => {
    const rebuilt = buildSeed(texts, seed.version);
    expect(rebuilt.scheme).toBe(seed.scheme);
    expect(rebuilt.scams).toEqual(seed.scams);
  });

  it('holds 30–60 scams of every promised kind', () => {
    expect(seed.scams.length).toBeGreaterThanOrEqual(30);
    expect(seed.scams.length).toBeLessThanOrEqual(60);
    const kinds = new Set(seed.scams.map((s) => s.category));
    for (const k of [
      'advance-fee',
      'fake-invoice',
      'mailbox-quota',
      'parcel-delivery',
      'sextortion',
      'ceo-gift-card',
      'bank-detail-change',
      'crypto',
    ])
      expect(kinds).toContain(k);
  });

  it('has no two entries that are near copies of each other', () => {
    const sh = seed.scams.map((s) => fingerprintNormalised(s.normalised).shingles);
    for (let i = 0; i < sh.length; i++)
      for (let j = i + 1; j < sh.length; j++) expect(jaccard(sh[i], sh[j]), `${i} vs ${j}`).toBeLessThan(0.3);
  });

  it('loads once per seed version', () => {
    const store = new ScamStore(new Database(':memory:'));
    expect(ensureSeed(store, seed)).toBe(seed.scams.length);
    expect(ensureSeed(store, seed)).toBe(0);
    expect(store.count()).toBe(seed.scams.length);
    expect(ensureSeed(store, { ...seed, version: 'next' })).toBe(0); // same texts: nothing new
    expect(store.getMeta('seed_version')).toBe('next');
  });
});
