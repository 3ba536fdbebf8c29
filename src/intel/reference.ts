// Reference lists shipped with Suspect and kept in memory: the curated brands, shared-hosting /
// shortener domains and the popular-domain ranking. They steer both engines: what counts as an
// official domain, what must never be blocklisted whole, and what lookalikes are measured against.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { bareHost, splitHost } from './domains.js';
import { intelDataDir } from './paths.js';

export interface Brand {
  name: string;
  sector: string;
  /** Official registrable domains (or suffixes such as gov.uk); their sub-hosts are official too. */
  domains: string[];
  keywords: string[];
  commonWord: boolean;
  anyCcTld: boolean;
  phishCount: number;
}

export interface ReferenceLists {
  brands: Brand[];
  /** Suffix → 'hosting' | 'shortener'. */
  sharedHosting: Map<string, 'hosting' | 'shortener'>;
  /** Popular registrable domain → rank (1 = most popular). */
  popular: Map<string, number>;
  /** Official domain → brand. */
  official: Map<string, Brand>;
}

export const POPULAR_FILE = 'popular-majestic.txt.gz';
export const BRANDS_FILE = 'brands.json';
export const SHARED_HOSTING_FILE = 'shared-hosting.txt';

let cached: ReferenceLists | undefined;

export function parseSharedHosting(text: string): Map<string, 'hosting' | 'shortener'> {
  const map = new Map<string, 'hosting' | 'shortener'>();
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const [domain, comment] = t.split('#').map((s) => s.trim());
    map.set(domain.toLowerCase(), comment === 'shortener' ? 'shortener' : 'hosting');
  }
  return map;
}

export function buildReference(
  brands: Brand[],
  sharedHosting: Map<string, 'hosting' | 'shortener'>,
  popularInRankOrder: string[],
): ReferenceLists {
  const popular = new Map<string, number>();
  popularInRankOrder.forEach((d, i) => {
    if (!popular.has(d)) popular.set(d, i + 1);
  });
  const official = new Map<string, Brand>();
  for (const b of brands) for (const d of b.domains) if (!official.has(d)) official.set(d, b);
  return { brands, sharedHosting, popular, official };
}

/** The shipped lists, loaded once per process. */
export function referenceLists(): ReferenceLists {
  if (cached) return cached;
  const dir = intelDataDir();
  const brands = (JSON.parse(readFileSync(path.join(dir, BRANDS_FILE), 'utf8')) as { brands: Brand[] })
    .brands;
  const shared = parseSharedHosting(readFileSync(path.join(dir, SHARED_HOSTING_FILE), 'utf8'));
  const popular = gunzipSync(readFileSync(path.join(dir, POPULAR_FILE)))
    .toString('utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  cached = buildReference(brands, shared, popular);
  return cached;
}

/** Finds the entry of `map` that is `host` or one of its parent domains. */
function suffixLookup<V>(map: Map<string, V>, host: string): [string, V] | undefined {
  let h = host;
  for (;;) {
    const v = map.get(h);
    if (v !== undefined) return [h, v];
    const dot = h.indexOf('.');
    if (dot < 0) return undefined;
    h = h.slice(dot + 1);
  }
}

/** The brand whose official domain this host is (or is under). */
export function officialBrandOf(host: string, ref: ReferenceLists = referenceLists()): Brand | undefined {
  return suffixLookup(ref.official, bareHost(host))?.[1];
}

/** The shared-hosting / shortener suffix this host is or is under. */
export function sharedHostingOf(
  host: string,
  ref: ReferenceLists = referenceLists(),
): { suffix: string; kind: 'hosting' | 'shortener' } | undefined {
  const h = bareHost(host);
  const hit = suffixLookup(ref.sharedHosting, h);
  if (hit) return { suffix: hit[0], kind: hit[1] };
  // `blogspot.*`: one service on many country suffixes (blogspot.co.uk, blogspot.ro).
  const parts = splitHost(h);
  const wild = parts.label ? ref.sharedHosting.get(`${parts.label}.*`) : undefined;
  return wild && parts.registrable ? { suffix: parts.registrable, kind: wild } : undefined;
}

/**
 * True when a blocklist entry naming this host would condemn a whole popular, official or shared
 * service (`weebly.com`, `paypal.com`, `www.google.com`): such entries are list noise.
 */
export function isProtectedWholeHost(host: string, ref: ReferenceLists = referenceLists()): boolean {
  const h = bareHost(host);
  if (ref.sharedHosting.has(h) || ref.official.has(h) || sharedHostingOf(h, ref)?.suffix === h) return true;
  const reg = splitHost(h).registrable;
  return reg === h && ref.popular.has(h);
}
