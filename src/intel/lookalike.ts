// Lookalike and brand-impersonation checks on domain names: confusable skeletons (UTS #39), edit and
// keyboard distance, combosquats (`paypal-secure-login.example`), TLD swaps and brand names in
// sub-hosts. Pure functions over the shipped reference lists; the engine and the sender checks
// both build on `domainLookalike` and `brandLookalike`.

import { editDistance, isKeyboardTypo, withinOneEdit } from './distance.js';
import { type DomainParts, splitHost, toAsciiHost, toUnicodeHost } from './domains.js';
import {
  type Brand,
  officialBrandOf,
  type ReferenceLists,
  referenceLists,
  sharedHostingOf,
} from './reference.js';
import { skeleton } from './skeleton.js';

export type LookalikeKind = 'confusable' | 'edit' | 'keyboard' | 'combosquat' | 'tld-swap' | 'subdomain';

export interface LookalikeMatch {
  kind: LookalikeKind;
  /** Edit distance between the two labels (0 for confusables, TLD swaps and sub-host uses). */
  distance: number;
  /** The domain under suspicion, as given (registrable domain or host). */
  candidate: string;
  /** The domain it imitates. */
  reference: string;
}

export interface BrandMatch extends LookalikeMatch {
  /** Brand name from the curated list, or the popular domain imitated when no brand covers it. */
  brand: string;
  officialDomains: string[];
  /** The brand token found in the candidate. */
  keyword: string;
  /** True when the imitated reference is a popular domain rather than a curated brand. */
  popular?: boolean;
}

/** Labels shorter than this are never compared by edit distance: too many innocent neighbours. */
export const MIN_EDIT_LENGTH = 6;
/** From this label length on, two edits still count as a lookalike. */
export const TWO_EDITS_LENGTH = 9;
/** Brand keywords at least this long are looked for glued inside a label (`mypaypalhelp`). */
export const MIN_SUBSTRING_KEYWORD = 6;
/** Words inside a longer label are compared by edit distance from this length on. */
export const MIN_TOKEN_EDIT_LENGTH = 7;
/** TLDs far more common in phishing than in legitimate mail (Spamhaus / Interisle reports). */
export const RISKY_TLDS = new Set(
  'top xyz icu tk ml ga cf gq work best club info online site live shop buzz cyou rest bar click link support cfd sbs monster quest bond vip asia cc ws pw fun space website life today store tech'.split(
    ' ',
  ),
);
/** Longest phishing word; bounds the segmentation of glued labels. */
const MAX_PHISHING_WORD = 16;
/** Popular domains compared against: only the very top are worth imitating. */
export const POPULAR_REFERENCE_TOP = 1000;
/** Popular labels shorter than this are not compared (`bbc`, `cnn` have hundreds of neighbours). */
export const MIN_POPULAR_EDIT_LENGTH = 7;
/** Hosts longer than this are cut before token checks (bounds work on hostile input). */
export const MAX_HOST_LENGTH = 253;

/** Words phishing domains pair with a brand: `dhl-tracking`, `apple-id-verify`, `secure-chase`. */
export const PHISHING_WORDS = new Set(
  `login logon signin sign secure security verify verification verified account accounts acct update updates
  support service services help helpdesk billing payment payments pay confirm confirmation auth authentication
  unlock unlocked recovery recover alert alerts notice notification notifications online web webmail mail
  id customer customers client clients wallet refund refunds claim bonus gift reward rewards prize track
  tracking trace delivery deliver parcel package packages shipping shipment invoice invoices docs document
  documents portal app apps center centre check checking validation validate reset password access member
  members my official team care desk info review limited suspend suspended restore safe protect protection
  sso token connect session renew renewal order orders shop store card cards bank banking tax gov free win
  promo points point cash money transfer fee fees redelivery post mypage jp japan us usa uk home net site
  cloud drive share file files storage sync live inc corp co group global intl international service-center`
    .split(/\s+/)
    .filter(Boolean),
);

