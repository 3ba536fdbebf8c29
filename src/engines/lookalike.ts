// Lookalike engine: does this link's domain imitate a brand or a top site? Confusable characters
// (UTS #39), typos and keyboard slips, brand + phishing word (combosquats), the brand's name on
// another TLD, the brand in a sub-host of someone else's or a shared-hosting domain, and, more
// weakly, the brand's domain in the URL path. Evidence names both domains.

import { splitHost } from '../intel/domains.js';
import { type BrandMatch, brandInPath, brandLookalike, PHISHING_WORDS } from '../intel/lookalike.js';
import { officialBrandOf, sharedHostingOf } from '../intel/reference.js';
import { readManifest } from '../intel/snapshot.js';
import { isEmbeddedResource } from '../message/links/index.js';
import type { Engine, EngineOutcome, Finding, Link, Severity, Target } from '../types.js';

export const LOOKALIKE_ENGINE = 'lookalike';

/** An e-mail address in a path or query, raw or percent-encoded. */
const ADDRESS_IN_URL = /[^/?&=#;,\s]+(?:@|%40)[^/?&=#;,\s]+/gi;
const LINK_SCHEMES = new Set(['http', 'https', 'ftp']);

let dataVersion: string | undefined;

function codeOf(m: BrandMatch): string {
  if (m.popular) return m.kind === 'confusable' ? 'lookalike.domain_confusable' : 'lookalike.domain_edit';
  switch (m.kind) {
    case 'confusable':
      return 'lookalike.brand_confusable';
    case 'edit':
    case 'keyboard':
      return 'lookalike.brand_edit';
    case 'tld-swap':
      return 'lookalike.tld_swap';
    case 'combosquat':
      return 'lookalike.combosquat';
    default:
      return 'lookalike.brand_in_subdomain';
  }
}

function severityOf(m: BrandMatch, host: string): Severity {
  if (m.kind === 'confusable')
    return /[^\x00-\x7f]/.test(host) || host.includes('xn--') ? 'critical' : 'high';
  if (m.popular) return 'medium';
  if (m.kind === 'edit' || m.kind === 'keyboard' || m.kind === 'tld-swap') return 'high';
  // `secure-paypal.com`, `paypal.com.verify.net`: the brand next to a phishing word, or its whole
  // domain spelled out, is hardly ever innocent; a bare brand word among others may be (fan sites).
  if (m.keyword.includes('.')) return 'high';
  const parts = splitHost(host);
  const chosen = `${parts.subdomain}.${parts.label ?? ''}`; // what the registrant chose, not the TLD
  return chosen.split(/[^a-z0-9]+/).some((t) => PHISHING_WORDS.has(t)) ? 'high' : 'medium';
}

function how(m: BrandMatch): string {
  switch (m.kind) {
    case 'confusable':
      return 'uses characters that look like the real name';
    case 'keyboard':
      return 'differs by one slip of the keyboard';
    case 'edit':
      return m.distance === 1 ? 'differs by one character' : `differs by ${m.distance} characters`;
    case 'tld-swap':
      return 'has the same name with a different ending';
    case 'combosquat':
      return `adds words to the name "${m.keyword}"`;
    default:
      return `puts "${m.keyword}" in front of someone else's domain`;
  }
}

function toFinding(m: BrandMatch, link: Link, host: string): Finding {
  const who = m.popular ? m.reference : `${m.reference} (${m.brand})`;
  const shown = link.hostUnicode ?? host;
  return {
    code: codeOf(m),
    engine: LOOKALIKE_ENGINE,
    targetId: link.id,
    severity: severityOf(m, shown),
    strength:
      m.kind === 'edit' && m.distance > 1 ? 0.7 : m.kind === 'subdomain' || m.kind === 'combosquat' ? 0.8 : 1,
    message: `${shown} looks like ${who} but is not theirs: it ${how(m)}.`,
    evidence: {
      candidate: shown,
      candidateAscii: host,
      reference: m.reference,
      brand: m.brand,
      officialDomains: m.officialDomains.slice(0, 5),
      kind: m.kind,
      distance: m.distance,
      keyword: m.keyword,
      ...(m.popular ? { popular: true } : {}),
    },
  };
}

export const lookalikeEngine: Engine = {
  name: LOOKALIKE_ENGINE,
  version: '1.0.0',
  kind: 'local',
  targets: ['link'],
  dataVersion() {
    if (!dataVersion) {
      try {
        dataVersion = `brands+popular ${readManifest().version}`;
      } catch {
        return undefined;
      }
    }
    return dataVersion;
  },
  applies: (t: Target) => t.kind === 'link' && LINK_SCHEMES.has(t.link.scheme) && Boolean(t.link.hostAscii),
  analyse(target: Target): EngineOutcome {
    if (target.kind !== 'link' || !target.link.hostAscii) return { status: 'skipped', findings: [] };
    const link = target.link;
    const host = link.hostAscii!.toLowerCase();
    const brand = officialBrandOf(host);
    // A brand's own shared service (sites.google.com, storage.googleapis.com) still hosts anyone's pages.
    const shared = sharedHostingOf(host);
    if (brand && !shared) return { status: 'clean', findings: [], note: `official domain of ${brand.name}` };
    const m = brandLookalike(host);
    if (m) {
      const f = toFinding(m, link, host);
      return { status: f.severity === 'critical' ? 'malicious' : 'suspicious', findings: [f] };
    }
    let rest = '';
    try {
      const u = new URL(link.url);
      // The reader's own address in a link (unsubscribe?email=jo%40gmail.com) names no brand.
      rest = (u.pathname + u.search).replace(ADDRESS_IN_URL, '');
    } catch {
      return { status: 'clean', findings: [] };
    }
    // A brand in the path of an image ("paypal-logo.png") is how newsletters show partners' logos.
    const inPath = isEmbeddedResource(link) ? undefined : brandInPath(rest);
    if (!inPath) return { status: 'clean', findings: [] };
    const f: Finding = {
      code: 'lookalike.brand_in_path',
      engine: LOOKALIKE_ENGINE,
      targetId: link.id,
      severity: 'low',
      strength: 0.5,
      message: `The link names ${inPath.brand} ("${inPath.keyword}") in its path, but goes to ${link.hostUnicode ?? host}, which is not theirs.`,
      evidence: {
        host,
        brand: inPath.brand,
        keyword: inPath.keyword,
        officialDomains: inPath.officialDomains.slice(0, 5),
      },
    };
    return { status: 'clean', findings: [f] };
  },
};
