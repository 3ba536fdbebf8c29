// Peels link wrappers (mail-security rewriters and open redirects) to reach the real target.
// The wrapper stays in the evidence: a link behind a rewriter is still the rewriter's link.

import type { LinkWrapper } from '../../types.js';

/** A chain longer than this is a loop or an attack on the unwrapper. */
const MAX_UNWRAP_DEPTH = 8;

/** Query parameters that commonly carry a redirect target on open redirectors. */
const REDIRECT_PARAMS = [
  'url',
  'u',
  'q',
  'target',
  'dest',
  'destination',
  'redirect',
  'redirect_url',
  'redirect_uri',
  'redirecturl',
  'redir',
  'next',
  'goto',
  'link',
  'out',
  'r',
  'to',
  'continue',
  'returnurl',
  'return_url',
];

function tryUrl(s: string | null | undefined): URL | undefined {
  if (!s) return undefined;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u : undefined;
  } catch {
    return undefined;
  }
}

/** Proofpoint URL Defense v2: '-' stands for '%', '_' for '/'. */
function decodeProofpointV2(u: string): string {
  return decodeURIComponent(u.replace(/-/g, '%').replace(/_/g, '/'));
}

/**
 * Proofpoint URL Defense v3: https://urldefense.com/v3/__<url>__;<b64 replacement bytes>!!...
 * Each '*' in the URL is replaced by the next byte(s) of the base64-url block ('**' runs are length-coded).
 */
function decodeProofpointV3(href: string): string | undefined {
  const m = /^https?:\/\/urldefense(?:\.proofpoint)?\.com\/v3\/__(.+?)__;([^!]*)!/.exec(href);
  if (!m) return undefined;
  const [, url, b64] = m;
  const bytes = Buffer.from(b64.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString('utf8');
  const chars = [...bytes];
  let i = 0;
  return url.replace(/\*(\*.)?/g, (_all, run?: string) => {
    if (!run) return chars[i++] ?? '';
    const RUN_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const n = RUN_ALPHABET.indexOf(run[1]) + 2;
    const s = chars.slice(i, i + n).join('');
    i += n;
    return s;
  });
}

/** One step of unwrapping: returns the inner target and the wrapper kind, or undefined. */
export function unwrapOnce(href: string): { kind: string; inner: string } | undefined {
  const u = tryUrl(href);
  if (!u) return undefined;
  const host = u.hostname.toLowerCase();
  const p = u.searchParams;
  if (
    host.endsWith('safelinks.protection.outlook.com') ||
    host.endsWith('safelinks.protection.office365.us')
  ) {
    const inner = p.get('url');
    return inner ? { kind: 'safelinks', inner } : undefined;
  }
  if (host === 'urldefense.proofpoint.com' && u.pathname.startsWith('/v1/')) {
    const inner = p.get('u');
    return inner ? { kind: 'proofpoint-v1', inner } : undefined;
  }
  if (host === 'urldefense.proofpoint.com' && u.pathname.startsWith('/v2/')) {
    const inner = p.get('u');
    if (!inner) return undefined;
    try {
      return { kind: 'proofpoint-v2', inner: decodeProofpointV2(inner) };
    } catch {
      return undefined;
    }
  }
  if ((host === 'urldefense.com' || host === 'urldefense.proofpoint.com') && u.pathname.startsWith('/v3/')) {
    const inner = decodeProofpointV3(href);
    return inner ? { kind: 'proofpoint-v3', inner } : undefined;
  }
  if (/(^|\.)google\.[a-z.]+$/.test(host) && u.pathname === '/url') {
    const inner = p.get('q') ?? p.get('url');
    return inner && tryUrl(inner) ? { kind: 'google-redirect', inner } : undefined;
  }
  if (host === 'linkprotect.cudasvc.com') {
    const inner = p.get('a');
    return inner ? { kind: 'barracuda-linkprotect', inner } : undefined;
  }
  // Generic open redirect: any listed parameter whose value is itself an absolute http(s) URL.
  for (const [key, value] of p) {
    if (REDIRECT_PARAMS.includes(key.toLowerCase()) && tryUrl(value))
      return { kind: 'open-redirect', inner: value };
  }
  return undefined;
}

/** Unwraps repeatedly; returns the final target and the wrappers, outermost first. */
export function unwrap(href: string): { url: string; wrappers: LinkWrapper[] } {
  const wrappers: LinkWrapper[] = [];
  let cur = href;
  for (let i = 0; i < MAX_UNWRAP_DEPTH; i++) {
    const step = unwrapOnce(cur);
    if (!step || step.inner === cur) break;
    wrappers.push({ kind: step.kind, url: cur });
    cur = step.inner.trim();
  }
  return { url: cur, wrappers };
}
