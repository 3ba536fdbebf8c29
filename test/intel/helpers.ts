// Test helpers for the intel area: a store with small fixture lists, and links built by hand.

import Database from 'better-sqlite3';
import { SNAPSHOT_DISABLED_KEY } from '../../src/intel/snapshot.js';
import { type DatasetInfo, entryWriter, putDataset, setMeta } from '../../src/intel/store.js';
import type { EngineContext, Link } from '../../src/types.js';

/** A store that never loads the shipped snapshot, holding only these lists. */
export function fixtureDb(
  lists: {
    name: string;
    hosts?: [string, string?][];
    urls?: [string, string?][];
    info?: Partial<DatasetInfo>;
  }[],
) {
  const db = new Database(':memory:');
  setMeta(db, SNAPSHOT_DISABLED_KEY, '1');
  for (const l of lists) {
    const w = entryWriter(db, l.name);
    for (const [h, d] of l.hosts ?? []) w.host(h, d);
    for (const [u, d] of l.urls ?? []) w.url(u, d);
    putDataset(db, {
      name: l.name,
      kind: 'blocklist',
      origin: 'feed',
      title: `${l.name} list`,
      source: 'test',
      licence: 'test',
      threat: 'phishing',
      dataDate: '2025-01-02',
      rows: w.count(),
      ...l.info,
    });
  }
  return db;
}

export function link(url: string, id = 'link:1'): Link {
  const u = new URL(url);
  return {
    id,
    url,
    raw: url,
    source: 'user',
    location: 'test',
    wrappers: [],
    defanged: false,
    scheme: u.protocol.replace(':', ''),
    hostAscii: u.hostname,
    hostUnicode: u.hostname,
  };
}

export function ctx(db?: Database.Database): EngineContext {
  return { signal: new AbortController().signal, now: new Date('2026-01-01T00:00:00Z'), db, options: {} };
}
