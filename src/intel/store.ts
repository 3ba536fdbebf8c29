// The intel store: blocklists, popular domains and the brand list in SQLite, each dataset with its
// provenance (source, licence, data date, when loaded) and, for feeds, the HTTP validators used for
// conditional requests. Tables are created on the handle the caller opened (src/store/db.ts).

import type { Database } from 'better-sqlite3';
import { cachedStatement, execSchemaOnce } from '../store/statements.js';

export type DatasetOrigin = 'snapshot' | 'feed';
export type DatasetKind = 'blocklist' | 'popular' | 'brands';

export interface DatasetInfo {
  name: string;
  kind: DatasetKind;
  origin: DatasetOrigin;
  title: string;
  source: string;
  homepage?: string;
  licence: string;
  threat?: string;
  /** When the source published the data (YYYY-MM-DD), as far as known. */
  dataDate?: string;
  /** When it was loaded into this store (ISO). */
  loadedAt?: string;
  rows: number;
  version?: string;
  etag?: string;
  lastModified?: string;
  /** Last update attempt (ISO) and its error, for feeds. */
  checkedAt?: string;
  lastError?: string;
}

export const SCHEMA = `
CREATE TABLE IF NOT EXISTS intel_dataset (
  name TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  origin TEXT NOT NULL,
  title TEXT NOT NULL,
  source TEXT NOT NULL,
  homepage TEXT,
  licence TEXT NOT NULL,
  threat TEXT,
  data_date TEXT,
  loaded_at TEXT,
  rows INTEGER NOT NULL DEFAULT 0,
  version TEXT,
  etag TEXT,
  last_modified TEXT,
  checked_at TEXT,
  last_error TEXT
);
CREATE TABLE IF NOT EXISTS intel_host (
  host TEXT NOT NULL,
  dataset TEXT NOT NULL,
  first_seen TEXT,
  PRIMARY KEY (host, dataset)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS intel_url (
  url TEXT NOT NULL,
  dataset TEXT NOT NULL,
  first_seen TEXT,
  target TEXT,
  PRIMARY KEY (url, dataset)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS intel_popular (
  domain TEXT NOT NULL,
  dataset TEXT NOT NULL,
  rank INTEGER NOT NULL,
  PRIMARY KEY (domain, dataset)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS intel_brand (
  name TEXT PRIMARY KEY,
  sector TEXT,
  domains TEXT NOT NULL,
  keywords TEXT NOT NULL,
  phish_count INTEGER
);
CREATE TABLE IF NOT EXISTS intel_meta (
  key TEXT PRIMARY KEY,
  value TEXT
);
`;

/** Creates the intel tables on this handle (idempotent, cheap after the first call). */
export function ensureIntelSchema(db: Database): void {
  execSchemaOnce(db, SCHEMA);
}

interface DatasetRow {
  name: string;
  kind: DatasetKind;
  origin: DatasetOrigin;
  title: string;
  source: string;
  homepage: string | null;
  licence: string;
  threat: string | null;
  data_date: string | null;
  loaded_at: string | null;
  rows: number;
  version: string | null;
  etag: string | null;
  last_modified: string | null;
  checked_at: string | null;
  last_error: string | null;
}

function fromRow(r: DatasetRow): DatasetInfo {
  const info: DatasetInfo = {
    name: r.name,
    kind: r.kind,
    origin: r.origin,
    title: r.title,
    source: r.source,
    licence: r.licence,
    rows: r.rows,
  };
  if (r.homepage) info.homepage = r.homepage;
  if (r.threat) info.threat = r.threat;
  if (r.data_date) info.dataDate = r.data_date;
  if (r.loaded_at) info.loadedAt = r.loaded_at;
  if (r.version) info.version = r.version;
  if (r.etag) info.etag = r.etag;
  if (r.last_modified) info.lastModified = r.last_modified;
  if (r.checked_at) info.checkedAt = r.checked_at;
  if (r.last_error) info.lastError = r.last_error;
  return info;
}

export function listDatasets(db: Database): DatasetInfo[] {
  ensureIntelSchema(db);
  return (
    cachedStatement(db, 'SELECT * FROM intel_dataset ORDER BY kind, origin, name').all() as DatasetRow[]
  ).map(fromRow);
}

export function getDataset(db: Database, name: string): DatasetInfo | undefined {
  ensureIntelSchema(db);
  const r = db.prepare('SELECT * FROM intel_dataset WHERE name = ?').get(name) as DatasetRow | undefined;
  return r ? fromRow(r) : undefined;
}

/** Inserts or replaces a dataset's provenance row. */
export function putDataset(db: Database, d: DatasetInfo): void {
  ensureIntelSchema(db);
  db.prepare(
    `INSERT OR REPLACE INTO intel_dataset (name, kind, origin, title, source, homepage, licence, threat, data_date,
       loaded_at, rows, version, etag, last_modified, checked_at, last_error)
     VALUES (@name, @kind, @origin, @title, @source, @homepage, @licence, @threat, @dataDate, @loadedAt, @rows,
       @version, @etag, @lastModified, @checkedAt, @lastError)`,
  ).run({
    homepage: null,
    threat: null,
    dataDate: null,
    loadedAt: null,
    version: null,
    etag: null,
    lastModified: null,
    checkedAt: null,
    lastError: null,
    ...d,
  });
}

/** Records a failed or not-modified check on a feed without touching its rows. */
export function markChecked(db: Database, name: string, checkedAt: string, error?: string): void {
  ensureIntelSchema(db);
  db.prepare('UPDATE intel_dataset SET checked_at = ?, last_error = ? WHERE name = ?').run(
    checkedAt,
    error ?? null,
    name,
  );
}

/** Removes a dataset's rows (not its provenance row). */
export function clearDatasetRows(db: Database, name: string): void {
  ensureIntelSchema(db);
  db.prepare('DELETE FROM intel_host WHERE dataset = ?').run(name);
  db.prepare('DELETE FROM intel_url WHERE dataset = ?').run(name);
  db.prepare('DELETE FROM intel_popular WHERE dataset = ?').run(name);
}

export interface EntryWriter {
  host(host: string, firstSeen?: string): void;
  url(key: string, firstSeen?: string, target?: string): void;
  count(): number;
}

/** A writer of one dataset's entries; call inside a transaction for speed. */
export function entryWriter(db: Database, dataset: string): EntryWriter {
  ensureIntelSchema(db);
  const insHost = db.prepare('INSERT OR IGNORE INTO intel_host (host, dataset, first_seen) VALUES (?, ?, ?)');
  const insUrl = db.prepare(
    'INSERT OR IGNORE INTO intel_url (url, dataset, first_seen, target) VALUES (?, ?, ?, ?)',
  );
  let n = 0;
  return {
    host(host, firstSeen) {
      n += insHost.run(host, dataset, firstSeen || null).changes;
    },
    url(key, firstSeen, target) {
      n += insUrl.run(key, dataset, firstSeen || null, target || null).changes;
    },
    count: () => n,
  };
}

export function getMeta(db: Database, key: string): string | undefined {
  ensureIntelSchema(db);
  return (db.prepare('SELECT value FROM intel_meta WHERE key = ?').get(key) as { value: string } | undefined)
    ?.value;
}

export function setMeta(db: Database, key: string, value: string): void {
  ensureIntelSchema(db);
  db.prepare('INSERT OR REPLACE INTO intel_meta (key, value) VALUES (?, ?)').run(key, value);
}
