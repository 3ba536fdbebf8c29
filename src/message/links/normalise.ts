// Turns a RawLink into a Link: refang, resolve wrappers, parse, and give the host in Unicode and punycode.
// Pure string work: nothing here resolves or contacts a host.

import { domainToASCII, domainToUnicode } from 'node:url';
import type { Link, RawLink } from '../../types.js';
import { isDefanged, refang } from './refang.js';
import { unwrap } from './unwrap.js';

/** Links longer than this are cut before parsing: nothing legitimate needs more, and URL parsing is linear. */
export const MAX_LINK_LENGTH = 8 * 1024;

/** Adds a scheme to a bare 'www.example.com/...' so that it parses. */
function withScheme(s: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(s)) return s;
  if (s.startsWith('//')) return `http:${s}`;
  return `http://${s}`;
}

export function normaliseLink(raw: RawLink, id: string): Link {
  const original = raw.raw.slice(0, MAX_LINK_LENGTH);
  const trimmed = original.trim().replace(/^<|>$/g, '');
  const defanged = isDefanged(trimmed);
  const refanged = defanged ? refang(trimmed) : trimmed;
  const candidate = withScheme(refanged.replace(/[\s\u0000-\u001f]+/g, ''));
  const { url: target, wrappers } = unwrap(candidate);
  const link: Link = {
    id,
    url: target,
    raw: original,
    source: raw.source,
    location: raw.location,
    wrappers,
    defanged,
    scheme: '',
  };
  if (raw.displayText !== undefined) link.displayText = raw.displayText;
  try {
    const u = new URL(withScheme(target));
    link.scheme = u.protocol.replace(/:$/, '').toLowerCase();
    link.url = u.href;
    if (u.hostname) {
      const host = u.hostname.replace(/\.$/, '').toLowerCase();
      const ascii = host.startsWith('[') ? host : domainToASCII(host) || host;
      link.hostAscii = ascii;
      link.hostUnicode = host.startsWith('[') ? host : domainToUnicode(ascii) || ascii;
    }
  } catch {
    const m = /^([a-z][a-z0-9+.-]*):/i.exec(target);
    link.scheme = m ? m[1].toLowerCase() : '';
  }
  return link;
}
