// Visible text of an HTML document: scripts, styles and comments dropped, block elements turned into
// line breaks so that words on either side do not merge. One converter for every reader of HTML text
// (the scam index and the text classifier), so that they see the same words.

import { Parser } from 'htmlparser2';
import { installHtmlParserPatches } from './htmlparser2-patches.js';
import { collapseToLines } from './whitespace.js';

// The tokenizer's fast paths for text and attribute values (same events, less time).
installHtmlParserPatches();

/** HTML read by default; a body padded to many megabytes costs time and says nothing more. */
export const MAX_HTML_CHARS = 1_000_000;

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

/**
 * The last conversion, kept because several readers (link scan, scam match, text model) want the same
 * message's text one after the other; one entry, so memory stays bounded by one body. `text` may still be
 * the VisibleText it comes from, joined when first asked for: a message whose plain part is read
 * instead never needs it.
 */
let last: { html: string; length: number; text: string | VisibleText } | undefined;

/** Visible text of an HTML document, with line breaks at block elements. */
export function htmlToText(html: string, maxChars = MAX_HTML_CHARS): string {
  const input = html.length > maxChars ? html.slice(0, maxChars) : html;
  // Two calls that read the same characters of the same HTML get the same text, whatever their limits.
  if (last && last.length === input.length && last.html === html) {
    if (typeof last.text !== 'string') last.text = last.text.result();
    return last.text;
  }
  const text = convert(input);
  last = { html, length: input.length, text };
  return text;
}

/**
 * Records the visible text of `html` collected by another pass over the whole document (the link
 * scanner feeds a VisibleText from its own parser), so htmlToText does not parse it again.
 */
export function rememberHtmlText(html: string, visible: VisibleText): void {
  if (html.length <= MAX_HTML_CHARS) last = { html, length: html.length, text: visible };
}

/** Collects the visible text from HTML parser events: scripts and styles skipped, blocks as line breaks. */
export class VisibleText {
  private readonly parts: string[] = [];
  private skipDepth = 0;

  open(name: string): void {
    if (SKIPPED.has(name)) this.skipDepth++;
    else if (BLOCKS.has(name)) this.parts.push('\n');
  }

  close(name: string): void {
    if (SKIPPED.has(name)) this.skipDepth = Math.max(0, this.skipDepth - 1);
    else if (BLOCKS.has(name)) this.parts.push('\n');
  }

  text(text: string): void {
    if (this.skipDepth === 0) this.parts.push(text);
  }

  result(): string {
    return collapseToLines(this.parts.join(''));
  }
}

function convert(html: string): string {
  const visible = new VisibleText();
  const parser = new Parser(
    {
      onopentag: (name) => visible.open(name),
      onclosetag: (name) => visible.close(name),
      ontext: (text) => visible.text(text),
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  return visible.result();
}
