// Link extraction for a whole message: normalise, de-duplicate, number.

import type { Link, LinkSource, RawLink } from '../../types.js';
import { normaliseLink } from './normalise.js';

export { scanHtml } from './extract-html.js';
export { extractTextLinks } from './extract-text.js';
export { normaliseLink } from './normalise.js';

/** Normalises raw links and drops repeats (same target, display text and source). */
export function collectLinks(raws: RawLink[]): Link[] {
  const seen = new Set<string>();
  const out: Link[] = [];
  for (const raw of raws) {
    const link = normaliseLink(raw, `link:${out.length + 1}`);
    const key = `${link.url}\u0000${link.displayText ?? ''}\u0000${link.source}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(link);
  }
  return out;
}

/** Where a mail client fetches the address by itself (an image, a stylesheet): nobody clicks it or types into it. */
const EMBEDDED_SOURCES: ReadonlySet<LinkSource> = new Set(['html-img', 'html-css']);

/**
 * True for an embedded resource rather than a link a person follows. What such an address says about
 * where a click would lead (free hosting, a long tracked address, a brand in the path of a logo) is
 * not evidence: newsletters load their logos from S3 buckets.
 */
export function isEmbeddedResource(link: Pick<Link, 'source'>): boolean {
  return EMBEDDED_SOURCES.has(link.source);
}
