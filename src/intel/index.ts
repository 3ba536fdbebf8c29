// Entry points of the intel area for engines and commands.

import type { Database } from 'better-sqlite3';
import { ensureSnapshot, type SnapshotLoad } from './snapshot.js';

const ready = new WeakMap<Database, SnapshotLoad>();

/**
 * Makes sure the shipped snapshot is in this store (loading it on first use or when its version
 * changed); checked once per handle per process.
 */
export function ensureIntel(db: Database): SnapshotLoad {
  let load = ready.get(db);
  if (!load) {
    load = ensureSnapshot(db);
    ready.set(db, load);
  }
  return load;
}

export { type BlocklistHit, blocklistIndex, forgetBlocklistIndex } from './blocklist.js';
export {
  type BrandMatch,
  brandInPath,
  brandLookalike,
  domainLookalike,
  type LookalikeMatch,
} from './lookalike.js';
