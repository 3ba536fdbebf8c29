// Is the sender who they seem to be? Known contacts' names on strangers' addresses, lookalike
// domains, addresses hidden in display names, free-mail "organisations", first contact asking for
// money, and spoofable contact domains. Each finding carries the two sides a person can compare.

import type { Finding, Message, Severity } from '../types.js';
import { brandLinksElsewhere } from './brand-links.js';
import { type ContactBook, isAddress, nameKey } from './contacts.js';
import { addressDomain, addressOrg, normAddress, orgDomain } from './domains.js';
import { findingMaker } from './finding.js';
import { isFreemail } from './freemail.js';
import { isListAddress, isListMail, listDomains } from './lists.js';
import { asksForSomething, findRequests, type RequestHit } from './requests.js';
import type { AuthReport, Contact } from './types.js';

export const IMPERSONATION_ENGINE = 'impersonation';

/** Result of comparing two domains, as the intel lookalike module returns it. */
export interface LookalikeHit {
  kind: string;
  distance: number;
  candidate: string;
  reference: string;
}
export type LookalikeFn = (candidate: string, reference: string) => LookalikeHit | undefined;
export type BrandLookalikeFn = (
  domain: string,
) => (LookalikeHit & { brand: string; officialDomains: string[]; keyword: string }) | undefined;

export interface BrandRef {
  name: string;
  domains: string[];
  keywords: string[];
  commonWord: boolean;
}

/** Contact domains compared per message at most: a store of 100k contacts must not make every check slow. */
export const MAX_CONTACT_DOMAINS_COMPARED = 5000;

export interface ImpersonationEnv {
  book: ContactBook;
  auth?: AuthReport;
  lookalike?: LookalikeFn;
  /** Which brand a domain imitates (the intel lookalike module's brandLookalike). */
  brandLookalike?: BrandLookalikeFn;
  brands?: BrandRef[];
  /** The brand whose official domain this host is, if any. */
  officialBrandOf?: (host: string) => { name: string } | undefined;
  /** Message-IDs among these that the store has seen in the user's threads. */
  knownThreadIds?: (ids: string[]) => string[];
  /** How many thread Message-IDs the store holds; 0 means "no history", so no reply can be called unknown. */
  threadHistory?: number;
}

const finding = findingMaker(IMPERSONATION_ENGINE);

function describe(c: Contact): string {
  return c.name ? `${c.name} <${c.address}>` : c.address;
}

// ───────────── a known contact's name on another address ─────────────

export function contactNameOtherAddress(
  message: Message,
  env: ImpersonationEnv,
  targetId: string,
): Finding[] {
  const from = message.from;
  if (!from?.address) return [];
  const sameName = env.book.withName(from.name);
  if (!sameName.length) return [];
  const addr = normAddress(from.address);
  if (sameName.some((c) => c.address === addr) || env.book.has(addr)) return [];
  // A list that rewrites From to its own address keeps the poster's name: not an impersonation.
  if (isListMail(message) && isListAddress(message, addr)) return [];
  const fromOrg = addressOrg(addr);
  const sameOrg = sameName.filter(
    (c) => addressOrg(c.address) === fromOrg && !isFreemail(addressDomain(c.address)),
  );
  const known = sameOrg[0] ?? sameName[0];
  const severity: Severity = sameOrg.length ? 'low' : 'high';
  const who = known.source === 'self' ? 'you' : `${known.name ?? from.name}, whom you write to,`;
  const text =
    known.source === 'self'
      ? `This uses your own name, ${from.name}, but it came from ${addr}, not your address ${known.address}.`
      : `This looks like ${who} but it came from ${addr}, not ${sameName.map((c) => c.address).join(' or ')}.`;
  return [
    finding(
      'sender.contact_name_other_address',
      severity,
      sameOrg.length
        ? `${text} It is the same organisation (${fromOrg}), perhaps another address of theirs.`
        : text,
      {
        displayName: from.name,
        fromAddress: addr,
        knownAddresses: sameName.map((c) => c.address),
        contactSource: known.source,
        sameOrganisation: sameOrg.length > 0,
        fromIsFreemail: isFreemail(addressDomain(addr)),
      },
      targetId,
    ),
  ];
}

