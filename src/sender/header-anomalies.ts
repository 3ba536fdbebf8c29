// Header anomalies: From vs Reply-To vs Return-Path vs Message-ID domains, and Received chains
// that do not add up. Many legitimate senders differ here (mail services bounce to their own domain,
// ticket systems set Reply-To), so most findings are weak on their own; the scorer weighs them.

import { mixedScriptWord } from '../message/scripts.js';
import type { Finding, Message, Severity } from '../types.js';
import type { ContactBook } from './contacts.js';
import { addressDomain, addressOrg, messageIdDomain, normAddress, orgDomain } from './domains.js';
import { findingMaker } from './finding.js';
import { isFreemail } from './freemail.js';
import { recoveredFrom, senderView } from './from.js';
import type { LookalikeFn } from './impersonation.js';
import { isListAddress, isListMail } from './lists.js';
import { linksOnOwnDomain } from './own-domain-links.js';

export const HEADER_ENGINE = 'header-anomaly';

/** More Received hops than this is a mail loop or a padded header block. */
export const MAX_PLAUSIBLE_HOPS = 30;
/** Clock skew tolerated between servers before hop dates "going backwards" count as an anomaly. */
export const HOP_SKEW_TOLERANCE_MS = 2 * 60 * 60 * 1000;
/** A Date header this far after the first receipt was set by a sender faking the time. */
export const FUTURE_DATE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

export interface HeaderEnv {
  book?: ContactBook;
  lookalike?: LookalikeFn;
}

const finding = findingMaker(HEADER_ENGINE);

export function replyToDiverges(message: Message, env: HeaderEnv, targetId: string): Finding[] {
  const from = normAddress(message.from?.address);
  if (!from) return [];
  const fromOrg = addressOrg(from);
  // A list that rewrites From to its own address puts the poster in Reply-To (DMARC mitigation).
  if (isListMail(message) && isListAddress(message, from)) return [];
  const fromFree = isFreemail(addressDomain(from));
  const out: Finding[] = [];
  for (const r of message.replyTo) {
    const rt = normAddress(r.address);
    if (!rt || rt === from) continue;
    const rtOrg = addressOrg(rt);
    if (rtOrg === fromOrg && !fromFree) continue;
    if (isListMail(message) && isListAddress(message, rt)) continue;
    if (env.book?.has(rt)) continue;
    const rtFree = isFreemail(addressDomain(rt));
    const look = env.lookalike && rtOrg !== fromOrg ? env.lookalike(rtOrg, fromOrg) : undefined;
    const severity: Severity = look || (rtFree && !fromFree) ? 'high' : 'low';
    const why = look
      ? `, a domain made to look like ${fromOrg}`
      : rtFree && !fromFree
        ? ', a free-mail address anyone can open'
        : '';
    out.push(
      finding(
        'sender.reply_to_diverges',
        severity,
        `Replies would go to ${rt}${why}, not to the sender ${from}.`,
        {
          fromAddress: from,
          replyTo: rt,
          fromDomain: fromOrg,
          replyToDomain: rtOrg,
          replyToFreemail: rtFree,
          lookalike: look,
        },
        targetId,
      ),
    );
    break;
  }
  return out;
}

export function returnPathDiverges(message: Message, targetId: string): Finding[] {
  const from = normAddress(message.from?.address);
  const rp = normAddress(message.returnPath);
  // An empty Return-Path (<>) is a bounce or an auto-reply: nothing to compare.
  if (!from || !rp?.includes('@')) return [];
  const fromOrg = addressOrg(from);
  const rpOrg = addressOrg(rp);
  // Lists bounce to their own domain: expected, not a divergence worth noting.
  if (rpOrg === fromOrg || (isListMail(message) && isListAddress(message, rp))) return [];
  const rpFree = isFreemail(addressDomain(rp));
  const fromFree = isFreemail(addressDomain(from));
  return [
    finding(
      'sender.return_path_diverges',
      rpFree && !fromFree ? 'medium' : 'info',
      `The envelope sender (Return-Path) is ${rp}, another domain than the From address ${from}${
        rpFree && !fromFree ? '; it is a free-mail address' : '; mail services often do this for bounces'
      }.`,
      {
        fromAddress: from,
        returnPath: rp,
        fromDomain: fromOrg,
        returnPathDomain: rpOrg,
        returnPathFreemail: rpFree,
      },
      targetId,
    ),
  ];
}

export function messageIdAnomalies(message: Message, targetId: string): Finding[] {
  const from = normAddress(message.from?.address);
  if (!message.messageId) {
    return [
      finding(
        'header.message_id_missing',
        'low',
        'The message has no Message-ID, which real mail programs always add.',
        {},
        targetId,
      ),
    ];
  }
  const midDomain = messageIdDomain(message.messageId);
  if (!midDomain || !from) return [];
  const midOrg = orgDomain(midDomain);
  const fromOrg = addressOrg(from);
  if (!midOrg.includes('.') || midOrg === fromOrg) return [];
  return [
    finding(
      'header.message_id_domain_mismatch',
      'info',
      `The Message-ID was made at ${midDomain}, not at the sender's domain ${fromOrg}.`,
      { messageId: message.messageId, messageIdDomain: midOrg, fromDomain: fromOrg },
      targetId,
    ),
  ];
}

