// What the intel store holds, for `suspect intel status`: each dataset with its provenance and age.

import type { Database } from 'better-sqlite3';
import { FEEDS } from './feeds.js';
import { ensureIntel } from './index.js';
import { SNAPSHOT_VERSION_KEY } from './snapshot.js';
import { type DatasetInfo, getMeta, listDatasets } from './store.js';

export interface DatasetStatus extends DatasetInfo {
  /** Days since the source data was published (or loaded, when unknown). */
  ageDays?: number;
}

export interface IntelStatus {
  snapshotVersion?: string;
  /** True when this call loaded the shipped snapshot (first use or a new version). */
  snapshotJustLoaded: boolean;
  datasets: DatasetStatus[];
  totals: { blocklistEntries: number; popularDomains: number; brands: number };
  /** Feeds never fetched into this store. */
  feedsNeverUpdated: string[];
}

function ageDays(d: DatasetInfo, now: Date): number | undefined {
  const ref = d.dataDate ?? d.loadedAt;
  if (!ref) return undefined;
  const t = new Date(ref.length === 7 ? `${ref}-01` : ref).getTime();
  return Number.isNaN(t) ? undefined : Math.max(0, Math.floor((now.getTime() - t) / 86_400_000));
}

export function intelStatus(db: Database, now: Date = new Date()): IntelStatus {
  const load = ensureIntel(db);
  const datasets = listDatasets(db).map((d): DatasetStatus => ({ ...d, ageDays: ageDays(d, now) }));
  const sum = (kind: DatasetInfo['kind']) =>
    datasets.filter((d) => d.kind === kind).reduce((n, d) => n + d.rows, 0);
  return {
    snapshotVersion: getMeta(db, SNAPSHOT_VERSION_KEY),
    snapshotJustLoaded: load.loaded,
    datasets,
    totals: { blocklistEntries: sum('blocklist'), popularDomains: sum('popular'), brands: sum('brands') },
    feedsNeverUpdated: FEEDS.filter((f) => !datasets.some((d) => d.name === f.name && d.loadedAt)).map(
      (f) => f.name,
    ),
  };
}