// ───────────── an address inside the display name ─────────────

const ADDRESS_IN_NAME = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;

export function displayNameHasOtherAddress(
  message: Message,
  env: ImpersonationEnv,
  targetId: string,
): Finding[] {
  const from = message.from;
  if (!from?.name || !from.address) return [];
  const addr = normAddress(from.address);
  const shown = [...new Set((from.name.match(ADDRESS_IN_NAME) ?? []).map((a) => a.toLowerCase()))].filter(
    (a) => a !== addr && isAddress(a),
  );
  if (!shown.length) return [];
  const shownOrg = addressOrg(shown[0]);
  const sameOrg = shownOrg === addressOrg(addr);
  const shownIsKnown = env.book.has(shown[0]) || Boolean(env.officialBrandOf?.(addressDomain(shown[0])));
  const severity: Severity = sameOrg ? 'low' : shownIsKnown ? 'high' : 'medium';
  return [
    finding(
      'sender.display_name_has_other_address',
      severity,
      `The sender's name shows the address ${shown[0]}, but the message really came from ${addr}.`,
      {
        displayName: from.name,
        shownAddresses: shown,
        fromAddress: addr,
        sameOrganisation: sameOrg,
        shownIsKnown,
      },
      targetId,
    ),
  ];
}

// ───────────── lookalike domains ─────────────

function bestLookalike(
  domain: string,
  references: Iterable<string>,
  fn: LookalikeFn,
  limit: number,
): LookalikeHit | undefined {
  let best: LookalikeHit | undefined;
  let n = 0;
  for (const ref of references) {
    if (n++ >= limit) break;
    if (ref === domain) continue;
    const hit = fn(domain, ref);
    if (hit && (!best || hit.distance < best.distance)) best = hit;
  }
  return best;
}

export function lookalikeContactDomain(message: Message, env: ImpersonationEnv, targetId: string): Finding[] {
  const addr = normAddress(message.from?.address);
  if (!addr || !env.lookalike) return [];
  const domain = addressDomain(addr);
  const org = addressOrg(addr);
  // A free-mail provider is a real, well-known domain, never an imitation of a contact's.
  if (!org || env.book.orgDomains.has(org) || env.book.has(addr) || isFreemail(domain)) return [];
  const fn = env.lookalike;
  // `acme.zendesk.com` names a contact's company as a tenant of a ticket or mailing service: normal for
  // mail sent on its behalf. Only a sub-host that spells out the whole domain (`acme.com.evil.net`) counts.
  // A combosquat counts only with the contact's name as a separate word (`acme-billing.com`), not buried
  // inside another word (`usachickenmanchester.com` is no imitation of manchester.ac.uk).
  const senderLookalike: LookalikeFn = (c, r) => {
    const h = fn(c, r);
    if (!h) return undefined;
    if (h.kind === 'subdomain' && !c.includes(`${r}.`)) return undefined;
    if (h.kind === 'combosquat' && !orgDomain(c).split('.')[0].split('-').includes(r.split('.')[0]))
      return undefined;
    return h;
  };
  const hit = bestLookalike(
    domain,
    env.book.orgDomains.keys(),
    senderLookalike,
    MAX_CONTACT_DOMAINS_COMPARED,
  );
  if (!hit) return [];
  const people = env.book.orgDomains.get(hit.reference) ?? [];
  const own = people.some((c) => c.source === 'self');
  return [
    finding(
      'sender.lookalike_contact_domain',
      hit.kind === 'combosquat' ? 'medium' : 'high',
      own
        ? `The sender's domain ${domain} looks like your own organisation's domain ${hit.reference}, but is not it.`
        : `The sender's domain ${domain} looks like ${hit.reference}, the domain of ${people
            .slice(0, 2)
            .map(describe)
            .join(' and ')}, whom you write to — but it is a different domain.`,
      {
        fromAddress: addr,
        fromDomain: domain,
        contactDomain: hit.reference,
        lookalike: hit,
        ownOrganisation: own,
      },
      targetId,
    ),
  ];
}

