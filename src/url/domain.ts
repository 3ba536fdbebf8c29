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