/** Tokens of a label: hyphen/dot-separated words, plus their purely alphabetic pieces (`office365` → `office`). */
/** Whether s is made only of phishing words and digits (`securelogin`, `help24`): glue around a brand. */
export function isPhishingGlue(s: string): boolean {
  if (!s) return true;
  if (s.length > 64) return false;
  const ok = new Array<boolean>(s.length + 1).fill(false);
  ok[0] = true;
  for (let i = 0; i < s.length; i++) {
    if (!ok[i]) continue;
    if (/[0-9]/.test(s[i])) {
      let j = i;
      while (j < s.length && /[0-9]/.test(s[j])) j++;
      ok[j] = true;
      continue;
    }
    for (let j = i + 2; j <= Math.min(s.length, i + MAX_PHISHING_WORD); j++)
      if (PHISHING_WORDS.has(s.slice(i, j))) ok[j] = true;
  }
  return ok[s.length];
}

function tokens(s: string): string[] {
  const out: string[] = [];
  for (const t of s.split(/[^a-z0-9]+/)) {
    if (!t) continue;
    out.push(t);
    if (/[0-9]/.test(t)) for (const p of t.split(/[0-9]+/)) if (p) out.push(p);
  }
  return out;
}

/** Country-code TLDs sold and used as generic ones (`.co` for `.com`, `.io`, `.me`): a swap to them is no local site. */
const GENERIC_CCTLDS = new Set(
  'co io me tv cc ws ai la to nu gg ly sh fm am vc so pw tk ml ga cf gq cm ac bz in'.split(' '),
);

/** Whether a suffix is a country-code one (`de`, `co.uk`, `com.br`). */
function isCountrySuffix(suffix: string | undefined): boolean {
  if (!suffix) return false;
  const last = suffix.slice(suffix.lastIndexOf('.') + 1);
  return last.length === 2 && (suffix.includes('.') || !GENERIC_CCTLDS.has(last));
}

/** Any two-letter TLD, generic-use ones included: global brands register them all (google.gg). */
function isAnyCountrySuffix(suffix: string | undefined): boolean {
  return Boolean(suffix) && suffix!.slice(suffix!.lastIndexOf('.') + 1).length === 2;
}

function labelUnicode(parts: DomainParts): string {
  return parts.label ? toUnicodeHost(parts.label) : '';
}

function maxEdits(len: number, minLength: number): number {
  if (len < minLength) return 0;
  return len >= TWO_EDITS_LENGTH ? 2 : 1;
}

function parse(domain: string): DomainParts | undefined {
  // Keep the owner's end of an over-long host: the registrable domain is on the right.
  let d = domain;
  if (d.length > MAX_HOST_LENGTH) {
    d = d.slice(-MAX_HOST_LENGTH);
    d = d.slice(d.indexOf('.') + 1);
  }
  const ascii = toAsciiHost(d) || d.toLowerCase();
  const parts = splitHost(ascii);
  if (parts.isIp || !parts.registrable || !parts.label) return undefined;
  return parts;
}

/**
 * How `candidate` imitates `reference` (two domains or hosts), or undefined when it does not or
 * when both belong to the same registrable domain. Used for a known contact's or a brand's domain.
 */
export function domainLookalike(candidate: string, reference: string): LookalikeMatch | undefined {
  const c = parse(candidate);
  const r = parse(reference);
  if (!c || !r || c.registrable === r.registrable) return undefined;
  const cl = c.label!;
  const rl = r.label!;
  const base = { candidate: c.host, reference: r.registrable! };
  if (cl === rl) return { kind: 'tld-swap', distance: 0, ...base };
  const cu = labelUnicode(c);
  const ru = labelUnicode(r);
  if (skeleton(cu) === skeleton(ru)) return { kind: 'confusable', distance: editDistance(cu, ru), ...base };
  const max = maxEdits(Math.min(cl.length, rl.length), 4);
  if (max > 0) {
    const d = editDistance(cl, rl, max);
    if (d <= max) return { kind: isKeyboardTypo(cl, rl) ? 'keyboard' : 'edit', distance: d, ...base };
  }
  if (rl.length >= 3 && (tokens(cl).includes(rl) || (rl.length >= 5 && cl.includes(rl))))
    return { kind: 'combosquat', distance: cl.length - rl.length, ...base };
  if (c.subdomain && rl.length >= 3) {
    const sub = c.subdomain;
    if (sub.includes(r.registrable!) || tokens(sub).includes(rl))
      return { kind: 'subdomain', distance: 0, ...base };
  }
  return undefined;
}

// ───────────────────────────── brand index ─────────────────────────────

