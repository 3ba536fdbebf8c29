// Blocklist lookups against the intel store: exact URL, URL path prefix, host and parent-domain
// matches, each with the list's provenance. Prepared statements on indexed keys: a link costs a
// dozen point queries (tens of microseconds).

import type { Database, Statement } from 'better-sqlite3';
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

interface Row {
  dataset: string;
  first_seen: string | null;
  target?: string | null;
}

export class BlocklistIndex {
  private readonly selHost: Statement;
  private readonly selUrl: Statement;
  private datasets = new Map<string, DatasetInfo>();
  private entries = 0;

  constructor(
    private readonly db: Database,
    private readonly ref: ReferenceLists = referenceLists(),
  ) {
    ensureIntelSchema(db);
    // The shipped snapshot's entries live in an attached cache database when one is available.
    const snap = snapshotAttached(db);
    this.selHost = db.prepare(
      snap
        ? 'SELECT dataset, first_seen FROM main.intel_host WHERE host = @k UNION ALL SELECT dataset, first_seen FROM intel_snap.intel_host WHERE host = @k'
        : 'SELECT dataset, first_seen FROM intel_host WHERE host = @k',
    );
    this.selUrl = db.prepare(
      snap
        ? 'SELECT dataset, first_seen, target FROM main.intel_url WHERE url = @k UNION ALL SELECT dataset, first_seen, target FROM intel_snap.intel_url WHERE url = @k'
        : 'SELECT dataset, first_seen, target FROM intel_url WHERE url = @k',
    );
    this.refresh();
  }

  /** Re-reads dataset provenance (after an update in the same process). */
  refresh(): void {
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
    keys.forEach((key, i) => {
      push('blocklist.url', i === 0 ? 'exact' : 'prefix', key, this.selUrl.all({ k: key }) as Row[]);
    });
    // Port-less host for host matching; `evil.com:8080` is listed as `evil.com`.
    const host = k.host.replace(/:\d+$/, '');
    push('blocklist.host', 'host', host, this.selHost.all({ k: host }) as Row[]);
    for (const parent of this.parentsToCheck(host))
      push('blocklist.domain', 'parent', parent, this.selHost.all({ k: parent }) as Row[]);
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
