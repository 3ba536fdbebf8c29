import Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BlocklistIndex } from '../../src/intel/blocklist.js';
import { BloomFilter } from '../../src/intel/bloom.js';
import { ensureIntel } from '../../src/intel/index.js';
import { referenceLists } from '../../src/intel/reference.js';

describe('BloomFilter', () => {
  it('never rules out a string it holds', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.string({ maxLength: 30 }), { maxLength: 300 }), (strings) => {
        const f = new BloomFilter(strings.length);
        for (const s of strings) f.add(s);
        for (const s of strings) expect(f.mayHave(s)).toBe(true);
      }),
    );
  });

  it('rules out most strings it does not hold, near the rate it was sized for', () => {
    const f = new BloomFilter(20_000, 0.01);
    for (let i = 0; i < 20_000; i++) f.add(`listed-${i}.example`);
    let maybe = 0;
    for (let i = 0; i < 20_000; i++) if (f.mayHave(`other-${i}.example`)) maybe++;
    expect(maybe / 20_000).toBeLessThan(0.02);
  });
});

describe('BlocklistIndex with its Bloom filters', () => {
  it('finds exactly what it finds without them, for listed and unlisted hosts, parents and URLs', () => {
    const db = new Database(':memory:');
    ensureIntel(db);
    // One entry in the store itself (as a feed would add), besides the attached snapshot's.
    db.prepare(
      "INSERT INTO main.intel_host (host, dataset, first_seen) VALUES ('feed-only.example', 'blocklistproject', NULL)",
    ).run();
    const sample = <T>(sql: string) => db.prepare(sql).raw().all() as T[];
    const hosts = sample<[string]>("SELECT host FROM intel_snap.intel_host WHERE host >= 'm' LIMIT 150");
    const urls = sample<[string]>("SELECT url FROM intel_snap.intel_url WHERE url >= 'm' LIMIT 150");
    const probes = [
      'http://feed-only.example/login',
      'http://sub.feed-only.example/',
      'https://www.wikipedia.org/',
      'https://example.org/some/path?q=1',
      ...hosts.flatMap(([h]) => [`http://${h}/`, `https://deep.${h}/x`]),
      ...urls.map(([u]) => `http://${u}`),
    ];
    const ref = referenceLists();
    const plain = new BlocklistIndex(db, ref, Number.POSITIVE_INFINITY);
    const filtered = new BlocklistIndex(db, ref, 0);
    let hits = 0;
    for (const p of probes) {
      const want = plain.lookup(p);
      hits += want.length;
      expect(filtered.lookup(p)).toEqual(want);
    }
    // The probes did reach listed entries, from the snapshot and from the store.
    expect(hits).toBeGreaterThan(200);
    expect(filtered.lookup('http://feed-only.example/login')).not.toEqual([]);
  });
});

describe('BlocklistIndex host memo', () => {
  it('gives a host’s later links the same host and parent-domain hits as a fresh index', () => {
    const db = new Database(':memory:');
    ensureIntel(db);
    const hosts = db
      .prepare("SELECT host FROM intel_snap.intel_host WHERE host >= 'k' LIMIT 40")
      .raw()
      .all() as [string][];
    const ref = referenceLists();
    const warm = new BlocklistIndex(db, ref, Number.POSITIVE_INFINITY);
    let parentHits = 0;
    for (const [h] of hosts) {
      warm.lookup(`https://deep.${h}/first`);
      const later = warm.lookup(`https://deep.${h}/second`);
      expect(later).toEqual(
        new BlocklistIndex(db, ref, Number.POSITIVE_INFINITY).lookup(`https://deep.${h}/second`),
      );
      parentHits += later.filter((hit) => hit.match === 'parent').length;
    }
    expect(parentHits).toBeGreaterThan(0);
  });
});
