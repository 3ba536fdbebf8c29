// Lexical and structural features of a URL for the URL classifier. Each feature has a stable name (hashed
// into the model) and can be put into words, so the engine can say *why* an address looks like phishing.
// Scheme, a leading "www." and a bare trailing "/" are left out on purpose: the labeled URL sets differ in
// how they write those (some list bare host names), so a model reading them would learn the data set.

import { parse } from 'tldts';

export interface UrlFeature {
  /** Stable name, e.g. 'n:subdomains' or 'w:path:login'. */
  name: string;
  value: number;
  /** The value for people (a count, a word), used in the explanation. */
  shown: string | number;
}

/** Longest URL read; phishing URLs padded to megabytes would otherwise cost time for nothing. */
export const MAX_URL_CHARS = 4096;
/** Most word tokens taken from one part of a URL, so a hostile URL cannot make a huge vector. */
const MAX_TOKENS_PER_PART = 40;
/** Tokens this long are random ids (session tokens, base64), counted instead of kept as words. */
const RANDOM_TOKEN_MIN = 20;

/** Length of the host letter sequences (character n-grams) used as features. */
const HOST_GRAM = 4;

/** Words phishers put inside host names without separators ("safeidlogin.com"); matched as substrings. */
const HOST_KEYWORDS = [
  'login',
  'signin',
  'logon',
  'secure',
  'account',
  'verify',
  'verif',
  'update',
  'confirm',
  'support',
  'service',
  'bank',
  'wallet',
  'auth',
  'webmail',
  'mail',
  'office',
  'outlook',
  'microsoft',
  'apple',
  'icloud',
  'paypal',
  'amazon',
  'netflix',
  'free',
  'bonus',
  'gift',
  'prize',
  'claim',
  'recover',
  'unlock',
  'billing',
  'payment',
  'invoice',
  'deliver',
  'parcel',
  'track',
  'help',
  'online',
  'customer',
  'client',
  'member',
  'security',
  'alert',
  'notice',
  'reward',
  'crypto',
  'coin',
  'airdrop',
  'meta',
  'facebook',
  'whatsapp',
  'google',
  'docu',
  'share',
  'drive',
  'cloud',
  'ipfs',
  'app',
  'web',
  'portal',
  'id',
];

function addNumber(out: UrlFeature[], name: string, count: number, scale: number, cap: number): void {
  if (count <= 0) return;
  out.push({ name, value: Math.min(count, cap) / scale, shown: count });
}

function words(part: string): string[] {
  return part
    .toLowerCase()
    .split(/[^a-z0-9\u00c0-\uffff]+|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[a-z])/)
    .filter((w) => w.length >= 2);
}

