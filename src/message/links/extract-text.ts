// Finds links in plain text: ordinary URLs, bare domains, and defanged forms (hxxp://, example[.]com).

import LinkifyIt from 'linkify-it';
import type { LinkSource, RawLink } from '../../types.js';

/** Fuzzy matching (bare 'paypal-login.com') costs ~10× strict matching; beyond this size only strict runs. */
const MAX_FUZZY_TEXT = 256 * 1024;
/** Text beyond this is not searched for links: a scam puts its link early, and the cost must stay bounded. */
const MAX_TEXT_SCAN = 4 * 1024 * 1024;
/** A message with more links than this is reported with the first ones only. */
export const MAX_LINKS_PER_PART = 2000;

// TLDs that phishing uses a lot but linkify-it's fuzzy default list leaves out.
const EXTRA_TLDS = (
  'xyz top club online site info biz live shop app icu vip buzz work link click page ' +
  'store tech space website fun monster cyou rest bar cam support help email life world today ' +
  'digital cloud host ink one services network zip mov'
).split(' ');

function makeLinkify(fuzzy: boolean): LinkifyIt {
  const l = new LinkifyIt({}, { fuzzyLink: fuzzy, fuzzyEmail: false, fuzzyIP: true });
  l.tlds(EXTRA_TLDS, true);
  return l;
}
const fuzzyLinkify = makeLinkify(true);
const strictLinkify = makeLinkify(false);

// Defanged: hxxp(s)://..., or a host with [.] / (.) somewhere, up to whitespace.
const DEFANGED_URL = /\bh(?:xx|XX|\[x\]\[x\]|\[xx\])ps?(?:\[:\]|:)\/\/[^\s<>"']+/g;
const DEFANGED_HOST = /\b[a-z0-9-]+(?:(?:\[\.\]|\(\.\)|\{\.\}|\[dot\])[a-z0-9-]+)+(?:\/[^\s<>"']*)?/gi;
/** A dotted quad and nothing else. */
const BARE_IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/** DEFANGED_HOST cannot match without one of these; a plain scan for them is far cheaper on long text. */
const DEFANGED_DOT = /\[\.\]|\(\.\)|\{\.\}|\[dot\]/i;

export function extractTextLinks(text: string, source: LinkSource, location: string): RawLink[] {
  const scan = text.length > MAX_TEXT_SCAN ? text.slice(0, MAX_TEXT_SCAN) : text;
  const out: RawLink[] = [];
  const push = (raw: string) => {
    if (out.length < MAX_LINKS_PER_PART) out.push({ raw, source, location });
  };
  const urlSpans: [number, number][] = [];
  for (const m of scan.matchAll(DEFANGED_URL)) {
    push(m[0]);
    urlSpans.push([m.index, m.index + m[0].length]);
  }
  if (DEFANGED_DOT.test(scan)) {
    for (const m of scan.matchAll(DEFANGED_HOST)) {
      // A host inside an hxxp:// link was already taken with its link.
      if (!urlSpans.some(([a, b]) => m.index >= a && m.index < b)) push(m[0]);
    }
  }
  const l = scan.length <= MAX_FUZZY_TEXT ? fuzzyLinkify : strictLinkify;
  if (!l.pretest(scan)) return out;
  for (const m of l.match(scan) ?? []) {
    if (m.schema === 'mailto:') continue;
    // "4.1.0.1" or "255.255.255.0" in a sentence is a version or a netmask: mail programs do not make a
    // bare address a link. With a scheme, a port or a path ("10.0.0.1/login") it still is one.
    if (m.schema === '' && BARE_IPV4.test(m.raw)) continue;
    push(m.raw.startsWith('//') ? m.url : m.raw);
  }
  return out;
}
