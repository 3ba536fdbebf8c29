// Features of a message's words for the text classifier. Only the subject and the body text are read:
// no header, so nothing the receiving server added; addresses, links, numbers (so years and dates) and
// the recipient's own name and address become placeholders, so the features do not depend on who
// received the message, nor on when or from which corpus it came.

import { htmlToText } from '../message/html-text.js';

/** HTML read for the text classifier; more says nothing more about the wording. */
const MAX_HTML_CHARS = 500_000;

export interface TextInput {
  subject?: string;
  text?: string;
  html?: string;
  /** The recipients (To, Cc): their names and addresses are masked wherever they appear. */
  recipients?: { name?: string; address?: string }[];
}

export interface TextFeature {
  /** 'w:word', 'b:word word' (two in a row) or 's:word' (in the subject). */
  name: string;
  /** The words as shown in evidence. */
  phrase: string;
}

/** Characters of body text read; enough for any real message, and a cap on work for padded ones. */
export const MAX_TEXT_CHARS = 60_000;
/** Longest word kept; longer runs are encoded blobs, not language. */
const MAX_WORD = 25;
/** Recipient name parts shorter than this ("jo") would mask ordinary words. */
const MIN_RECIPIENT_PART = 3;

/** Placeholders standing in for masked spans. */
export const PLACEHOLDER = {
  url: 'urltoken',
  email: 'emailtoken',
  number: 'numtoken',
  money: 'moneytoken',
  recipient: 'recipienttoken',
} as const;

const URL_RE = /\b(?:(?:https?|hxxps?|ftp):\/\/|www\.)[^\s<>"')\]]+/gi;
// Parts bounded (RFC 5321 lengths): with `+` a long run of letters costs quadratic time to reject.
const EMAIL_RE = /[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,253}\.[a-z]{2,63}|[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}\b/gi;
const MONEY_RE = /[$€£¥₹]/g;
const NUMBER_RE = /\d[\d,.:/-]*/g;
/** A mailing list footer ("____ / Foo-users mailing list / ...listinfo"): it names the list, i.e. the source. */
const LIST_FOOTER_RE = /\n_{10,}\s*\n[^\n]*(?:mailing list|listinfo)[\s\S]*$/i;

function recipientParts(recipients: TextInput['recipients']): Set<string> {
  const parts = new Set<string>();
  for (const r of recipients ?? []) {
    const addr = (r.address ?? '').toLowerCase();
    const [local, domain] = addr.split('@');
    const pieces = [
      ...(local ?? '').split(/[^\p{L}\p{N}]+/u),
      ...(domain ?? '').split('.').slice(0, -1),
      ...(r.name ?? '').toLowerCase().split(/[^\p{L}\p{N}]+/u),
    ];
    for (const p of pieces) if (p.length >= MIN_RECIPIENT_PART) parts.add(p);
  }
  return parts;
}

/** The body text a person would read: the plain-text part, else the HTML part's visible text. */
export function bodyText(input: TextInput): string {
  const text = input.text?.trim() ? input.text : input.html ? htmlToText(input.html, MAX_HTML_CHARS) : '';
  return text.slice(0, MAX_TEXT_CHARS);
}

/** Normalised word sequence of one piece of text. */
export function words(text: string, recipientWords: Set<string>): string[] {
  // NFKC folds lookalike and full-width letters; ASCII is already in that form, so skip the work.
  const s = (/[^\x00-\x7f]/.test(text) ? text.normalize('NFKC') : text)
    .replace(LIST_FOOTER_RE, '\n')
    .replace(/^[ \t]*(?:>[ \t]?)+/gm, '')
    .replace(URL_RE, ` ${PLACEHOLDER.url} `)
    .replace(EMAIL_RE, ` ${PLACEHOLDER.email} `)
    .replace(MONEY_RE, ` ${PLACEHOLDER.money} `)
    .replace(NUMBER_RE, ` ${PLACEHOLDER.number} `)
    .toLowerCase();
  const out: string[] = [];
  for (const m of s.matchAll(/\p{L}[\p{L}\p{M}'’]*/gu)) {
    const w = m[0].replace(/['’]+$/, '');
    if (w.length < 2 || w.length > MAX_WORD) continue;
    out.push(recipientWords.has(w) ? PLACEHOLDER.recipient : w);
  }
  return out;
}

/** Unique features of a message (order of first appearance). */
export function textFeatures(input: TextInput): TextFeature[] {
  return textFeatureNames(input).map((name) => ({ name, phrase: phraseOf(name) }));
}

/** The words a feature name stands for ('b:click here' → 'click here'). */
export function phraseOf(name: string): string {
  return name.slice(2);
}

/** Unique feature names of a message (order of first appearance); the fast path the engine uses. */
export function textFeatureNames(input: TextInput): string[] {
  const recipients = recipientParts(input.recipients);
  const seen = new Set<string>();
  for (const w of words(input.subject ?? '', recipients)) seen.add(`s:${w}`);
  const body = words(bodyText(input), recipients);
  for (let i = 0; i < body.length; i++) {
    seen.add(`w:${body[i]}`);
    if (i + 1 < body.length) seen.add(`b:${body[i]} ${body[i + 1]}`);
  }
  return [...seen];
}
