// Blocklist lookups against the intel store: exact URL, URL path prefix, host and parent-domain
// matches, each with the list's provenance. Prepared statements on indexed keys: a link costs a
// dozen point queries (tens of microseconds).

import type { Database, Statement } from 'better-sqlite3';
import { BloomFilter } from './bloom.js';
import { splitHost } from './domains.js';
import { urlKey, urlLookupKeys } from './normalise.js';
import { officialBrandOf, type ReferenceLists, referenceLists, sharedHostingOf } from './reference.js';
import { snapshotAttached } from './snapshot.js';
import { type DatasetInfo, ensureIntelSchema, listDatasets } from './store.js';

export type BlocklistCode = 'blocklist.url' | 'blocklist.host' | 'blocklist.domain';

export interface BlocklistHit {
  code: BlocklistCode;
  /** exact URL, URL path prefix, the very host, or a parent domain of the host. */
  match: 'exact' | 'prefix' | 'host' | 'parent';
  /** The entry as stored (normalised). */
  listed: string;
  dataset: DatasetInfo;
  firstSeen?: string;
  /** Brand the phish targets, when the list says (PhishTank). */
  target?: string;
}

/** Parent domains walked per host; bounds work on hosts with hundreds of labels. */
export const MAX_HOST_ANCESTORS = 10;

/**
 * Hosts whose list rows are remembered between links (a host's entry is a few rows, usually none). Past
 * it the memo starts over, so a mailbox of millions of distinct hosts keeps memory bounded.
 */
const MAX_REMEMBERED_HOSTS = 20_000;

/**
 * Lookups after which the index loads every listed key into Bloom filters (a few hundred ms, under
 * 1 MB): worth it for a mailbox or a server, not for one message checked from the command line.
 */
export const BLOOM_AFTER_LOOKUPS = 500;

interface Row {
  dataset: string;
  first_seen: string | null;
  target?: string | null;
}

export class BlocklistIndex {
  /** Prepared lookups by number of keys: one query per kind of key and link instead of one per key. */
  private readonly selHost = new Map<number, Statement>();
  private readonly selUrl = new Map<number, Statement>();
  private readonly snap: boolean;
  private readonly hostMemo = new Map<string, { parents: string[]; rows: Map<string, Row[]> }>();
  private datasets = new Map<string, DatasetInfo>();
  private entries = 0;
  private lookups = 0;
  /** Every listed host and URL key, once BLOOM_AFTER_LOOKUPS lookups have been made. */
  private filters?: { host: BloomFilter; url: BloomFilter };

  constructor(
    private readonly db: Database,
    private readonly ref: ReferenceLists = referenceLists(),
    private readonly bloomAfter = BLOOM_AFTER_LOOKUPS,
  ) {
    ensureIntelSchema(db);
    // The shipped snapshot's entries live in an attached cache database when one is available.
    this.snap = snapshotAttached(db);
    this.refresh();
  }

  /**
   * Rows of every key at once, grouped by key. Per key the rows come in the order the one-key query
   * gave them (the store's own entries before the snapshot's), so which list is named first is unchanged.
   */
  private rowsByKey(kind: 'host' | 'url', allKeys: string[]): Map<string, Row[]> {
    const out = new Map<string, Row[]>();
    // Keys the filter rules out are certainly not listed; the rest are looked up as before.
    const filter = this.filters?.[kind];
    const keys = filter ? allKeys.filter((k) => filter.mayHave(k)) : allKeys;
    if (keys.length === 0) return out;
    const cache = kind === 'host' ? this.selHost : this.selUrl;
    let stmt = cache.get(keys.length);
    if (!stmt) {
      const cols =
        kind === 'host' ? 'host AS k, dataset, first_seen' : 'url AS k, dataset, first_seen, target';
      const list = keys.map(() => '?').join(', ');
      const from = (table: string) => `SELECT ${cols} FROM ${table} WHERE ${kind} IN (${list})`;
      stmt = this.db.prepare(
        this.snap
          ? `${from(`main.intel_${kind}`)} UNION ALL ${from(`intel_snap.intel_${kind}`)}`
          : from(`intel_${kind}`),
      );
      cache.set(keys.length, stmt);
    }
    const rows = (this.snap ? stmt.all(...keys, ...keys) : stmt.all(...keys)) as (Row & { k: string })[];
    for (const r of rows) {
      const list = out.get(r.k);
      if (list) list.push(r);
      else out.set(r.k, [r]);
    }
    return out;
  }

  /**
   * The parents of a host worth checking and the host and parent-domain rows, remembered: the links
   * of one message (and of a mailbox) mostly share a few hosts, so most links then cost one URL query
   * instead of two, and no walk up the host's domains.
   */
  private hostRows(host: string): { parents: string[]; rows: Map<string, Row[]> } {
    const known = this.hostMemo.get(host);
    if (known) return known;
    const parents = this.parentsToCheck(host);
    const entry = { parents, rows: this.rowsByKey('host', [host, ...parents]) };
    if (this.hostMemo.size >= MAX_REMEMBERED_HOSTS) this.hostMemo.clear();
    this.hostMemo.set(host, entry);
    return entry;
  }