export function lookalikeBrandDomain(message: Message, env: ImpersonationEnv, targetId: string): Finding[] {
  const addr = normAddress(message.from?.address);
  if (!addr || !env.brandLookalike) return [];
  const domain = addressDomain(addr);
  if (isFreemail(domain)) return [];
  const hit = env.brandLookalike(domain);
  if (!hit) return [];
  return [
    finding(
      'sender.lookalike_brand_domain',
      'high',
      `The sender's domain ${domain} looks like ${hit.brand}'s (${hit.officialDomains.slice(0, 2).join(', ') || hit.reference}), but is not one of its domains.`,
      { fromAddress: addr, fromDomain: domain, brand: hit.brand, brandDomain: hit.reference, lookalike: hit },
      targetId,
    ),
  ];
}

// ───────────── free-mail "organisations" ─────────────

const ORG_WORDS =
  /\b(support|team|service|services|security|billing|accounts?|admin|administrator|help ?desk|it department|payroll|finance|accounting|bank|customer care|customer service|notifications?|no-?reply|inc|ltd|llc|gmbh|corp|corporation|company|department|verification|alerts?|center|centre|office|management|mail ?box|webmail|postmaster)\b/i;

function brandClaimed(name: string, brands: BrandRef[]): BrandRef | undefined {
  const key = nameKey(name) || name.toLowerCase();
  const words = ` ${key.replace(/[^\p{L}\p{N}]+/gu, ' ')} `;
  for (const b of brands) {
    const terms = [b.name.toLowerCase(), ...b.keywords.map((k) => k.toLowerCase())].filter(
      (t) => t.length >= 3,
    );
    for (const t of terms) {
      if (!words.includes(` ${t} `)) continue;
      // A brand that is also a common word ("Apple", "Orange") counts only when it is the whole name or comes with an org word.
      if (b.commonWord && words.trim() !== t && !ORG_WORDS.test(name)) continue;
      return b;
    }
  }
  return undefined;
}

export function freemailClaimsOrg(message: Message, env: ImpersonationEnv, targetId: string): Finding[] {
  const from = message.from;
  if (!from?.address || !from.name) return [];
  const domain = addressDomain(from.address);
  if (!isFreemail(domain)) return [];
  const brand = brandClaimed(from.name, env.brands ?? []);
  const orgWord = ORG_WORDS.exec(from.name)?.[0];
  if (!brand && !orgWord) return [];
  const claim = brand ? brand.name : `"${from.name}"`;
  return [
    finding(
      'sender.freemail_claims_org',
      brand ? 'high' : 'medium',
      `The sender calls itself ${claim}, but writes from a free ${domain} address (${normAddress(from.address)}) that anyone can open.`,
      {
        displayName: from.name,
        fromAddress: normAddress(from.address),
        freemailDomain: domain,
        brand: brand?.name,
        orgWord,
      },
      targetId,
    ),
  ];
}

// ───────────── first contact asking for money ─────────────

export function threadIds(message: Message): string[] {
  return [...(message.inReplyTo ? [message.inReplyTo] : []), ...message.references];
}

