// The text of a message as the scam index sees it: subject plus body, the plain-text part when it
// carries real text, else the HTML part reduced to text. Indexing and lookup both go through here,
// so a scam stored from an .eml matches the same scam checked later.

import { Parser } from 'htmlparser2';
import type { Message } from '../types.js';

/** HTML read per message; a crafted multi-megabyte body must not stall the panel. */
export const MAX_HTML_CHARS = 1_000_000;
/** A plain-text part with fewer words than this ("view this email in your browser") loses to the HTML part. */
const MIN_TEXT_WORDS = 20;

const SKIPPED = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'svg']);
const BLOCKS = new Set([
  'p',
  'div',
  'br',
  'tr',
  'li',
  'ul',
  'ol',
  'table',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'section',
  'article',
  'header',
  'footer',
  'hr',
  'td',
  'th',
  'center',
  'pre',
]);

/** Visible text of an HTML document, with line breaks at block elements. */
export function htmlToText(html: string): string {
  const parts: string[] = [];
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentag(name) {
        if (SKIPPED.has(name)) skipDepth++;
        else if (BLOCKS.has(name)) parts.push('\n');
      },
      onclosetag(name) {
        if (SKIPPED.has(name)) skipDepth = Math.max(0, skipDepth - 1);
        else if (BLOCKS.has(name)) parts.push('\n');
      },
      ontext(text) {
        if (skipDepth === 0) parts.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html);
  parser.end();
  return parts
    .join('')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}

function wordCount(s: string): number {
  return s.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;
}

/** Subject and body text of a message, for fingerprinting and for the side-by-side view. */
export function messageText(message: Pick<Message, 'subject' | 'text' | 'html'>): string {
  let body = message.text?.trim() ?? '';
  if (message.html && wordCount(body) < MIN_TEXT_WORDS) {
    const fromHtml = htmlToText(message.html);
    if (wordCount(fromHtml) > wordCount(body)) body = fromHtml;
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
