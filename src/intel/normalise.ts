// Canonical keys for blocklist matching. Feeds disagree on scheme, case, trailing slashes and
// `www.`, so entries and links are both reduced to `host[:port]/path?query`, lower-cased.

import { toAsciiHost } from './domains.js';

/** Longest URL we key; longer ones are cut (lists never hold such URLs; it bounds hashing work). */
export const MAX_URL_KEY_LENGTH = 2048;
/** Path prefixes tried per link; bounds lookups for URLs with hundreds of segments. */
export const MAX_PREFIX_SEGMENTS = 8;

/** Schemes without a web host; `mailto:a@b.c` must not be read as host `b.c`. */
const NON_WEB_SCHEME = /^(mailto|javascript|data|tel|sms|file|about|blob|vbscript|cid|news):/i;

export interface UrlKey {
  host: string;
  /** `host/path?query` without scheme, fragment, userinfo or default port. */
  key: string;
  /** Path (with leading '/') and query, lower-cased, '' for the root. */
  rest: string;
}

/** Hosts in lists: lower-case ASCII, no trailing dot, no `www.`; undefined when not a host. */
export function normaliseHost(entry: string): string | undefined {
  let h = entry.trim().toLowerCase();
  if (!h || h.startsWith('#') || h.startsWith('!')) return undefined;
  h = h.replace(/^\|\|/, '').replace(/\^?(\$.*)?$/, '');
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(h) || h.includes('/')) return undefined;
  h = h.replace(/:\d+$/, '');
  const ascii = h.startsWith('[') ? h : toAsciiHost(h);
  if (!ascii?.includes('.')) return undefined;
  return ascii.startsWith('www.') ? ascii.slice(4) : ascii;
}

/** Keys a URL (with or without scheme, adblock `||…$all` syntax tolerated). */
export function urlKey(input: string): UrlKey | undefined {
  let s = input.trim();
  if (!s || s.startsWith('#') || s.startsWith('!')) return undefined;
  s = s.replace(/^\|\|/, '').replace(/\$all$/, '');
  if (NON_WEB_SCHEME.test(s)) return undefined;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(s)) s = `http://${s}`;
  let u: URL;
  try {
    u = new URL(s);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:' && u.protocol !== 'ftp:') return undefined;
  let host = u.hostname.toLowerCase().replace(/\.$/, '');
  if (!host) return undefined;
  if (host.startsWith('www.')) host = host.slice(4);
  const port = u.port ? `:${u.port}` : '';
  let rest = (u.pathname + u.search).toLowerCase();
  if (rest === '/' || rest === '') rest = '';
  else if (rest.endsWith('/') && !u.search) rest = rest.slice(0, -1);
  const key = `${host}${port}${rest}`.slice(0, MAX_URL_KEY_LENGTH);
  return { host, key, rest };
}

/**
 * Keys to look up for a link, most specific first: the full key, the key without its query, then
 * each shorter path prefix (`h/a/b/c`, `h/a/b`, `h/a`). The bare host is left to host matching.
 */
export function urlLookupKeys(k: UrlKey): string[] {
  if (!k.rest) return [];
  const out = [k.key];
  const q = k.key.indexOf('?');
  let base = q >= 0 ? k.key.slice(0, q) : k.key;
  if (base.endsWith('/')) base = base.slice(0, -1);
  if (base !== k.key) out.push(base);
  const firstSlash = base.indexOf('/');
  if (firstSlash < 0) return out;
  for (let i = 0; i < MAX_PREFIX_SEGMENTS; i++) {
    const cut = base.lastIndexOf('/');
    if (cut <= firstSlash) break;
    base = base.slice(0, cut);
    out.push(base);
  }
  return out;
}
