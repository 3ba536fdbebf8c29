// A message whose From address is a brand's own domain but whose links lead nowhere of the brand's:
// "contato@bradesco.com.br" with a button to a cloud-function page. The From address costs nothing to
// forge; the links are where the reader would go. On the score fit's half of the corpus it fires on
// 5.5% of phishing and 0.3% of spamassassin's ham (company staff writing to mailing lists in 2002).
// Mail services' tracking links count as neither the brand's nor elsewhere: brands send through them.

import { isEmbeddedResource } from '../message/links/index.js';
import type { Finding, Link, Message } from '../types.js';
import { isTrackingHost } from '../url/lists.js';
import { addressDomain, normAddress } from './domains.js';
import type { MakeFinding } from './finding.js';
import { isFreemail } from './freemail.js';

export const BRAND_LINKS_ELSEWHERE_CODE = 'sender.brand_links_elsewhere';

/** Hosts named in the evidence, at most. */
const MAX_HOSTS_SHOWN = 3;

export function brandLinksElsewhere(
  message: Message,
  officialBrandOf: ((host: string) => { name: string } | undefined) | undefined,
  finding: MakeFinding,
  targetId: string,
): Finding[] {
  const from = normAddress(message.from?.address);
  const domain = addressDomain(from);
  // Free-mail providers are brands too (gmail.com is Google's), but anyone can have an address there.
  if (!officialBrandOf || !domain || isFreemail(domain)) return [];
  const brand = officialBrandOf(domain);
  if (!brand) return [];
  const web = message.links.filter(
    (l): l is Link & { hostAscii: string } =>
      !isEmbeddedResource(l) && (l.scheme === 'http' || l.scheme === 'https') && Boolean(l.hostAscii),
  );
  if (web.some((l) => officialBrandOf(l.hostAscii)?.name === brand.name)) return [];
  const elsewhere = [
    ...new Set(web.filter((l) => !isTrackingHost(l.hostAscii)).map((l) => l.hostUnicode ?? l.hostAscii)),
  ];
  if (elsewhere.length === 0) return [];
  const shown = elsewhere.slice(0, MAX_HOSTS_SHOWN);
  return [
    finding(
      BRAND_LINKS_ELSEWHERE_CODE,
      'medium',
      `The message says it is from ${brand.name} (${domain}), but none of its links leads to ${brand.name}'s sites: they go to ${shown.join(', ')}${elsewhere.length > shown.length ? ' and others' : ''}.`,
      { fromAddress: from, fromDomain: domain, brand: brand.name, linkHosts: shown },
      targetId,
    ),
  ];
}
