// The shipped list of free-mail domains (data/sender/freemail.txt, see its README for the source).

import { readFileSync } from 'node:fs';
import { senderDataFile } from './data-path.js';
import { orgDomain } from './domains.js';

let domains: Set<string> | undefined;

export function freemailDomains(): Set<string> {
  if (!domains) {
    domains = new Set(
      readFileSync(senderDataFile('freemail.txt'), 'utf8')
        .split('\n')
        .map((l) => l.trim().toLowerCase())
        .filter((l) => l && !l.startsWith('#')),
    );
  }
  return domains;
}

/** True when the domain (or its registrable domain) is a free-mail provider. */
export function isFreemail(domain: string | undefined): boolean {
  if (!domain) return false;
  const d = domain.toLowerCase();
  const set = freemailDomains();
  return set.has(d) || set.has(orgDomain(d));
}