export function firstContactMoneyRequest(
  message: Message,
  env: ImpersonationEnv,
  targetId: string,
  requests: RequestHit[] = findRequests(message.subject, message.bodyText ?? message.text),
): Finding[] {
  const addr = normAddress(message.from?.address);
  // Without a contact book "never seen before" would be true of everyone: say nothing.
  if (!addr || env.book.size === 0) return [];
  if (env.book.has(addr) || env.book.orgDomains.has(addressOrg(addr))) return [];
  if (env.knownThreadIds?.(threadIds(message)).length) return [];
  if (!asksForSomething(requests)) return [];
  const serious = requests.some((r) => r.kind === 'bank-change' || r.kind === 'gift-cards');
  const asks = requests.filter((r) => r.kind !== 'urgency');
  return [
    finding(
      'sender.first_contact_money_request',
      serious ? 'high' : 'medium',
      `You have never corresponded with ${addr}, yet the message asks for ${asks.map((r) => KIND_WORDS[r.kind]).join(' and ')} ("${asks[0].match}").`,
      { fromAddress: addr, requests, knownContacts: env.book.size },
      targetId,
    ),
  ];
}

const KIND_WORDS: Record<RequestHit['kind'], string> = {
  money: 'a payment',
  credentials: 'your password or login',
  'bank-change': 'a change of bank details',
  'gift-cards': 'gift cards',
  urgency: 'haste',
};

// ───────────── a contact's domain without DMARC, not authenticated ─────────────

export function noDmarcImpersonation(message: Message, env: ImpersonationEnv, targetId: string): Finding[] {
  const addr = normAddress(message.from?.address);
  const auth = env.auth;
  if (!addr || !auth) return [];
  const org = addressOrg(addr);
  const people = env.book.orgDomains.get(org);
  if (!people?.length) return [];
  const unprotected =
    auth.dmarc.result === 'none' || (auth.dmarc.result !== 'pass' && auth.dmarc.policy === 'none');
  if (!unprotected) return [];
  const dkimAligned = auth.dkim.some(
    (d) => d.result === 'pass' && (d.aligned || addressOrg(`x@${d.domain}`) === org),
  );
  const spfDecided = !['not-checked', 'temperror'].includes(auth.spf.result);
  const dkimDecided = auth.dkim.some((d) => !['not-checked', 'temperror'].includes(d.result));
  // Only a check that actually ran and failed to vouch for the sender counts; unknown is not evidence.
  if (dkimAligned || auth.spf.result === 'pass' || (!spfDecided && !dkimDecided)) return [];
  if (isListMail(message) && listDomains(message).includes(org)) return [];
  const own = people.some((c) => c.source === 'self');
  return [
    finding(
      'sender.no_dmarc_impersonation',
      'high',
      `This claims to come from ${org}, ${own ? 'your own organisation' : `the domain of ${describe(people[0])}`}, but ${org} publishes no DMARC protection and nothing proves this message really came from it (SPF ${auth.spf.result}, DKIM ${auth.dkim.map((d) => d.result).join('/')}).`,
      {
        fromAddress: addr,
        domain: org,
        dmarc: auth.dmarc.result,
        dmarcPolicy: auth.dmarc.policy,
        spf: auth.spf.result,
        dkim: auth.dkim.map((d) => ({ domain: d.domain, result: d.result })),
        ownOrganisation: own,
      },
      targetId,
    ),
  ];
}

/** Every impersonation finding for a message (`requests`: what it asks for, when already found). */
export function impersonationFindings(
  message: Message,
  env: ImpersonationEnv,
  targetId: string,
  requests: RequestHit[] = findRequests(message.subject, message.bodyText ?? message.text),
): Finding[] {
  return [
    ...contactNameOtherAddress(message, env, targetId),
    ...displayNameHasOtherAddress(message, env, targetId),
    ...lookalikeContactDomain(message, env, targetId),
    ...lookalikeBrandDomain(message, env, targetId),
    ...brandLinksElsewhere(message, env.officialBrandOf, finding, targetId),
    ...freemailClaimsOrg(message, env, targetId),
    ...firstContactMoneyRequest(message, env, targetId, requests),
    ...noDmarcImpersonation(message, env, targetId),
  ];
}