interface KeywordRef {
  keyword: string;
  brand?: Brand;
  /** An ordinary word (`apple`, `orange`): the brand's own name when the brand is a common word. Compounds (`appleid`, `ledgerlive`) are not. */
  weak?: boolean;
  /** Popular domain imitated when no brand applies. */
  popularDomain?: string;
}

interface BrandIndex {
  ref: ReferenceLists;
  /** Exact keyword → reference. */
  byKeyword: Map<string, KeywordRef>;
  /** Skeleton of keyword → reference. */
  bySkeleton: Map<string, KeywordRef>;
  /** Keywords usable for edit distance, bucketed by length. */
  byLength: Map<number, KeywordRef[]>;
  /** The same, brand keywords only. */
  brandByLength: Map<number, KeywordRef[]>;
  /** Keywords matched as substrings (long, distinctive). */
  substrings: KeywordRef[];
  /** Brand keywords of 4–5 letters, glued only to a phishing word (`ebaylogin`). */
  shortBrandKeywords: KeywordRef[];
  /** Keyword and each of its one-letter deletions → keywords: finds edit-1 neighbours in O(length). */
  byDeletion: Map<string, KeywordRef[]>;
  /** Official domains with their dashed form (`paypal-com`), by first label, to find them spelled inside sub-hosts. */
  officialForms: Map<string, { domain: string; dashed: string; brand: Brand }[]>;
}

function deletions(s: string): string[] {
  const out = [s];
  for (let i = 0; i < s.length; i++) out.push(s.slice(0, i) + s.slice(i + 1));
  return out;
}

/** Edit-1 neighbours of s among the indexed keywords (verified, so no false candidates). */
function oneEditNeighbours(s: string, idx: BrandIndex): KeywordRef[] {
  const seen = new Set<KeywordRef>();
  for (const d of deletions(s)) for (const r of idx.byDeletion.get(d) ?? []) if (r.keyword !== s) seen.add(r);
  return [...seen].filter((r) => withinOneEdit(s, r.keyword));
}

const indexes = new WeakMap<ReferenceLists, BrandIndex>();

function buildIndex(ref: ReferenceLists): BrandIndex {
  const byKeyword = new Map<string, KeywordRef>();
  const bySkeleton = new Map<string, KeywordRef>();
  const byLength = new Map<number, KeywordRef[]>();
  const substrings: KeywordRef[] = [];
  const byDeletion = new Map<string, KeywordRef[]>();
  const add = (r: KeywordRef, editMin: number) => {
    if (byKeyword.has(r.keyword)) return;
    byKeyword.set(r.keyword, r);
    const sk = skeleton(r.keyword);
    if (!bySkeleton.has(sk)) bySkeleton.set(sk, r);
    if (r.keyword.length >= editMin && !r.weak) {
      const list = byLength.get(r.keyword.length) ?? [];
      list.push(r);
      byLength.set(r.keyword.length, list);
      for (const d of deletions(r.keyword)) {
        const l = byDeletion.get(d) ?? [];
        if (!l.includes(r)) l.push(r);
        byDeletion.set(d, l);
      }
    }
    if (r.brand && !r.weak && r.keyword.length >= MIN_SUBSTRING_KEYWORD) substrings.push(r);
  };
  // Brands first, most phished first, so a shared keyword goes to the likelier target.
  for (const brand of ref.brands) {
    // The common word is the brand's own name (`apple` of apple.com), not its compounds (`icloud`, `appleid`).
    const plain = new Set([
      brand.domains[0]?.split('.')[0],
      brand.name.toLowerCase().replace(/[^a-z0-9]/g, ''),
    ]);
    for (const kw of brand.keywords) {
      const keyword = kw.replace(/-/g, '');
      const weak = brand.commonWord && plain.has(keyword);
      add({ keyword, brand, weak }, MIN_EDIT_LENGTH);
    }
  }
  let n = 0;
  for (const [domain] of ref.popular) {
    if (++n > POPULAR_REFERENCE_TOP) break;
    if (ref.sharedHosting.has(domain)) continue;
    const label = splitHost(domain).label;
    if (!label || label.length < MIN_POPULAR_EDIT_LENGTH || !/^[a-z]+$/.test(label)) continue;
    add({ keyword: label, popularDomain: domain }, MIN_POPULAR_EDIT_LENGTH);
  }
  const shortBrandKeywords = [...byKeyword.values()].filter(
    (r) => r.brand && r.keyword.length >= 4 && r.keyword.length < MIN_SUBSTRING_KEYWORD,
  );
  const officialForms = new Map<string, { domain: string; dashed: string; brand: Brand }[]>();
  for (const brand of ref.brands)
    for (const domain of brand.domains) {
      const first = domain.split('.')[0];
      const list = officialForms.get(first) ?? [];
      list.push({ domain, dashed: domain.replace(/\./g, '-'), brand });
      officialForms.set(first, list);
    }
  const brandByLength = new Map([...byLength].map(([len, refs]) => [len, refs.filter((r) => r.brand)]));
  return {
    ref,
    byKeyword,
    bySkeleton,
    byLength,
    brandByLength,
    substrings,
    shortBrandKeywords,
    byDeletion,
    officialForms,
  };
}

