// Host name → registrable domain, label and suffix, with the Public Suffix List's private section
// on, so `x.github.io` is its own registrable domain and not `github.io` (tldts #511).

import { domainToASCII, domainToUnicode } from 'node:url';
import { parse } from 'tldts';

export interface DomainParts {
  /** Lower-case ASCII host (punycode for IDNs). */
  host: string;
  /** Registrable domain (eTLD+1), e.g. `paypal.com`, `evil.github.io`; undefined for IPs and bare suffixes. */
  registrable?: string;
  /** Registrable domain without its suffix: `paypal` for `paypal.co.uk`. */
  label?: string;
  /** Public suffix: `co.uk`, `github.io`. */
  suffix?: string;
  /** Labels left of the registrable domain: `login.secure` for `login.secure.paypal.com`. */
  subdomain: string;
  isIp: boolean;
  /** True when the suffix comes from the PSL's private section (github.io, map.fastly.net). */
  isPrivateSuffix: boolean;
}

const TLDTS_OPTIONS = { allowPrivateDomains: true, extractHostname: true, validateHostname: false } as const;

/** Splits a host (or a URL) into its parts. Never throws. */
export function splitHost(hostOrUrl: string): DomainParts {
  const r = parse(hostOrUrl.trim().toLowerCase(), TLDTS_OPTIONS);
  const host = (r.hostname ?? '').replace(/\.$/, '');
  return {
    host,
    registrable: r.domain ?? undefined,
    label: r.domainWithoutSuffix ?? undefined,
    suffix: r.publicSuffix ?? undefined,
    subdomain: r.subdomain ?? '',
    isIp: r.isIp === true,
    isPrivateSuffix: r.isPrivate === true,
  };
}

/** Lower-cases, strips a trailing dot and a leading `www.`. */
export function bareHost(host: string): string {
  const h = host.trim().toLowerCase().replace(/\.$/, '');
  return h.startsWith('www.') ? h.slice(4) : h;
}

/** The host's ancestors from itself up to (and including) `stop`: a.b.c.com, b.c.com, c.com. */
export function hostAncestors(host: string, stop: string): string[] {
  const out: string[] = [];
  let h = host;
  for (;;) {
    out.push(h);
    if (h === stop) break;
    const dot = h.indexOf('.');
    if (dot < 0) break;
    h = h.slice(dot + 1);
    if (h.length < stop.length) break;
  }
  return out;
}

/** Unicode form of an ASCII (punycode) host, for display and confusable checks. */
export function toUnicodeHost(host: string): string {
  if (!host.includes('xn--')) return host;
  return domainToUnicode(host) || host;
}

/** ASCII (punycode) form of a possibly Unicode host; '' when it is not a valid host. */
export function toAsciiHost(host: string): string {
  return domainToASCII(host.trim().toLowerCase().replace(/\.$/, ''));
}