function parseDate(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s.replace(/\s*\([^)]*\)\s*$/, '').trim());
  return Number.isFinite(t) ? t : undefined;
}

export function receivedChainAnomalies(message: Message, targetId: string): Finding[] {
  const hops = [...message.received].sort((a, b) => a.position - b.position);
  const problems: { kind: string; detail: string }[] = [];
  if (hops.length > MAX_PLAUSIBLE_HOPS) {
    problems.push({
      kind: 'too-many-hops',
      detail: `${hops.length} Received headers (more than ${MAX_PLAUSIBLE_HOPS})`,
    });
  }
  // Top hop is the newest: each lower hop must be no later than the one above it.
  for (let i = 0; i + 1 < hops.length; i++) {
    const newer = parseDate(hops[i].date);
    const older = parseDate(hops[i + 1].date);
    if (newer !== undefined && older !== undefined && older - newer > HOP_SKEW_TOLERANCE_MS) {
      problems.push({
        kind: 'time-goes-backwards',
        detail: `hop ${i + 2} (by ${hops[i + 1].by ?? '?'}) is dated after hop ${i + 1} (by ${hops[i].by ?? '?'}) by ${Math.round((older - newer) / 3_600_000)} h`,
      });
      break;
    }
  }
  const firstReceipt = parseDate(hops[hops.length - 1]?.date);
  const date = parseDate(message.date);
  if (firstReceipt !== undefined && date !== undefined && date - firstReceipt > FUTURE_DATE_TOLERANCE_MS) {
    problems.push({
      kind: 'date-after-receipt',
      detail: `the Date header is ${Math.round((date - firstReceipt) / 86_400_000)} day(s) after the first server received it`,
    });
  }
  if (!problems.length) return [];
  return [
    finding(
      'header.received_chain_anomaly',
      'low',
      `The trail of servers the message passed through does not add up: ${problems.map((p) => p.detail).join('; ')}.`,
      { problems, hops: hops.length },
      targetId,
    ),
  ];
}

export function fromAnomalies(message: Message, targetId: string): Finding[] {
  const froms = message.headers.filter((h) => h.key === 'from');
  const recovered = recoveredFrom(message);
  if (recovered) {
    return [
      finding(
        'header.from_malformed',
        'medium',
        `The From header is malformed ("${froms[0]?.value.slice(0, 120)}"): mail programs may show only "${message.from?.name || recovered.name}" and hide the real address ${recovered.address}.`,
        {
          fromHeader: froms[0]?.value.slice(0, 500),
          shownName: message.from?.name,
          address: recovered.address,
        },
        targetId,
      ),
    ];
  }
  if (!froms.length || !message.from?.address) {
    return [
      finding(
        'header.from_missing',
        'medium',
        'The message has no usable From address.',
        { fromHeaders: froms.length },
        targetId,
      ),
    ];
  }
  if (froms.length > 1) {
    return [
      finding(
        'header.from_multiple',
        'high',
        `The message has ${froms.length} From headers; mail programs may show a different one than was checked.`,
        { values: froms.map((f) => f.value).slice(0, 5) },
        targetId,
      ),
    ];
  }
  return [];
}

/** A subject or sender name with a word written in two alphabets: it looks ordinary and matches no filter. */
export function mixedScriptHeaders(message: Message, targetId: string): Finding[] {
  const fields: [string, string | undefined][] = [
    ['subject', message.subject],
    ["sender's name", message.from?.name],
  ];
  for (const [field, value] of fields) {
    const hit = value ? mixedScriptWord(value) : undefined;
    if (!hit) continue;
    return [
      finding(
        'header.mixed_scripts',
        'medium',
        `The ${field} writes "${hit.word}" with letters from different alphabets (${hit.scripts.join(' and ')}), so it reads as an ordinary word while slipping past filters.`,
        { field, word: hit.word, scripts: hit.scripts },
        targetId,
      ),
    ];
  }
  return [];
}

export function headerAnomalyFindings(original: Message, env: HeaderEnv, targetId: string): Finding[] {
  const message = senderView(original);
  return [
    ...fromAnomalies(original, targetId),
    ...replyToDiverges(message, env, targetId),
    ...returnPathDiverges(message, targetId),
    ...messageIdAnomalies(message, targetId),
    ...receivedChainAnomalies(message, targetId),
    ...mixedScriptHeaders(message, targetId),
    ...linksOnOwnDomain(message, finding, targetId),
  ];
}
