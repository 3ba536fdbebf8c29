// The known-scam index in SQLite: one row per scam (title, normalised text, first seen, source,
// MinHash signature) and one row per LSH band key, so a lookup is LSH_BANDS primary-key probes.

import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3';
import type { Fingerprint } from './fingerprint.js';
import { bandKeys, SCHEME, type Signature, signatureFromBuffer, signatureToBuffer } from './minhash.js';

/** Normalised text kept per scam; bounds the store's size (1M scams) while keeping enough to show side by side. */
export const MAX_STORED_TEXT_CHARS = 8_000;
export const MAX_TITLE_CHARS = 200;
export const MAX_SOURCE_CHARS = 200;
/**
 * Rows read per band key. Someone who adds thousands of near-identical "scams" makes one bucket huge;
 * without this cap every lookup that touches it would read them all.
 */
export const MAX_BUCKET_ROWS = 1_000;
/** Candidates verified per lookup (most shared bands first), for the same reason. */
export const MAX_CANDIDATES = 200;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS scams (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  excerpt TEXT NOT NULL,
  complete INTEGER NOT NULL,
  first_seen TEXT,
  source TEXT NOT NULL,
  added_at TEXT NOT NULL,
  text_sha256 TEXT NOT NULL UNIQUE,
  signature BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS scam_lsh (
  key INTEGER NOT NULL,
  scam_id INTEGER NOT NULL,
  PRIMARY KEY (key, scam_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS scam_meta (
  name TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`;

export interface ScamEntry {
  id: number;
  title: string;
  /** Normalised text (placeholders for addresses, links, numbers, names), at most MAX_STORED_TEXT_CHARS. */
  excerpt: string;
  /** True when `excerpt` is the whole normalised text, so an exact similarity can be computed. */
  complete: boolean;
  /** YYYY-MM-DD or YYYY-MM, when known. */
  firstSeen?: string;
  source: string;
  addedAt: string;
}

export interface NewScam {
  title: string;
  fingerprint: Fingerprint;
  firstSeen?: string;
  source: string;
  addedAt?: string;
}

export interface AddResult {
  id: number;
  /** False when the same normalised text was already stored (under `id`). */
  added: boolean;
}

interface ScamRow {
  id: number;
  title: string;
  excerpt: string;
  complete: number;
  first_seen: string | null;
  source: string;
  added_at: string;
}

const FIRST_SEEN_RE = /^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$/;

/** Accepts YYYY-MM or YYYY-MM-DD (a full ISO timestamp is cut to its date). */
export function parseFirstSeen(value: string): string {
  const v = value.trim().slice(0, value.includes('T') ? 10 : undefined);
  if (!FIRST_SEEN_RE.test(v))
    throw new Error(`first-seen date must be YYYY-MM-DD or YYYY-MM, got "${value}"`);
  return v;
}

function clip(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}

function toEntry(r: ScamRow): ScamEntry {
  return {
    id: r.id,
    title: r.title,
    excerpt: r.excerpt,
    complete: r.complete === 1,
    firstSeen: r.first_seen ?? undefined,
    source: r.source,
    addedAt: r.added_at,
  };
}

export class ScamStore {
  readonly db: Database;
  private readonly insertScam: Statement;
  private readonly insertKey: Statement;
  private readonly bySha: Statement;
  private readonly byId: Statement;
  private readonly sigById: Statement;
  private readonly bucket: Statement;
  private readonly countStmt: Statement;
  private readonly anyStmt: Statement;
  private readonly lastIdStmt: Statement;
  private readonly metaGet: Statement;
  private readonly metaSet: Statement;

  constructor(db: Database) {
    this.db = db;
    db.exec(SCHEMA);
    this.insertScam = db.prepare(
      `INSERT INTO scams (title, excerpt, complete, first_seen, source, added_at, text_sha256, signature)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertKey = db.prepare('INSERT OR IGNORE INTO scam_lsh (key, scam_id) VALUES (?, ?)');
    this.bySha = db.prepare('SELECT id FROM scams WHERE text_sha256 = ?');
    this.byId = db.prepare(
      'SELECT id, title, excerpt, complete, first_seen, source, added_at FROM scams WHERE id = ?',
    );
    this.sigById = db.prepare('SELECT signature FROM scams WHERE id = ?');
    this.bucket = db.prepare(`SELECT scam_id FROM scam_lsh WHERE key = ? LIMIT ${MAX_BUCKET_ROWS}`).pluck();
    this.countStmt = db.prepare('SELECT count(*) AS n FROM scams');
    this.anyStmt = db.prepare('SELECT 1 FROM scams LIMIT 1');
    this.metaGet = db.prepare('SELECT value FROM scam_meta WHERE name = ?').pluck();
    this.metaSet = db.prepare(
      'INSERT INTO scam_meta (name, value) VALUES (?, ?) ON CONFLICT(name) DO UPDATE SET value = excluded.value',
    );
    this.lastIdStmt = db.prepare('SELECT max(id) AS id FROM scams');
  }

  getMeta(name: string): string | undefined {
    return this.metaGet.get(name) as string | undefined;
  }

  setMeta(name: string, value: string): void {
    this.metaSet.run(name, value);
  }

  /** False when the stored index was built with another hashing scheme (its signatures cannot be compared). */
  compatible(): boolean {
    const scheme = this.getMeta('scheme');
    return scheme === undefined ? !this.hasAny() : scheme === SCHEME;
  }

  /** Whether any scam is stored (one index probe, unlike count() which scans). */
  hasAny(): boolean {
    return this.anyStmt.get() !== undefined;
  }

  /** Highest id stored: grows with every addition, so it versions the data cheaply. */
  lastId(): number {
    return (this.lastIdStmt.get() as { id: number | null }).id ?? 0;
  }

  /** Exact number of stored scams; scans an index, so not for the per-message path. */
  count(): number {
    return (this.countStmt.get() as { n: number }).n;
  }

  /** Adds one scam; the same normalised text is stored once. */
  add(scam: NewScam): AddResult {
    if (!scam.fingerprint.usable) throw new Error('too little text to index as a known scam');
    if (!this.compatible())
      throw new Error(`the scam index was built with another scheme; expected ${SCHEME}`);
    const text = scam.fingerprint.normalised;
    const sha = createHash('sha256').update(text).digest('hex');
    const existing = this.bySha.get(sha) as { id: number } | undefined;
    if (existing) return { id: existing.id, added: false };
    const excerpt = clip(text, MAX_STORED_TEXT_CHARS);
    const run = this.db.transaction(() => {
      if (this.getMeta('scheme') === undefined) this.setMeta('scheme', SCHEME);
      const info = this.insertScam.run(
        clip(scam.title.trim() || 'Untitled scam', MAX_TITLE_CHARS),
        excerpt,
        excerpt.length === text.length ? 1 : 0,
        scam.firstSeen ? parseFirstSeen(scam.firstSeen) : null,
        clip(scam.source, MAX_SOURCE_CHARS),
        scam.addedAt ?? new Date().toISOString(),
        sha,
        signatureToBuffer(scam.fingerprint.signature),
      );
      const id = Number(info.lastInsertRowid);
      for (const key of bandKeys(scam.fingerprint.signature)) this.insertKey.run(key, id);
      return id;
    });
    return { id: run(), added: true };
  }

  /** Adds many scams in one transaction (much faster than one by one). */
  addMany(scams: Iterable<NewScam>): AddResult[] {
    return this.db.transaction(() => Array.from(scams, (s) => this.add(s)))();
  }

  get(id: number): ScamEntry | undefined {
    const row = this.byId.get(id) as ScamRow | undefined;
    return row ? toEntry(row) : undefined;
  }

  signature(id: number): Signature | undefined {
    const row = this.sigById.get(id) as { signature: Buffer } | undefined;
    return row ? signatureFromBuffer(row.signature) : undefined;
  }

  list(limit = 50, offset = 0): ScamEntry[] {
    const rows = this.db
      .prepare(
        'SELECT id, title, excerpt, complete, first_seen, source, added_at FROM scams ORDER BY id LIMIT ? OFFSET ?',
      )
      .all(limit, offset) as ScamRow[];
    return rows.map(toEntry);
  }

  /** Stored scams sharing at least one LSH band with the signature, most shared bands first. */
  candidates(sig: Signature): { id: number; bands: number }[] {
    const hits = new Map<number, number>();
    for (const key of bandKeys(sig)) {
      for (const id of this.bucket.all(key) as number[]) hits.set(id, (hits.get(id) ?? 0) + 1);
    }
    return [...hits]
      .map(([id, bands]) => ({ id, bands }))
      .sort((a, b) => b.bands - a.bands || a.id - b.id)
      .slice(0, MAX_CANDIDATES);
  }
}
