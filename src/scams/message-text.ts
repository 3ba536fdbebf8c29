// The text of a message as the scam index sees it: subject plus body, the plain-text part when it
// carries real text, else the HTML part reduced to text. Indexing and lookup both go through here,
// so a scam stored from an .eml matches the same scam checked later.

import { htmlToText } from '../message/html-text.js';
import type { Message } from '../types.js';

export { htmlToText };

/** A plain-text part with fewer words than this ("view this email in your browser") loses to the HTML part. */
const MIN_TEXT_WORDS = 20;

const RUN_RE = /\S+/g;
const LETTER_RE = /\p{L}/u;

/** Whitespace-separated runs with a letter in them, counted up to `limit` (the callers only compare). */
function wordCount(s: string, limit: number): number {
  let n = 0;
  RUN_RE.lastIndex = 0;
  for (let m = RUN_RE.exec(s); m !== null && n < limit; m = RUN_RE.exec(s)) if (LETTER_RE.test(m[0])) n++;
  return n;
}

/** Subject and body text of a message, for fingerprinting and for the side-by-side view. */
export function messageText(message: Pick<Message, 'subject' | 'text' | 'html'>): string {
  let body = message.text?.trim() ?? '';
  if (message.html) {
    const words = wordCount(body, MIN_TEXT_WORDS);
    if (words < MIN_TEXT_WORDS) {
      const fromHtml = htmlToText(message.html);
      if (wordCount(fromHtml, words + 1) > words) body = fromHtml;
    }
  }
  return [message.subject?.trim(), body].filter((s) => s).join('\n');
}

/** Words that identify the recipient (display name, mailbox local part), to be replaced by a placeholder. */
export function recipientWords(message: Pick<Message, 'to' | 'cc'>): string[] {
  const words: string[] = [];
  for (const a of [...(message.to ?? []), ...(message.cc ?? [])].slice(0, 20)) {
    words.push(...a.name.split(/[\s,.]+/));
    const local = a.address.split('@')[0] ?? '';
    words.push(local, ...local.split(/[._+-]+/));
  }
  return words.filter((w) => w.length >= 3);
}