  /** Loads every listed key of the store (and of the attached snapshot) into the two filters. */
  private buildFilters(): void {
    const load = (kind: 'host' | 'url'): BloomFilter => {
      const tables = this.snap ? [`main.intel_${kind}`, `intel_snap.intel_${kind}`] : [`intel_${kind}`];
      const count = tables.reduce(
        (n, t) => n + (this.db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n,
        0,
      );
      const filter = new BloomFilter(count);
      for (const t of tables)
        for (const [key] of this.db.prepare(`SELECT ${kind} FROM ${t}`).raw().iterate() as Iterable<[string]>)
          filter.add(key);
      return filter;
    };
    this.filters = { host: load('host'), url: load('url') };
  }

  /** Re-reads dataset provenance (after an update in the same process). */
  refresh(): void {
    this.hostMemo.clear();
    this.filters = undefined;
    this.lookups = 0;
    this.datasets = new Map(
      listDatasets(this.db)
        .filter((d) => d.kind === 'blocklist')
        .map((d) => [d.name, d]),
    );
    this.entries = [...this.datasets.values()].reduce((n, d) => n + d.rows, 0);
  }

  /** Whether any blocklist is loaded (else a miss means "unknown", not "clean"). */
  loaded(): boolean {
    return this.entries > 0;
  }

  listNames(): DatasetInfo[] {
    return [...this.datasets.values()];
  }

  /** Every list entry this URL hits, most specific first. */
  lookup(url: string): BlocklistHit[] {
    const k = urlKey(url);
    if (!k) return [];
    if (!this.filters && ++this.lookups > this.bloomAfter) this.buildFilters();
    const hits: BlocklistHit[] = [];
    const seen = new Set<string>();
    const push = (code: BlocklistCode, match: BlocklistHit['match'], listed: string, rows: Row[]) => {
      for (const r of rows) {
        const dataset = this.datasets.get(r.dataset);
        if (!dataset || seen.has(r.dataset)) continue;
        seen.add(r.dataset);
        const hit: BlocklistHit = { code, match, listed, dataset };
        if (r.first_seen) hit.firstSeen = r.first_seen;
        if (r.target) hit.target = r.target;
        hits.push(hit);
      }
    };
    const keys = urlLookupKeys(k);
    const urlRows = this.rowsByKey('url', keys);
    keys.forEach((key, i) => {
      push('blocklist.url', i === 0 ? 'exact' : 'prefix', key, urlRows.get(key) ?? []);
    });
    // Port-less host for host matching; `evil.com:8080` is listed as `evil.com`.
    const host = k.host.replace(/:\d+$/, '');
    const { parents, rows: hostRows } = this.hostRows(host);
    push('blocklist.host', 'host', host, hostRows.get(host) ?? []);
    for (const parent of parents) push('blocklist.domain', 'parent', parent, hostRows.get(parent) ?? []);
    return hits;
  }

  /**
   * Parents of a host that may condemn it: up to its registrable domain, but never into a popular
   * or official domain (one bad `x.files.1drv.com` must not flag all of OneDrive) nor onto a
   * shared-hosting suffix (`weebly.com` itself).
   */
  private parentsToCheck(host: string): string[] {
    const parts = splitHost(host);
    if (parts.isIp || !parts.registrable) return [];
    const reg = parts.registrable;
    const shared = sharedHostingOf(host, this.ref);
    let stop = reg;
    if (shared) stop = shared.suffix;
    else if (this.ref.popular.has(reg) || officialBrandOf(reg, this.ref)) return [];
    // Walk up from the owner's end (`evil.example`, `x.evil.example`, ...), so a host padded with
    // hundreds of labels cannot push the listed domain out of reach.
    const labels = host.split('.');
    const stopLabels = stop.split('.').length;
    const out: string[] = [];
    const first = shared ? stopLabels + 1 : stopLabels;
    for (let n = first; n < labels.length && out.length < MAX_HOST_ANCESTORS; n++)
      out.push(labels.slice(-n).join('.'));
    return out;
  }
}

const indexes = new WeakMap<Database, BlocklistIndex>();

/** The index for this store, built once per process. */
export function blocklistIndex(db: Database): BlocklistIndex {
  let idx = indexes.get(db);
  if (!idx) {
    idx = new BlocklistIndex(db);
    indexes.set(db, idx);
  }
  return idx;
}

/** Drops the cached index (after `intel update` changed the store). */
export function forgetBlocklistIndex(db: Database): void {
  indexes.delete(db);
}