const domainMaps = new WeakMap<ReferenceLists, Map<string, ReferenceLists['brands'][number]>>();

/** Official domain → brand, first brand listed wins. */
function brandsByDomain(ref: ReferenceLists): Map<string, ReferenceLists['brands'][number]> {
  let m = domainMaps.get(ref);
  if (!m) {
    m = new Map();
    for (const b of ref.brands) for (const d of b.domains) if (!m.has(d)) m.set(d, b);
    domainMaps.set(ref, m);
  }
  return m;
}

function brandIndex(ref: ReferenceLists): BrandIndex {
  let idx = indexes.get(ref);
  if (!idx) {
    idx = buildIndex(ref);
    indexes.set(ref, idx);
  }
  return idx;
}

function toMatch(kind: LookalikeKind, distance: number, candidate: string, r: KeywordRef): BrandMatch {
  const officialDomains = r.brand ? r.brand.domains : [r.popularDomain!];
  return {
    kind,
    distance,
    candidate,
    reference: officialDomains[0],
    brand: r.brand ? r.brand.name : r.popularDomain!,
    officialDomains,
    keyword: r.keyword,
    ...(r.brand ? {} : { popular: true }),
  };
}

/** A brand keyword used as a token or glued to a phishing word; undefined otherwise. */
function keywordInLabel(
  label: string,
  idx: BrandIndex,
  kind: LookalikeKind,
  candidate: string,
  /** Accept any glue around a long brand keyword (risky TLDs, sub-hosts of unknown domains). */
  looseGlue = false,
): BrandMatch | undefined {
  const toks = tokens(label);
  const hasPhishWord = toks.some((t) => PHISHING_WORDS.has(t));
  for (const t of toks) {
    const r = idx.byKeyword.get(t);
    if (!r?.brand) continue;
    if (t === label) continue; // the whole label: a TLD swap or nothing, judged elsewhere
    const weak = r.weak || t.length <= 4;
    if (!weak || hasPhishWord) return toMatch(kind, label.length - t.length, candidate, r);
  }
  // Glued forms: `paypalsecure`, `secureamazon`, `mypaypalhelp`, `paypalsecurelogin`, but not
  // `nintendolife` or `wwnorton`: what surrounds the brand must be phishing words or digits.
  for (const t of toks) {
    for (const r of idx.substrings) {
      const at = t.indexOf(r.keyword);
      if (at < 0 || t === r.keyword) continue;
      if (looseGlue || (isPhishingGlue(t.slice(0, at)) && isPhishingGlue(t.slice(at + r.keyword.length))))
        return toMatch(kind, t.length - r.keyword.length, candidate, r);
    }
    for (const r of idx.shortBrandKeywords) {
      const kw = r.keyword;
      if (t === kw || r.weak) continue;
      const rest = t.startsWith(kw)
        ? t.slice(kw.length)
        : t.endsWith(kw)
          ? t.slice(0, -kw.length)
          : undefined;
      if (rest && (looseGlue || isPhishingGlue(rest))) return toMatch(kind, rest.length, candidate, r);
    }
  }
  // A misspelt brand as one word of several: `host9-rakanten`, `amazom-support`.
  for (const t of toks) {
    if (t.length < MIN_TOKEN_EDIT_LENGTH || t === label) continue;
    const r = oneEditNeighbours(t, idx).find((x) => x.brand && x.keyword.length >= MIN_TOKEN_EDIT_LENGTH);
    if (r) return toMatch(isKeyboardTypo(t, r.keyword) ? 'keyboard' : 'edit', 1, candidate, r);
  }
  return undefined;
}

