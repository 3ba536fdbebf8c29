// Features of a message's words for the text classifier. Only the subject and the body text are read:
// no header, so nothing the receiving server added; addresses, links, numbers (so years and dates) and
// the recipient's own name and address become placeholders, so the features do not depend on who
// received the message, nor on when or from which corpus it came.

import { htmlToText } from '../message/html-text.js';
import { FNV_OFFSET, FNV_PRIME, fnvSteps } from './hash.js';

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
/**
 * Parts bounded (RFC 5321 lengths): with `+` a long run of letters costs quadratic time to reject.
 * @internal exported for the equivalence test
 */
export const EMAIL_RE =
  /[a-z0-9._%+-]{1,64}@[a-z0-9.-]{1,253}\.[a-z]{2,63}|[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}\b/gi;
/** EMAIL_RE tried at one position only (sticky). */
const EMAIL_AT_RE = new RegExp(EMAIL_RE.source, 'iy');
/** Longest local part EMAIL_RE takes. */
const MAX_LOCAL_PART = 64;
const MONEY_RE = /[$€£¥₹]/g;
const NUMBER_RE = /\d[\d,.:/-]*/g;
/** A mailing list footer ("____ / Foo-users mailing list / ...listinfo"): it names the list, i.e. the source. */
const LIST_FOOTER_RE = /\n_{10,}\s*\n[^\n]*(?:mailing list|listinfo)[\s\S]*$/i;
/** What LIST_FOOTER_RE cannot match without. */
const LIST_FOOTER_RULE = '\n__________';
const MAY_HAVE_WWW_RE = /www\./i;
const WORD_RE = /\p{L}[\p{L}\p{M}'’]*/gu;
const APOSTROPHE = 0x27;
const RIGHT_QUOTE = 0x2019;

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

/** A character of EMAIL_RE's local part: [a-z0-9._%+-], either case. */
function isLocalPartChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x2e ||
    c === 0x5f ||
    c === 0x25 ||
    c === 0x2b ||
    c === 0x2d
  );
}

/**
 * `s.replace(EMAIL_RE, placeholder)`, with the same result, but the pattern is only tried where a
 * match can start: at the first of the (at most MAX_LOCAL_PART) local-part characters before an "@".
 * Tried everywhere, it costs more than all the other masking together on long text.
 * @internal exported for the equivalence test
 */
export function maskEmails(s: string): string {
  const placeholder = ` ${PLACEHOLDER.email} `;
  let out = '';
  let copied = 0;
  // Where the pattern's own scan would resume: the end of the last match.
  let from = 0;
  let at = s.indexOf('@');
  while (at !== -1) {
    // A match holds one "@", and its local part is the run of local-part characters right before it.
    const floor = Math.max(from, at - MAX_LOCAL_PART);
    let start = at;
    while (start > floor && isLocalPartChar(s.charCodeAt(start - 1))) start--;
    if (start < at) {
      EMAIL_AT_RE.lastIndex = start;
      const m = EMAIL_AT_RE.exec(s);
      if (m) {
        out += s.slice(copied, start) + placeholder;
        copied = from = start + m[0].length;
        at = s.indexOf('@', from);
        continue;
      }
    }
    at = s.indexOf('@', at + 1);
  }
  return copied === 0 ? s : out + s.slice(copied);
}

