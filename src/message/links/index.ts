// Link extraction for a whole message: normalise, de-duplicate, number.

import type { Link, RawLink } from '../../types.js';
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