/** Confusable / edit / keyboard match of a whole label against brand and popular keywords. */
function labelLookalike(
  labelAscii: string,
  labelUni: string,
  idx: BrandIndex,
  candidate: string,
): BrandMatch | undefined {
  const flat = labelUni.replace(/-/g, '');
  const sk = skeleton(flat);
  const bySk = idx.bySkeleton.get(sk);
  if (bySk && bySk.keyword !== labelAscii && bySk.keyword.length >= 3) {
    // `aeon-card` for `aeoncard`: only hyphens added, a combosquat rather than a homoglyph.
    if (flat === bySk.keyword) return toMatch('combosquat', labelUni.length - flat.length, candidate, bySk);
    return toMatch('confusable', editDistance(flat, bySk.keyword), candidate, bySk);
  }
  const l = labelAscii;
  if (!/^[a-z0-9-]+$/.test(l)) return undefined;
  if (idx.byKeyword.has(l)) return undefined; // the label is itself a keyword: not a typo of another one
  let best: { d: number; r: KeywordRef } | undefined;
  const editMin = (r: KeywordRef) => (r.brand ? MIN_EDIT_LENGTH : MIN_POPULAR_EDIT_LENGTH);
  // One edit: from the deletion index, in O(length).
  for (const r of oneEditNeighbours(l, idx)) {
    if (Math.min(l.length, r.keyword.length) < editMin(r)) continue;
    if (!best || (r.brand && !best.r.brand)) best = { d: 1, r };
  }
  // Two edits only for long labels: few keywords are that long, scan them.
  if (!best && l.length >= TWO_EDITS_LENGTH - 1) {
    for (let len = l.length - 2; len <= l.length + 2; len++) {
      // Two edits away from a popular name is too common among innocent names: brands only.
      for (const r of idx.brandByLength.get(len) ?? []) {
        if (maxEdits(Math.min(l.length, r.keyword.length), editMin(r)) < 2) continue;
        const d = editDistance(l, r.keyword, 2);
        if (d <= 2 && (!best || d < best.d || (d === best.d && r.brand && !best.r.brand))) best = { d, r };
      }
    }
  }
  if (!best) return undefined;
  return toMatch(isKeyboardTypo(l, best.r.keyword) ? 'keyboard' : 'edit', best.d, candidate, best.r);
}

/**
 * Which brand (or top popular domain) a domain or host imitates, if any. Official domains, and
 * popular domains other than shared hosting, never match.
 */
/** Hosts remembered per reference list; links repeat hosts within and across messages (a newsletter
 *  links one host fifty times). Bounded: the memo is dropped when full, so hostile input cannot grow it. */
const MAX_MEMO_HOSTS = 20_000;
const memos = new WeakMap<ReferenceLists, Map<string, BrandMatch | undefined>>();

export function brandLookalike(
  domain: string,
  ref: ReferenceLists = referenceLists(),
): BrandMatch | undefined {
  let memo = memos.get(ref);
  if (!memo) {
    memo = new Map();
    memos.set(ref, memo);
  }
  const key = domain.toLowerCase();
  if (memo.has(key)) return memo.get(key);
  if (memo.size >= MAX_MEMO_HOSTS) memo.clear();
  const m = brandLookalikeUncached(domain, ref);
  memo.set(key, m);
  return m;
}

