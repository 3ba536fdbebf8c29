// Domain helpers for sender checks: registrable ("organisational") domains and address parts.

import { getDomain } from 'tldts';

// Private suffixes on: x.github.io and y.herokuapp.com belong to different people (tldts #511).
const TLDTS_OPTIONS = { allowPrivateDomains: true } as const;

/** Lower-cased domain of an address, '' when there is none. */
export function addressDomain(address: string | undefined): string {
  if (!address) return '';
  const at = address.lastIndexOf('@');
  if (at < 0) return '';
  return address
    .slice(at + 1)
    .trim()
    .replace(/^\[|[>\]]+$/g, '')
    .replace(/\.$/, '')
    .toLowerCase();
}

/** Registrable domain (example.co.uk for mail.example.co.uk); the host itself when tldts knows none. */
export function orgDomain(host: string | undefined): string {
  if (!host) return '';
  const h = host.toLowerCase().replace(/\.$/, '');
  return getDomain(h, TLDTS_OPTIONS) ?? h;
}

/** Organisational domain of an address. */
export function addressOrg(address: string | undefined): string {
  return orgDomain(addressDomain(address));
}

/** Normalised address for comparisons: trimmed, lower-cased, angle brackets dropped. */
export function normAddress(address: string | undefined): string {
  return (address ?? '').trim().replace(/^<|>$/g, '').toLowerCase();
}

/** True when `host` is `id`, a subdomain of it, or shares its registrable domain. */
export function sameOrgHost(host: string, id: string): boolean {
  const h = host.toLowerCase();
  const i = id.toLowerCase();
  if (!h || !i) return false;
  if (h === i || h.endsWith(`.${i}`)) return true;
  const ho = orgDomain(h);
  return ho !== '' && ho === orgDomain(i) && ho.includes('.');
}

/** Domain of a Message-ID (`<local@domain>`), '' when it has none. */
export function messageIdDomain(messageId: string | undefined): string {
  if (!messageId) return '';
  const m = /@([^@>\s]+)>?\s*$/.exec(messageId.trim());
  return m ? m[1].toLowerCase().replace(/\.$/, '') : '';
}
