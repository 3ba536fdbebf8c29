// `suspect intel update`: refreshes the feed datasets of the intel store from their public URLs with
// conditional requests (ETag / Last-Modified kept per feed). One feed failing never stops the others
// and never wipes what the store already holds.

import { gunzipSync } from 'node:zlib';
import type { Database } from 'better-sqlite3';
import { forgetBlocklistIndex } from './blocklist.js';
import { FEEDS, type FeedDef, parseFeed } from './feeds.js';
import { normaliseHost, urlKey } from './normalise.js';
import { isProtectedWholeHost } from './reference.js';
import {
  clearDatasetRows,
  ensureIntelSchema,
  entryWriter,
  getDataset,
  markChecked,
  putDataset,
} from './store.js';

/** Largest feed body accepted: PhishTank's full dump is ~10 MB; this stops a hostile server filling memory. */
export const MAX_FEED_BYTES = 256 * 1024 * 1024;
/** Time allowed per feed download. */
export const FEED_TIMEOUT_MS = 120_000;

export interface UpdateOptions {
  /** Only these feeds (by name); all by default. */
  feeds?: string[];
  /** Feed URL overrides by name (tests); else $SUSPECT_FEED_<NAME>, else the public URL. */
  urls?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  now?: () => Date;
  timeoutMs?: number;
  maxBytes?: number;
  onProgress?: (message: string) => void;
}

export interface FeedResult {
  feed: string;
  url: string;
  status: 'updated' | 'not-modified' | 'error';
  rows?: number;
  /** Entries skipped: malformed, or naming a whole popular / shared-hosting domain. */
  skipped?: number;
  error?: string;
  ms: number;
}

export function feedUrl(def: FeedDef, opts: Pick<UpdateOptions, 'urls' | 'env'> = {}): string {
  return opts.urls?.[def.name] ?? (opts.env ?? process.env)[def.env] ?? def.url;
}

export function selectFeeds(names?: string[]): FeedDef[] {
  if (!names?.length) return FEEDS;
  return names.map((n) => {
    const def = FEEDS.find((f) => f.name === n);
    if (!def) throw new Error(`unknown feed "${n}" (known: ${FEEDS.map((f) => f.name).join(', ')})`);
    return def;
  });
}

async function readCapped(res: Response, max: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? 0);
  if (declared > max) throw new Error(`the feed is ${declared} bytes, more than the ${max} allowed`);
  if (!res.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > max) throw new Error(`the feed is larger than the ${max} bytes allowed`);
    chunks.push(Buffer.from(chunk));
  }
  const buf = Buffer.concat(chunks);
  // Some mirrors serve the .gz without Content-Encoding.
  return buf[0] === 0x1f && buf[1] === 0x8b ? gunzipSync(buf, { maxOutputLength: max }) : buf;
}

function describeError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  const cause = e?.cause?.code ?? e?.cause?.message;
  return cause ? `unreachable (${cause})` : (e?.message ?? String(err));
}

async function updateFeed(db: Database, def: FeedDef, opts: UpdateOptions): Promise<FeedResult> {
  const t0 = performance.now();
  const now = (opts.now ?? (() => new Date()))();
  const url = feedUrl(def, opts);
  const progress = opts.onProgress ?? (() => {});
  const prev = getDataset(db, def.name);
  const result = (r: Omit<FeedResult, 'feed' | 'url' | 'ms'>): FeedResult => ({
    feed: def.name,
    url,
    ...r,
    ms: Math.round(performance.now() - t0),
  });
  try {
    const headers: Record<string, string> = { 'user-agent': 'suspect-intel-update (+https://github.com/)' };
    if (prev && prev.rows > 0) {
      if (prev.etag) headers['if-none-match'] = prev.etag;
      if (prev.lastModified) headers['if-modified-since'] = prev.lastModified;
    }
    progress(`${def.name}: fetching ${url}`);
    const res = await (opts.fetch ?? fetch)(url, {
      headers,
      signal: AbortSignal.timeout(opts.timeoutMs ?? FEED_TIMEOUT_MS),
    });
    if (res.status === 304) {
      await res.body?.cancel();
      markChecked(db, def.name, now.toISOString());
      progress(`${def.name}: not modified since the last update`);
      return result({ status: 'not-modified', rows: prev?.rows ?? 0 });
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new Error(`HTTP ${res.status} ${res.statusText}`.trim());
    }
    const body = await readCapped(res, opts.maxBytes ?? MAX_FEED_BYTES);
    progress(`${def.name}: ${body.length} bytes received, parsing`);
    const entries = parseFeed(def.format, body.toString('utf8'));
    if (entries.length === 0) throw new Error('the feed is empty');
    let skipped = 0;
    let rows = 0;
    db.transaction(() => {
      clearDatasetRows(db, def.name);
      const w = entryWriter(db, def.name);
      for (const e of entries) {
        const host = def.format === 'host-lines' ? normaliseHost(e.value) : undefined;
        const key = host ? undefined : urlKey(e.value);
        const h = host ?? (key && !key.rest ? key.host : undefined);
        if (h) {
          if (isProtectedWholeHost(h)) skipped++;
          else w.host(h, e.firstSeen);
        } else if (key) w.url(key.key, e.firstSeen, e.target);
        else skipped++;
      }
      rows = w.count();
      putDataset(db, {
        ...feedProvenance(def),
        dataDate: day(res.headers.get('last-modified')) ?? now.toISOString().slice(0, 10),
        loadedAt: now.toISOString(),
        rows,
        etag: res.headers.get('etag') ?? undefined,
        lastModified: res.headers.get('last-modified') ?? undefined,
        checkedAt: now.toISOString(),
      });
    })();
    progress(`${def.name}: ${rows} entries stored${skipped ? `, ${skipped} skipped` : ''}`);
    return result({ status: 'updated', rows, skipped });
  } catch (err) {
    const error = describeError(err);
    if (prev) markChecked(db, def.name, now.toISOString(), error);
    else
      putDataset(db, {
        ...feedProvenance(def),
        rows: 0,
        checkedAt: now.toISOString(),
        lastError: error,
      });
    progress(`${def.name}: failed: ${error}`);
    return result({ status: 'error', error });
  }
}

/** What the dataset row of a feed says about where it comes from, whether the fetch worked or not. */
function feedProvenance(def: FeedDef) {
  return {
    name: def.name,
    kind: 'blocklist',
    origin: 'feed',
    title: def.title,
    source: def.source,
    homepage: def.homepage,
    licence: def.licence,
    threat: def.threat,
  } as const;
}

function day(httpDate: string | null): string | undefined {
  if (!httpDate) return undefined;
  const d = new Date(httpDate);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString().slice(0, 10);
}

/** Updates the selected feeds one after another (politer to the feeds, and SQLite writes serially). */
export async function updateFeeds(db: Database, opts: UpdateOptions = {}): Promise<FeedResult[]> {
  ensureIntelSchema(db);
  const feeds = selectFeeds(opts.feeds);
  const results: FeedResult[] = [];
  for (const def of feeds) results.push(await updateFeed(db, def, opts));
  forgetBlocklistIndex(db);
  return results;
}
