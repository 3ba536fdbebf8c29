// Visible text of an HTML body, for the text classifier: scripts, styles and comments dropped, block
// elements turned into line breaks so words on either side do not merge.

import { Parser } from 'htmlparser2';

/** Most HTML read; a body padded to many megabytes costs time and says nothing more. */
export const MAX_HTML_CHARS = 500_000;

const SKIP = new Set(['script', 'style', 'head', 'title', 'noscript', 'template']);
const BLOCK = new Set([
  'p',
  'div',
  'br',
  'tr',
  'td',
  'th',
  'li',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'table',
  'hr',
  'blockquote',
  'section',
  'article',
]);

export function htmlToText(html: string): string {
  const parts: string[] = [];
  let skipDepth = 0;
  const parser = new Parser(
    {
      onopentagname(name) {
        if (SKIP.has(name)) skipDepth++;
        if (BLOCK.has(name)) parts.push('\n');
      },
      onclosetag(name) {
        if (SKIP.has(name) && skipDepth > 0) skipDepth--;
        if (BLOCK.has(name)) parts.push('\n');
      },
      ontext(text) {
        if (skipDepth === 0) parts.push(text);
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html.slice(0, MAX_HTML_CHARS));
  parser.end();
  return parts.join('');
}
