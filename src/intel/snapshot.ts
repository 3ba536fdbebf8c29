// The intel snapshot shipped in data/intel/ (built by scripts/build-intel-snapshot.ts): loaded into
// SQLite on first use and again whenever its version changes, so Suspect works offline with no
// set-up. The ~600k blocklist entries go once into a read-mostly SQLite file per snapshot version in
// a cache folder, ATTACHed to every store as `intel_snap`: a new store (or a test's throwaway one)
// then costs milliseconds instead of seconds of inserts. Provenance, popular domains and brands
// are written into the store itself. If the cache folder is not writable, the entries go into the
// store's own tables instead.

import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import BetterSqlite3, { type Database } from 'better-sqlite3';
import { intelDataDir } from './paths.js';
import { BRANDS_FILE, type Brand } from './reference.js';
import {
  clearDatasetRows,
  type DatasetInfo,
  type EntryWriter,
  ensureIntelSchema,
  entryWriter,
  getMeta,
  listDatasets,
  putDataset,
  setMeta,
} from './store.js';

export interface SnapshotDataset {
  name: string;
  title: string;
  source: string;
  homepage: string;
  licence: string;
  /** When the source data was published (YYYY-MM-DD or YYYY-MM). */
  dataDate: string;
  threat?: 'phishing' | 'malware';
  file: string;
  rows: number;
  sha256: string;
}

export interface SnapshotManifest {
  schema: 'suspect.intel-snapshot/1';
  version: string;
  built: string;
  datasets: SnapshotDataset[];
  popular: SnapshotDataset;
}

/** Set in the store once a snapshot version is loaded. */
export const SNAPSHOT_VERSION_KEY = 'snapshot_version';
/** Set to '1' in a store that must hold only what was put in it (feeds-only stores, tests). */
export const SNAPSHOT_DISABLED_KEY = 'snapshot_disabled';
/** Schema name under which the snapshot cache file is attached to a store. */
export const SNAPSHOT_SCHEMA = 'intel_snap';

export function readManifest(dir: string = intelDataDir()): SnapshotManifest {
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as SnapshotManifest;
  if (m.schema !== 'suspect.intel-snapshot/1' || !Array.isArray(m.datasets))
    throw new Error('intel snapshot manifest: unknown schema');
  return m;
}

/** $SUSPECT_INTEL_CACHE, else $XDG_CACHE_HOME/suspect, else ~/.cache/suspect. */
export function snapshotCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.SUSPECT_INTEL_CACHE || path.join(env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'suspect')
  );
}

export interface SnapshotOptions {
  dataDir?: string;
  /** Where the per-version snapshot database is kept; null loads into the store itself. */
  cacheDir?: string | null;
  now?: Date;
}

export interface SnapshotLoad {
  version: string;
  /** False when the store already held this version. */
  loaded: boolean;
  /** Where the blocklist entries live: the shared cache file, or the store's own tables. */
  location: 'cache' | 'store';
  rows: number;
  ms: number;
}

const CACHE_SCHEMA = `
CREATE TABLE intel_host (host TEXT NOT NULL, dataset TEXT NOT NULL, first_seen TEXT, PRIMARY KEY (host, dataset)) WITHOUT ROWID;
CREATE TABLE intel_url (url TEXT NOT NULL, dataset TEXT NOT NULL, first_seen TEXT, target TEXT, PRIMARY KEY (url, dataset)) WITHOUT ROWID;
CREATE TABLE intel_meta (key TEXT PRIMARY KEY, value TEXT);
`;

/** Inserts every shipped blocklist entry through `w`; returns rows per dataset. */
function insertEntries(
  manifest: SnapshotManifest,
  dir: string,
  writer: (dataset: string) => EntryWriter,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const d of manifest.datasets) {
    const w = writer(d.name);
    const text = gunzipSync(readFileSync(path.join(dir, d.file))).toString('utf8');
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      const t1 = line.indexOf('\t');
      if (t1 < 0) continue;
      const t2 = line.indexOf('\t', t1 + 1);
      const entry = t2 < 0 ? line.slice(t1 + 1) : line.slice(t1 + 1, t2);
      const firstSeen = t2 < 0 ? undefined : line.slice(t2 + 1);
      if (line[0] === 'H') w.host(entry, firstSeen);
      else if (line[0] === 'U') w.url(entry, firstSeen);
    }
    counts.set(d.name, w.count());
  }
  return counts;
}