function brandLookalikeUncached(domain: string, ref: ReferenceLists): BrandMatch | undefined {
  const parts = parse(domain);
  if (!parts) return undefined;
  const idx = brandIndex(ref);
  const host = parts.host;
  const shared = sharedHostingOf(host, ref);
  const official = officialBrandOf(host, ref);
  // A brand's own shared service (`x.sharepoint.com`, `sites.google.com`) still has tenants anyone names.
  if (official && !shared) return undefined;
  if (shared) {
    if (shared.suffix === host || `www.${shared.suffix}` === host) return undefined;
    // The tenant part is what the attacker chose: `paypal-login.weebly.com`, `paypa1.github.io`.
    const tenant = host.slice(0, host.length - shared.suffix.length - 1);
    const owner = tenant.slice(tenant.lastIndexOf('.') + 1);
    const hit =
      keywordInLabel(tenant, idx, 'subdomain', host, true) ??
      (owner.length >= MIN_EDIT_LENGTH ? labelLookalike(owner, toUnicodeHost(owner), idx, host) : undefined);
    const exact = idx.byKeyword.get(owner);
    const found = hit ?? (exact?.brand && !exact.weak ? toMatch('subdomain', 0, host, exact) : undefined);
    // `microsoft.sharepoint.com` names the service's own brand: no impersonation.
    if (!found || (official && found.brand === official.name)) return undefined;
    return { ...found, kind: found.kind === 'combosquat' ? 'subdomain' : found.kind };
  }
  if (ref.popular.has(parts.registrable!)) return undefined;
  const label = parts.label!;
  // Same label as a brand on another TLD: `paypal.co`, `amazon.shop`. Under a private suffix
  // (`twitter.map.fastly.net`) the label is a CDN customer name, not a registration.
  const same = parts.isPrivateSuffix ? undefined : idx.byKeyword.get(label);
  if (
    same?.brand &&
    !same.weak &&
    !(same.brand.anyCcTld ? isAnyCountrySuffix(parts.suffix) : isCountrySuffix(parts.suffix))
  )
    return toMatch('tld-swap', 0, host, same);
  const look = labelLookalike(label, labelUnicode(parts), idx, host);
  if (look) return look;
  const riskyTld = RISKY_TLDS.has(parts.suffix?.slice(parts.suffix.lastIndexOf('.') + 1) ?? '');
  const combo = keywordInLabel(label, idx, 'combosquat', host, riskyTld);
  if (combo) return combo;
  // Homoglyphs inside a combosquat: `paypa1-login`, `micros0ft-office365`.
  const skLabel = skeleton(labelUnicode(parts));
  if (skLabel !== label && /^[a-z0-9-]+$/.test(skLabel)) {
    const hidden = keywordInLabel(skLabel, idx, 'combosquat', host);
    if (hidden) return { ...hidden, kind: 'confusable' };
  }
  if (parts.subdomain) {
    const sub = parts.subdomain;
    // `paypal.com.account-verify.net`: an official domain spelled out in the sub-host.
    for (const t of new Set(sub.split(/[.-]/))) {
      for (const f of idx.officialForms.get(t) ?? []) {
        if (
          sub === f.domain ||
          sub.endsWith(`.${f.domain}`) ||
          sub.includes(`${f.domain}.`) ||
          sub.includes(f.dashed)
        )
          return toMatch('subdomain', 0, host, { keyword: f.domain, brand: f.brand });
      }
    }
    const inSub = keywordInLabel(sub, idx, 'subdomain', host, true);
    if (inSub) return inSub;
    const whole = tokens(sub)
      .map((t) => idx.byKeyword.get(t))
      .find((r) => r?.brand && !r.weak && r.keyword.length >= 4);
    if (whole) return toMatch('subdomain', 0, host, whole);
  }
  return undefined;
}

/** Brand keywords used in a URL path of a non-official host (`/paypal/login.php`), for weaker evidence. */
export function brandInPath(
  pathAndQuery: string,
  ref: ReferenceLists = referenceLists(),
): BrandMatch | undefined {
  const idx = brandIndex(ref);
  const lower = pathAndQuery.toLowerCase().slice(0, 512);
  // A brand's domain spelled out as a path segment: `/paypal.com/` or `/www.paypal.com...`.
  const byDomain = brandsByDomain(ref);
  const segments = lower.split('/');
  for (let i = 1; i < segments.length; i++) {
    const seg = segments[i];
    if (!seg.includes('.')) continue;
    if (i < segments.length - 1) {
      const b = byDomain.get(seg);
      if (b) return toMatch('subdomain', 0, lower, { keyword: seg, brand: b });
    }
    if (seg.startsWith('www.')) {
      // Every prefix of what follows "www." that ends at a dot or at the segment's end.
      const rest = seg.slice(4);
      for (let dot = rest.indexOf('.'); dot >= 0; ) {
        const next = rest.indexOf('.', dot + 1);
        const d = rest.slice(0, next < 0 ? rest.length : next);
        const b = byDomain.get(d);
        if (b) return toMatch('subdomain', 0, lower, { keyword: d, brand: b });
        dot = next;
      }
    }
  }
  const toks = tokens(lower);
  if (!toks.some((t) => PHISHING_WORDS.has(t))) return undefined;
  for (const t of toks) {
    const r = idx.byKeyword.get(t);
    if (r?.brand && !r.weak && t.length >= 4) return toMatch('subdomain', 0, lower, r);
  }
  return undefined;
}
