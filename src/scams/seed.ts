// The seed corpus shipped in data/scams/seed.json (hand-written representative scam texts, built by
// scripts/build-scam-seed.ts), loaded into a store once per seed version so the engine works offline
// from the first run.

import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { type Fingerprint, fingerprintNormalised } from './fingerprint.js';
import { MIN_SHINGLES, SCHEME, signatureFromBuffer } from './minhash.js';
import { type NewScam, ScamStore } from './store.js';

/** How many parent folders to try when looking for data/scams (src/scams → repo is 2; dist adds 1). */
const MAX_PARENT_DEPTH = 6;

export interface SeedScam {
  title: string;
  category: string;
  firstSeen?: string;
  source: string;
  /** Normalised text. */
  normalised: string;
  /** Base64 of the MinHash signature (NUM_HASHES little-endian uint32). */
  signature: string;
}

export interface SeedFile {
  schema: 'suspect.scam-seed/1';
  version: string;
  scheme: string;
  licence: string;
  scams: SeedScam[];
}

/** Absolute path of the repo's data/scams folder, found by walking up from this module. */
export function scamDataDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < MAX_PARENT_DEPTH; i++) {
    const candidate = path.join(dir, 'data', 'scams');
    if (existsSync(path.join(candidate, 'seed.json'))) return candidate;
    dir = path.dirname(dir);
  }
  throw new Error('cannot find the data/scams folder shipped with Suspect');
}

export function readSeed(file = path.join(scamDataDir(), 'seed.json')): SeedFile {
  const seed = JSON.parse(readFileSync(file, 'utf8')) as SeedFile;
  if (seed.schema !== 'suspect.scam-seed/1' || !Array.isArray(seed.scams))
    throw new Error(`${file} is not a scam seed file`);
  return seed;
}

/** The seed entry's fingerprint; recomputed from its text when the seed was built with another scheme. */
function seedFingerprint(s: SeedScam, scheme: string): Fingerprint {
  const fp = fingerprintNormalised(s.normalised);
  if (scheme === SCHEME) fp.signature = signatureFromBuffer(Buffer.from(s.signature, 'base64'));
  fp.usable = fp.shingles.length >= MIN_SHINGLES;
  return fp;
}

/** Loads the seed into the store unless this seed version is already there. Returns how many were added. */
export function ensureSeed(store: ScamStore, seed: SeedFile = readSeed()): number {
  if (store.getMeta('seed_version') === seed.version || !store.compatible()) return 0;
  const entries: NewScam[] = seed.scams.map((s) => ({
    title: s.title,
    fingerprint: seedFingerprint(s, seed.scheme),
    firstSeen: s.firstSeen,
    source: s.source,
  }));
  const added = store.db.transaction(() => {
    const results = store.addMany(entries);
    store.setMeta('seed_version', seed.version);
    return results.filter((r) => r.added).length;
  })();
  return added;
}

let seedOnly: ScamStore | undefined;

/** A throwaway in-memory store holding only the shipped seed, for analyses run without a store. */
export function seedOnlyStore(): ScamStore {
  if (!seedOnly) {
    const store = new ScamStore(new Database(':memory:'));
    ensureSeed(store);
    seedOnly = store;
  }
  return seedOnly;
}
