// Visible text of an HTML document: scripts, styles and comments dropped, block elements turned into
// line breaks so that words on either side do not merge. One converter for every reader of HTML text
// (the scam index and the text classifier), so that they see the same words.

import { Parser } from 'htmlparser2';

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
 * The last conversion, kept because two engines (scam match, text model) convert the same message's
 * HTML one after the other; one entry, so memory stays bounded by one body.
 */
let last: { html: string; length: number; text: string } | undefined;

/** Visible text of an HTML document, with line breaks at block elements. */
export function htmlToText(html: string, maxChars = MAX_HTML_CHARS): string {
  const input = html.length > maxChars ? html.slice(0, maxChars) : html;
  // Two calls that read the same characters of the same HTML get the same text, whatever their limits.
  if (last && last.length === input.length && last.html === html) return last.text;
  const text = convert(input);
  last = { html, length: input.length, text };
  return text;
}

function convert(html: string): string {
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
  parser.write(html);
  parser.end();
  return parts
    .join('')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim();
}
