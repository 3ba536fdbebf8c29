// Fuzzing the parser and the link extractor: any input gives a Message, never a throw or a hang.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanHtml } from '../../src/message/links/extract-html.js';
import { extractTextLinks } from '../../src/message/links/extract-text.js';
import { collectLinks } from '../../src/message/links/index.js';
import { parseMessage } from '../../src/message/parse.js';

const HEADER_BITS = [
  'From: ',
  'To: ',
  'Subject: ',
  'Content-Type: multipart/mixed; boundary="b"',
  'Content-Type: text/html',
  'Content-Transfer-Encoding: base64',
  'Content-Transfer-Encoding: quoted-printable',
  '--b',
  '--b--',
  'Authentication-Results: ',
  'Received: from ',
  '=?UTF-8?B?',
  '?=',
  'Content-Type: message/rfc822',
  '<a href="',
  '">',
  'hxxp://',
  '[.]',
  'https://',
  '\r\n',
  '\r\n\r\n',
  ';',
  '(',
  ')',
  '"',
  '=',
  '%',
  '@',
];
const mailish = fc
  .array(
    fc.oneof(
      fc.constantFrom(...HEADER_BITS),
      fc.string({ maxLength: 20 }),
      fc.string({ unit: 'grapheme', maxLength: 10 }),
    ),
    { maxLength: 80 },
  )
  .map((p) => p.join(''));

describe('fuzz', () => {
  it('parseMessage never throws on mail-like garbage or random bytes', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          mailish.map((s) => new TextEncoder().encode(s)),
          fc.uint8Array({ maxLength: 2000 }),
        ),
        async (bytes) => {
          const m = await parseMessage(bytes, { kind: 'eml' });
          expect(Array.isArray(m.links)).toBe(true);
          expect(typeof m.id).toBe('string');
        },
      ),
      { numRuns: 300, seed: 20261127 },
    );
  });

  it('link extraction never throws and every link normalises', () => {
    fc.assert(
      fc.property(mailish, (s) => {
        const raws = [...extractTextLinks(s, 'text', 't'), ...scanHtml(s, 'h').links];
        for (const l of collectLinks(raws)) expect(typeof l.url).toBe('string');
      }),
      { numRuns: 500, seed: 7 },
    );
  });

  it('stays fast on pathological input', async () => {
    const started = performance.now();
    const nasty = [
      `From: x\r\nSubject: ${'=?UTF-8?Q?a?= '.repeat(20000)}\r\n\r\nx`,
      `Content-Type: text/html\r\n\r\n${'<a href="'.repeat(50000)}`,
      `Content-Type: text/plain\r\n\r\n${'a.'.repeat(200000)}`,
      `Content-Type: multipart/mixed; boundary=b\r\n\r\n${'--b\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n'.repeat(3000)}`,
    ];
    for (const n of nasty) await parseMessage(new TextEncoder().encode(n), { kind: 'eml' });
    // Not a timing assertion of speed, a guard against hangs: seconds, not minutes.
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});
