// Registrable-domain helpers (tldts with private suffixes on, so that x.github.io stays x.github.io).

import { parse } from 'tldts';

const OPTS = { allowPrivateDomains: true, extractHostname: true, detectIp: true } as const;

export interface HostInfo {
  host: string;
  /** Registrable domain, e.g. 'example.co.uk'; undefined for IPs and bare suffixes. */
  domain?: string;
  /** Labels below the registrable domain, e.g. 'login.secure' for login.secure.example.com. */
  subdomain: string;
  publicSuffix?: string;
  isIp: boolean;
  /** True when the suffix is a real ICANN or private suffix (not an invented TLD). */
  knownSuffix: boolean;
}

export function hostInfo(hostOrUrl: string): HostInfo {
  const r = parse(hostOrUrl, OPTS);
  return {
    host: (r.hostname ?? hostOrUrl).toLowerCase(),
    domain: r.domain ?? undefined,
    subdomain: r.subdomain ?? '',
    publicSuffix: r.publicSuffix ?? undefined,
    isIp: Boolean(r.isIp),
    knownSuffix: Boolean(r.isIcann || r.isPrivate),
  };
}

/** True when two hosts or URLs share a registrable domain (never for IP addresses or bare suffixes). */
export function sameRegistrableDomain(a: string, b: string): boolean {
  const da = hostInfo(a).domain;
  return da !== undefined && da === hostInfo(b).domain;
}

/** IPv6 loopback, unique-local (fc00::/7) and link-local (fe80::/10) addresses, brackets optional. */
const PRIVATE_IPV6 = /^\[?(?:::1\]?$|f[cd][0-9a-f]{2}:|fe[89ab][0-9a-f]:)/i;

/**
 * Private (RFC 1918), loopback, link-local and "this network" addresses, IPv4 or IPv6: no host on the
 * public internet (no site a scam can serve from, no client a mail server saw from outside).
 */
export function isPrivateIp(host: string): boolean {
  if (PRIVATE_IPV6.test(host)) return true;
  const o = host.split('.').map(Number);
  if (o.length !== 4 || o.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) return false;
  const [a, b] = o;
  return (
    a === 10 ||
    a === 127 ||
    a === 0 ||
    (a === 169 && b === 254) ||
    (a === 192 && b === 168) ||
    (a === 172 && b >= 16 && b <= 31)
  );
}
