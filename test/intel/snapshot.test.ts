import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { BlocklistIndex } from '../../src/intel/blocklist.js';
import {
  ensureSnapshot,
  readManifest,
  SNAPSHOT_VERSION_KEY,
  snapshotAttached,
} from '../../src/intel/snapshot.js';
import { getMeta, listDatasets, setMeta } from '../../src/intel/store.js';

const manifest = readManifest();
const tempDirs: string[] = [];
// Each snapshot cache is ~35 MB: do not leave them behind in /tmp.
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

describe('shipped intel snapshot', () => {
  it('has a manifest with provenance and licence for every dataset', () => {
    expect(manifest.datasets.length).toBeGreaterThanOrEqual(3);
    for (const d of [...manifest.datasets, manifest.popular]) {
      expect(d.licence).toBeTruthy();
      expect(d.source).toBeTruthy();
      expect(d.rows).toBeGreaterThan(1000);
    }
  });

  it('builds the cache once, attaches it to new stores cheaply, and loads provenance into each store', () => {
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'suspect-intel-cache-'));
    tempDirs.push(cacheDir);
    const a = new Database(':memory:');
    const first = ensureSnapshot(a, { cacheDir });
    expect(first).toMatchObject({ loaded: true, location: 'cache', version: manifest.version });
    expect(snapshotAttached(a)).toBe(true);
    const b = new Database(':memory:');
    const second = ensureSnapshot(b, { cacheDir });
    expect(second.loaded).toBe(true);
    expect(second.ms).toBeLessThan(first.ms);
    expect(ensureSnapshot(b, { cacheDir }).loaded).toBe(false);
    const names = listDatasets(b).map((d) => d.name);
    expect(names).toEqual(
      expect.arrayContaining([...manifest.datasets.map((d) => d.name), 'majestic-top15k', 'brands']),
    );
    const idx = new BlocklistIndex(b);
    expect(idx.loaded()).toBe(true);
    expect(idx.lookup('http://0000000000000000000000000.findyourjacket.com/')[0]).toMatchObject({
      code: 'blocklist.host',
    });
    expect(idx.lookup('https://www.wikipedia.org/')).toEqual([]);
  });

  it('reloads when the snapshot version changes, into the store itself when there is no cache', () => {
    const db = new Database(':memory:');
    setMeta(db, SNAPSHOT_VERSION_KEY, 'old-version');
    const load = ensureSnapshot(db, { cacheDir: null });
    expect(load).toMatchObject({ loaded: true, location: 'store' });
    expect(getMeta(db, SNAPSHOT_VERSION_KEY)).toBe(manifest.version);
    const count = (
      db.prepare("SELECT count(*) AS n FROM intel_host WHERE dataset = 'blocklistproject'").get() as {
        n: number;
      }
    ).n;
    expect(count).toBe(manifest.datasets.find((d) => d.name === 'blocklistproject')!.rows);
    expect(
      new BlocklistIndex(db).lookup('http://0000000000000000000000000.findyourjacket.com/'),
    ).toHaveLength(1);
    expect(ensureSnapshot(db, { cacheDir: null }).loaded).toBe(false);
  });
});