function cacheFileValid(file: string, version: string): boolean {
  if (!existsSync(file)) return false;
  try {
    const c = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    try {
      const row = c.prepare("SELECT value FROM intel_meta WHERE key = 'complete'").get() as
        | { value: string }
        | undefined;
      return row?.value === version;
    } finally {
      c.close();
    }
  } catch {
    return false;
  }
}

/** Builds the cache file for this version (atomically: temp file, then rename). */
function buildCacheFile(manifest: SnapshotManifest, dataDir: string, file: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const c = new BetterSqlite3(tmp);
  try {
    // A half-built file is never renamed into place, so no journal is needed.
    c.pragma('journal_mode = OFF');
    c.pragma('synchronous = OFF');
    c.exec(CACHE_SCHEMA);
    const insHost = c.prepare(
      'INSERT OR IGNORE INTO intel_host (host, dataset, first_seen) VALUES (?, ?, ?)',
    );
    const insUrl = c.prepare('INSERT OR IGNORE INTO intel_url (url, dataset, first_seen) VALUES (?, ?, ?)');
    c.transaction(() => {
      insertEntries(manifest, dataDir, (dataset) => {
        let n = 0;
        return {
          host: (h, f) => {
            n += insHost.run(h, dataset, f || null).changes;
          },
          url: (u, f) => {
            n += insUrl.run(u, dataset, f || null).changes;
          },
          count: () => n,
        };
      });
      c.prepare("INSERT INTO intel_meta (key, value) VALUES ('complete', ?)").run(manifest.version);
    })();
    c.close();
    renameSync(tmp, file);
    removeOtherVersions(path.dirname(file), path.basename(file));
  } catch (err) {
    if (c.open) c.close();
    rmSync(tmp, { force: true });
    throw err;
  }
}

/** Old snapshot caches are ~35 MB each: keep only the current one (a store still using one keeps its open handle). */
function removeOtherVersions(dir: string, keep: string): void {
  try {
    for (const f of readdirSync(dir))
      if (/^intel-snapshot-[0-9a-f]+\.sqlite$/.test(f) && f !== keep)
        rmSync(path.join(dir, f), { force: true });
  } catch {
    // Best effort: a leftover file costs disk space, nothing else.
  }
}

function attachedSchemas(db: Database): string[] {
  return (db.pragma('database_list') as { name: string }[]).map((r) => r.name);
}

/** Whether the snapshot cache is attached to this store. */
export function snapshotAttached(db: Database): boolean {
  return attachedSchemas(db).includes(SNAPSHOT_SCHEMA);
}