/** Normalised word sequence of one piece of text. */
export function words(text: string, recipientWords: Set<string>): string[] {
  // NFKC folds lookalike and full-width letters; ASCII is already in that form, so skip the work.
  let s = /[^\x00-\x7f]/.test(text) ? text.normalize('NFKC') : text;
  // Each pattern is tried only when the text holds the characters it cannot match without: the
  // address pattern in particular is slow to reject on long text, and most messages need none of them.
  if (s.includes(LIST_FOOTER_RULE)) s = s.replace(LIST_FOOTER_RE, '\n');
  if (s.includes('>')) s = s.replace(/^[ \t]*(?:>[ \t]?)+/gm, '');
  if (s.includes('://') || MAY_HAVE_WWW_RE.test(s)) s = s.replace(URL_RE, ` ${PLACEHOLDER.url} `);
  if (s.includes('@')) s = maskEmails(s);
  s = s
    .replace(MONEY_RE, ` ${PLACEHOLDER.money} `)
    .replace(NUMBER_RE, ` ${PLACEHOLDER.number} `)
    .toLowerCase();
  const out: string[] = [];
  WORD_RE.lastIndex = 0;
  for (let m = WORD_RE.exec(s); m !== null; m = WORD_RE.exec(s)) {
    let w = m[0];
    const last = w.charCodeAt(w.length - 1);
    if (last === APOSTROPHE || last === RIGHT_QUOTE) w = w.replace(/['’]+$/, '');
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

/** Features as FNV-1a hashes of their names (hash.ts), for scoring without building every name. */
export interface HashedTextFeatures {
  /** fnv1a(name) of each unique feature, in the order of textFeatureNames. */
  hashes: number[];
  /** The name of feature `i`: built only for the few shown as evidence. */
  name(i: number): string;
}

const SUBJECT_STATE = fnvSteps(FNV_OFFSET, 's:');
const WORD_STATE = fnvSteps(FNV_OFFSET, 'w:');
const BIGRAM_STATE = fnvSteps(FNV_OFFSET, 'b:');
const SPACE = 0x20;

/**
 * The features of textFeatureNames, in the same order, as the hashes of their names: the same words,
 * the same hash values, so a model scores them exactly as it scores the names. Word pairs are told
 * apart by word numbers instead of by a "b:one two" string each.
 */
export function hashedTextFeatures(input: TextInput): HashedTextFeatures {
  const recipients = recipientParts(input.recipients);
  const hashes: number[] = [];
  // Per feature: the subject word, or the body word numbers (second is -1 for a single word).
  const subjectWords: string[] = [];
  const first: number[] = [];
  const second: number[] = [];
  const seenSubject = new Set<string>();
  for (const w of words(input.subject ?? '', recipients)) {
    if (seenSubject.has(w)) continue;
    seenSubject.add(w);
    hashes.push(fnvSteps(SUBJECT_STATE, w) >>> 0);
    subjectWords.push(w);
  }
  const subjectCount = hashes.length;
  const body = words(bodyText(input), recipients);
  const ids = new Map<string, number>();
  const vocabulary: string[] = [];
  const pairState: number[] = [];
  const seq = new Int32Array(body.length);
  for (let i = 0; i < body.length; i++) {
    const w = body[i];
    let id = ids.get(w);
    if (id === undefined) {
      id = vocabulary.length;
      ids.set(w, id);
      vocabulary.push(w);
      pairState.push(Math.imul(fnvSteps(BIGRAM_STATE, w) ^ SPACE, FNV_PRIME));
    }
    seq[i] = id;
  }
  const seenWord = new Uint8Array(vocabulary.length);
  const seenPair = new Set<number>();
  const n = vocabulary.length;
  for (let i = 0; i < body.length; i++) {
    const id = seq[i];
    if (!seenWord[id]) {
      seenWord[id] = 1;
      hashes.push(fnvSteps(WORD_STATE, vocabulary[id]) >>> 0);
      first.push(id);
      second.push(-1);
    }
    if (i + 1 < body.length) {
      const next = seq[i + 1];
      const key = id * n + next;
      if (!seenPair.has(key)) {
        seenPair.add(key);
        hashes.push(fnvSteps(pairState[id], vocabulary[next]) >>> 0);
        first.push(id);
        second.push(next);
      }
    }
  }
  return {
    hashes,
    name(i) {
      if (i < subjectCount) return `s:${subjectWords[i]}`;
      const k = i - subjectCount;
      return second[k] < 0
        ? `w:${vocabulary[first[k]]}`
        : `b:${vocabulary[first[k]]} ${vocabulary[second[k]]}`;
    },
  };
}
