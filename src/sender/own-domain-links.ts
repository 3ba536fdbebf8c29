// "Every link leads to the sender's own domain": what a shop's receipt or a service's password reset
// looks like, and rarely a phish (2% of corpus phishing with links, 14% of ham). A phish that spoofs a
// brand's From address still has to send the reader somewhere else. This damps the text model's
// opinion of the wording (see `logitFrom.dampedBy` in src/verdict/model.ts); it is never evidence of
// safety on its own, and the link engines judge the links as ever.

import { isEmbeddedResource } from '../message/links/index.js';
import type { Finding, Link, Message } from '../types.js';
import { addressDomain, addressOrg, normAddress, orgDomain } from './domains.js';
import type { MakeFinding } from './finding.js';
import { isFreemail } from './freemail.js';

export const OWN_DOMAIN_LINKS_CODE = 'sender.links_on_own_domain';

/** The domain a clickable link leads to (mail for mailto:), or '' when it leads nowhere a domain names. */
function destinationOrg(link: Link): string {
  if (link.scheme === 'mailto') return addressOrg(link.url.slice('mailto:'.length).split('?')[0]);
  if (link.scheme !== 'http' && link.scheme !== 'https') return '';
  return orgDomain(link.hostAscii);
}

export function linksOnOwnDomain(message: Message, finding: MakeFinding, targetId: string): Finding[] {
  const from = normAddress(message.from?.address);
  const fromOrg = addressOrg(from);
  // Anyone can open a free-mail address; a gmail.com sender linking to google.com says nothing.
  if (!fromOrg.includes('.') || isFreemail(addressDomain(from))) return [];
  const clickable = message.links.filter((l) => !isEmbeddedResource(l));
  if (clickable.length === 0 || !clickable.every((l) => destinationOrg(l) === fromOrg)) return [];
  return [
    finding(
      OWN_DOMAIN_LINKS_CODE,
      'info',
      `Every link in the message leads to the sender's own domain, ${fromOrg}.`,
      { fromDomain: fromOrg, links: clickable.length },
      targetId,
    ),
  ];
}
