import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { htmlToText } from '../../src/message/html-text.js';
import { scanHtml } from '../../src/message/links/extract-html.js';

/** htmlToText's own conversion, with the memo of the last document pushed out first. */
function freshText(html: string): string {
  htmlToText('<p>another document</p>');
  return htmlToText(html);
}

const pieces = fc.constantFrom(
  '<p>',
  '</p>',
  '<div>',
  '</div>',
  '<br>',
  '<ul><li>one</li></ul>',
  '<center>',
  '<pre>x  y</pre>',
  '<svg><text>hidden</text></svg>',
  '<script>var a = "<p>";</script>',
  '<style>p { color: red }</style>',
  '<title>t</title>',
  '<a href="https://a.example/x">click &amp; go</a>',
  '&nbsp;',
  '\t',
  '\n',
  '<td>cell</td>',
  '<head>',
  '</head>',
);

describe('visible text from the link scanner’s pass', () => {
  it('is the text htmlToText works out on its own, so the body needs one parse', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 12 })), { maxLength: 40 }), (parts) => {
        const html = parts.join('');
        scanHtml(html, 'HTML body');
        const remembered = htmlToText(html);
        expect(remembered).toBe(freshText(html));
      }),
      { numRuns: 300 },
    );
  });

  it('reads a simple document as a person sees it', () => {
    const html =
      '<html><head><title>T</title><style>b{}</style></head><body><p>Hello&nbsp; there</p><div>Pay <b>now</b></div><script>x()</script></body></html>';
    scanHtml(html, 'HTML body');
    expect(htmlToText(html)).toBe('Hello there\nPay now');
  });
});