/** Attaches the cache file for this version, building it first when needed; false when impossible. */
function attachCache(db: Database, manifest: SnapshotManifest, dataDir: string, cacheDir: string): boolean {
  const file = path.join(cacheDir, `intel-snapshot-${manifest.version}.sqlite`);
  if (snapshotAttached(db)) {
    const current = (db.pragma('database_list') as { name: string; file: string }[]).find(
      (r) => r.name === SNAPSHOT_SCHEMA,
    );
    if (current && path.resolve(current.file) === path.resolve(file)) return true;
    db.prepare('DETACH DATABASE ?').run(SNAPSHOT_SCHEMA);
  }
  try {
    if (!cacheFileValid(file, manifest.version)) buildCacheFile(manifest, dataDir, file);
    db.prepare('ATTACH DATABASE ? AS intel_snap').run(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes the shipped snapshot available in this store: attaches (building once per machine) the
 * snapshot cache, and writes the datasets' provenance, the popular domains and the brand list into
 * the store unless this version is already there. Feed datasets are left alone.
 */
export function ensureSnapshot(db: Database, opts: SnapshotOptions = {}): SnapshotLoad {
  ensureIntelSchema(db);
  const t0 = performance.now();
  const dir = opts.dataDir ?? intelDataDir();
  const manifest = readManifest(dir);
  if (getMeta(db, SNAPSHOT_DISABLED_KEY) === '1')
    return { version: manifest.version, loaded: false, location: 'store', rows: 0, ms: 0 };
  const cacheDir = opts.cacheDir === undefined ? snapshotCacheDir() : opts.cacheDir;
  const inCache = cacheDir !== null && attachCache(db, manifest, dir, cacheDir);
  const location = inCache ? 'cache' : 'store';
  const stored = getMeta(db, SNAPSHOT_VERSION_KEY);
  const storedLocation = getMeta(db, 'snapshot_location') ?? 'store';
  if (stored === manifest.version && storedLocation === location)
    return {
      version: manifest.version,
      loaded: false,
      location: storedLocation as 'cache' | 'store',
      rows: 0,
      ms: performance.now() - t0,
    };
  const loadedAt = (opts.now ?? new Date()).toISOString();
  let rows = 0;
  db.transaction(() => {
    // Entries of an older snapshot held in the store itself, and datasets no longer shipped.
    for (const d of listDatasets(db)) {
      if (d.origin !== 'snapshot' || d.kind !== 'blocklist') continue;
      clearDatasetRows(db, d.name);
      if (!manifest.datasets.some((x) => x.name === d.name))
        db.prepare('DELETE FROM intel_dataset WHERE name = ?').run(d.name);
    }
    const counts = inCache
      ? new Map(manifest.datasets.map((d) => [d.name, d.rows]))
      : insertEntries(manifest, dir, (dataset) => entryWriter(db, dataset));
    for (const d of manifest.datasets) {
      const n = counts.get(d.name) ?? 0;
      rows += n;
      putDataset(db, { ...datasetInfo(d, 'blocklist', loadedAt, manifest.version), rows: n });
    }
    const p = manifest.popular;
    clearDatasetRows(db, p.name);
    const ins = db.prepare('INSERT OR IGNORE INTO intel_popular (domain, dataset, rank) VALUES (?, ?, ?)');
    let rank = 0;
    for (const domain of gunzipSync(readFileSync(path.join(dir, p.file)))
      .toString('utf8')
      .split('\n')) {
      if (domain) ins.run(domain, p.name, ++rank);
    }
    putDataset(db, { ...datasetInfo(p, 'popular', loadedAt, manifest.version), rows: rank });
    rows += rank;
    const brands = JSON.parse(readFileSync(path.join(dir, BRANDS_FILE), 'utf8')) as { brands: Brand[] };
    db.prepare('DELETE FROM intel_brand').run();
    const insBrand = db.prepare(
      'INSERT INTO intel_brand (name, sector, domains, keywords, phish_count) VALUES (?, ?, ?, ?, ?)',
    );
    for (const b of brands.brands)
      insBrand.run(b.name, b.sector, b.domains.join(' '), b.keywords.join(' '), b.phishCount);
    putDataset(db, {
      name: 'brands',
      kind: 'brands',
      origin: 'snapshot',
      title: 'Curated brands and their official domains',
      source: 'Suspect (scripts/build-brands.ts), counts from PhishTank and JPCERT target brands',
      licence: 'Apache-2.0 (Suspect)',
      dataDate: manifest.built,
      loadedAt,
      rows: brands.brands.length,
      version: manifest.version,
    });
    setMeta(db, SNAPSHOT_VERSION_KEY, manifest.version);
    setMeta(db, 'snapshot_location', location);
  })();
  return { version: manifest.version, loaded: true, location, rows, ms: performance.now() - t0 };
}

function datasetInfo(
  d: SnapshotDataset,
  kind: 'blocklist' | 'popular',
  loadedAt: string,
  version: string,
): DatasetInfo {
  return {
    name: d.name,
    kind,
    origin: 'snapshot',
    title: d.title,
    source: d.source,
    homepage: d.homepage,
    licence: d.licence,
    threat: d.threat,
    dataDate: d.dataDate,
    loadedAt,
    rows: d.rows,
    version,
  };
}