function shannonEntropy(s: string): number {
  if (!s) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  for (const c of counts.values()) {
    const p = c / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

interface SplitUrl {
  host: string;
  port: string;
  userinfo: string;
  path: string;
  query: string;
  fragment: string;
}

/** Splits by hand rather than with `new URL`: the data holds bare hosts and malformed URLs that we still read. */
function splitUrl(input: string): SplitUrl {
  let s = input.trim().slice(0, MAX_URL_CHARS);
  s = s.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const hashAt = s.indexOf('#');
  const fragment = hashAt >= 0 ? s.slice(hashAt + 1) : '';
  if (hashAt >= 0) s = s.slice(0, hashAt);
  const qAt = s.indexOf('?');
  const query = qAt >= 0 ? s.slice(qAt + 1) : '';
  if (qAt >= 0) s = s.slice(0, qAt);
  const slashAt = s.indexOf('/');
  let authority = slashAt >= 0 ? s.slice(0, slashAt) : s;
  const path = slashAt >= 0 ? s.slice(slashAt) : '';
  let userinfo = '';
  const atAt = authority.lastIndexOf('@');
  if (atAt >= 0) {
    userinfo = authority.slice(0, atAt);
    authority = authority.slice(atAt + 1);
  }
  let port = '';
  const portMatch = /:(\d*)$/.exec(authority);
  if (portMatch && !authority.startsWith('[')) {
    port = portMatch[1];
    authority = authority.slice(0, portMatch.index);
  }
  let host = authority.toLowerCase().replace(/\.$/, '');
  if (host.startsWith('www.')) host = host.slice(4);
  return { host, port, userinfo, path, query, fragment };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function urlFeatures(url: string): UrlFeature[] {
  const out: UrlFeature[] = [];
  const u = splitUrl(url);
  const info = parse(u.host, { allowPrivateDomains: true });
  const isIp = info.isIp === true || /^\[.*\]$/.test(u.host);

  if (isIp) out.push({ name: 'b:ip-host', value: 1, shown: u.host });
  if (u.userinfo) out.push({ name: 'b:userinfo', value: 1, shown: u.userinfo.slice(0, 40) });
  if (u.port && u.port !== '80' && u.port !== '443') out.push({ name: 'b:port', value: 1, shown: u.port });
  if (u.host.includes('xn--')) out.push({ name: 'b:punycode', value: 1, shown: u.host });
  if (/[^\x00-\x7f]/.test(u.host)) out.push({ name: 'b:non-ascii-host', value: 1, shown: u.host });
  if (info.isPrivate) out.push({ name: `b:private-suffix`, value: 1, shown: info.publicSuffix ?? '' });
  if (!isIp && !info.domain) out.push({ name: 'b:no-domain', value: 1, shown: u.host });

  const suffix = info.publicSuffix ?? '';
  if (!isIp && suffix)
    out.push({ name: `tld:${suffix.split('.').pop()}`, value: 1, shown: suffix.split('.').pop()! });
  if (info.isPrivate && suffix) out.push({ name: `host:${suffix}`, value: 1, shown: suffix });

  const sub = isIp ? '' : (info.subdomain ?? '');
  const subLabels = sub ? sub.split('.').filter(Boolean) : [];
  addNumber(out, 'n:subdomains', subLabels.length, 3, 8);
  addNumber(out, 'n:host-length-over-20', u.host.length - 20, 20, 60);
  addNumber(out, 'n:host-hyphens', (u.host.match(/-/g) ?? []).length, 3, 8);
  if (!isIp) addNumber(out, 'n:host-digits', (u.host.match(/[0-9]/g) ?? []).length, 4, 12);

  const label = isIp ? '' : (info.domainWithoutSuffix ?? '');
  const entropy = shannonEntropy(label);
  if (label.length >= 8 && entropy > 3.2) out.push({ name: 'b:random-domain', value: 1, shown: label });

  const hostWords = new Set<string>();
  for (const w of words(sub).slice(0, MAX_TOKENS_PER_PART)) hostWords.add(`w:sub:${w}`);
  for (const w of words(label).slice(0, MAX_TOKENS_PER_PART)) hostWords.add(`w:dom:${w}`);
  for (const n of hostWords) out.push({ name: n, value: 1, shown: n.slice(n.indexOf(':', 2) + 1) });
  const hostLower = isIp ? '' : u.host;
  // Letter sequences of the host catch misspellings and kit patterns that no word list has.
  const grams = new Set<string>();
  const padded = `^${hostLower.slice(0, 80)}$`;
  for (let i = 0; i + HOST_GRAM <= padded.length; i++) grams.add(padded.slice(i, i + HOST_GRAM));
  for (const g of grams) out.push({ name: `g:host:${g}`, value: 0.5, shown: g.replace(/[\^$]/g, '') });
  for (const k of HOST_KEYWORDS) {
    if (hostLower.includes(k)) out.push({ name: `k:host:${k}`, value: 1, shown: k });
  }

  const path = u.path === '/' ? '' : u.path;
  const decodedPath = safeDecode(path);
  const segments = path.split('/').filter(Boolean);
  addNumber(out, 'n:path-depth', segments.length, 3, 10);
  addNumber(out, 'n:path-length-over-30', path.length - 30, 50, 300);
  if (path.includes('//')) out.push({ name: 'b:double-slash', value: 1, shown: '//' });
  addNumber(
    out,
    'n:percent-escapes',
    (u.path.match(/%[0-9a-f]{2}/gi) ?? []).length + (u.query.match(/%[0-9a-f]{2}/gi) ?? []).length,
    5,
    30,
  );
  // The address pattern is slow to reject on a long tail; without an "@" it cannot match.
  const tail = safeDecode(`${path}?${u.query}#${u.fragment}`);
  if (tail.includes('@') && /[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,253}\.[a-z]{2,63}/i.test(tail)) {
    out.push({ name: 'b:email-in-url', value: 1, shown: 'an email address' });
  }
  const last = segments.at(-1) ?? '';
  const ext = /\.([a-z0-9]{1,5})$/i.exec(last)?.[1]?.toLowerCase();
  if (ext) out.push({ name: `ext:${ext}`, value: 1, shown: ext });

  let randomTokens = 0;
  const pathWords = new Set<string>();
  for (const raw of decodedPath.split(/[^A-Za-z0-9]+/)) {
    if (raw.length >= RANDOM_TOKEN_MIN) randomTokens++;
  }
  for (const w of words(decodedPath).slice(0, MAX_TOKENS_PER_PART)) {
    if (w.length < RANDOM_TOKEN_MIN && !/^\d+$/.test(w)) pathWords.add(`w:path:${w}`);
  }
  for (const n of pathWords) out.push({ name: n, value: 1, shown: n.slice(7) });

  const params = u.query ? u.query.split('&').filter(Boolean) : [];
  addNumber(out, 'n:query-params', params.length, 3, 10);
  const queryWords = new Set<string>();
  for (const p of params.slice(0, MAX_TOKENS_PER_PART)) {
    const key = p.split('=')[0].toLowerCase();
    if (key && key.length < RANDOM_TOKEN_MIN && /^[a-z_]+$/.test(key)) queryWords.add(`w:q:${key}`);
    const v = p.slice(key.length + 1);
    if (v.length >= RANDOM_TOKEN_MIN && /^[A-Za-z0-9_\-=%.]+$/.test(v)) randomTokens++;
  }
  for (const n of queryWords) out.push({ name: n, value: 1, shown: n.slice(4) });
  addNumber(out, 'n:random-tokens', randomTokens, 2, 6);
  if (u.fragment) out.push({ name: 'b:fragment', value: 1, shown: '#' });
  return out;
}

/** Puts one feature into words for the evidence list. */
export function describeUrlFeature(f: UrlFeature): string {
  const n = f.name;
  if (n === 'n:subdomains') return `the address has ${f.shown} subdomain${f.shown === 1 ? '' : 's'}`;
  if (n === 'n:host-length-over-20') return `the host name is ${Number(f.shown) + 20} characters long`;
  if (n === 'n:host-hyphens') return `the host name has ${f.shown} hyphen${f.shown === 1 ? '' : 's'}`;
  if (n === 'n:host-digits') return `the host name has ${f.shown} digit${f.shown === 1 ? '' : 's'}`;
  if (n === 'n:path-depth') return `the path is ${f.shown} folder${f.shown === 1 ? '' : 's'} deep`;
  if (n === 'n:path-length-over-30') return `the path is ${Number(f.shown) + 30} characters long`;
  if (n === 'n:percent-escapes') return `the address has ${f.shown} percent-encoded characters`;
  if (n === 'n:query-params') return `the address has ${f.shown} query parameter${f.shown === 1 ? '' : 's'}`;
  if (n === 'n:random-tokens')
    return `the address carries ${f.shown} long random-looking token${f.shown === 1 ? '' : 's'}`;
  if (n === 'b:ip-host') return `the host is a bare IP address (${f.shown})`;
  if (n === 'b:userinfo')
    return `the address has a user name before '@' ("${f.shown}"), which hides the real host`;
  if (n === 'b:port') return `the address names an unusual port (${f.shown})`;
  if (n === 'b:punycode') return `the host name is punycode (${f.shown}), which can hide lookalike letters`;
  if (n === 'b:non-ascii-host') return `the host name has non-Latin letters (${f.shown})`;
  if (n === 'b:private-suffix') return `the site is on a shared hosting or app platform (${f.shown})`;
  if (n === 'b:no-domain') return `the host "${f.shown}" has no registrable domain`;
  if (n === 'b:random-domain') return `the domain name "${f.shown}" looks random`;
  if (n === 'b:double-slash') return `the path contains '//'`;
  if (n === 'b:email-in-url') return 'an email address is written into the address';
  if (n === 'b:fragment') return `the address has a '#' fragment`;
  if (n.startsWith('tld:')) return `the top-level domain .${f.shown}`;
  if (n.startsWith('host:')) return `hosted under ${f.shown}`;
  if (n.startsWith('ext:')) return `the page ends in .${f.shown}`;
  if (n.startsWith('k:host:')) return `'${f.shown}' inside the host name`;
  if (n.startsWith('w:sub:')) return `the word '${f.shown}' in the subdomain`;
  if (n.startsWith('w:dom:')) return `the word '${f.shown}' in the domain name`;
  if (n.startsWith('w:path:')) return `the word '${f.shown}' in the path`;
  if (n.startsWith('g:host:')) return `the letters '${f.shown}' in the host name`;
  if (n.startsWith('w:q:')) return `the query parameter '${f.shown}'`;
  return n;
}
