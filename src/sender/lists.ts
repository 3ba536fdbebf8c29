// Recognising mail that legitimately speaks for someone else: mailing lists that rewrite From,
// and the List-* headers that say which list it is.

import { firstHeader } from '../message/headers.js';
import type { Message } from '../types.js';
import { addressOrg, orgDomain } from './domains.js';

/** The list's organisational domains (from List-Id and List-Post), empty when it is no list mail. */
export function listDomains(message: Message): string[] {
  const out = new Set<string>();
  const listId = firstHeader(message.headers, 'list-id');
  if (listId) {
    const m = /<([^>]+)>/.exec(listId) ?? /([a-z0-9.-]+\.[a-z]{2,})\s*$/i.exec(listId);
    if (m) {
      // List-Id is "name.domain" (RFC 2919): the org domain of the whole id is the list host's.
      const d = orgDomain(m[1].replace(/^[^.]+\./, '')) || orgDomain(m[1]);
      if (d) out.add(d);
    }
  }
  const post = firstHeader(message.headers, 'list-post');
  const pm = post ? /mailto:([^>\s,]+)/i.exec(post) : null;
  if (pm) out.add(addressOrg(pm[1]));
  return [...out].filter(Boolean);
}

export function isListMail(message: Message): boolean {
  return (
    Boolean(firstHeader(message.headers, 'list-id')) ||
    Boolean(firstHeader(message.headers, 'list-post')) ||
    /^\s*list\s*$/i.test(firstHeader(message.headers, 'precedence') ?? '')
  );
}

/** True when an address belongs to the list the message came through. */
export function isListAddress(message: Message, address: string | undefined): boolean {
  const org = addressOrg(address);
  return org !== '' && listDomains(message).includes(org);
}
