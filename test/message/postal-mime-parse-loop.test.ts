// The replacement parse loop against postal-mime's own: its `parse` is captured before the loop is
// installed (each test file runs in its own module graph), then both parse the same messages.

import fc from 'fast-check';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import { installParseLoop, parseLoopMatchesLibrary } from '../../src/message/postal-mime-parse-loop.js';

const proto = PostalMime.prototype as unknown as Record<string, unknown>;
const ownParse = proto.parse as (this: PostalMime, buf: Uint8Array) => Promise<unknown>;
const matchedBefore = parseLoopMatchesLibrary(proto);
const installed = installParseLoop();

const OPTIONS = { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer' } as const;

/** A parse result (or its error) with ArrayBuffers turned into byte arrays, for comparison. */
async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return JSON.parse(
      JSON.stringify(await run(), (_k, v) => (v instanceof ArrayBuffer ? [...new Uint8Array(v)] : v)),
    );
  } catch (err) {
    return { error: (err as Error).message };
  }
}

/** postal-mime's own loop throughout, also for the messages nested in the one given. */
async function viaOwn(raw: Uint8Array, options: object = OPTIONS): Promise<unknown> {
  const loop = proto.parse;
  proto.parse = ownParse;
  try {
    return await outcome(() => new PostalMime(options).parse(raw));
  } finally {
    proto.parse = loop;
  }
}
const viaLoop = (raw: Uint8Array, options: object = OPTIONS) =>
  outcome(() => new PostalMime(options).parse(raw));

/** Lines of a message: headers, boundaries of nested multiparts, near-boundaries, encoded bodies. */
const line = fc.oneof(
  fc.constantFrom(
    'Content-Type: multipart/mixed; boundary="b1"',
    'Content-Type: multipart/alternative; boundary=b2',
    'Content-Type: message/rfc822',
    'Content-Type: text/html; charset=utf-8',
    'Content-Type: application/octet-stream; name="x.bin"',
    'Content-Transfer-Encoding: base64',
    'Content-Transfer-Encoding: quoted-printable',
    'Content-Disposition: attachment; filename="a.txt"',
    'Subject: =?utf-8?q?caf=C3=A9?=',
    'From: A <a@example.org>',
    ' folded continuation',
    '--b1',
    '--b1--',
    '--b2',
    '--b2--  ',
    '--b1x',
    '--',
    '---',
    '-- b1',
    'caf=C3=A9 =',
    'aGVsbG8gd29ybGQ=',
    '<p>hi</p>',
    '',
  ),
  fc.string({ maxLength: 30, unit: fc.constantFrom('a', '-', '=', ' ', '\r', '\t', 'é', 'b', '1', ':') }),
);
const ending = fc.constantFrom('\n', '\r\n', '\r\r\n', '\r');

const message = fc
  .tuple(fc.array(fc.tuple(line, ending), { maxLength: 40 }), fc.boolean())
  .map(([lines, endsWithNewline]) => {
    let text = lines.map(([l, e]) => l + e).join('');
    if (!endsWithNewline) text = text.replace(/[\r\n]+$/, '');
    return new Uint8Array(Buffer.from(text, 'utf8'));
  });

describe('postal-mime parse loop', () => {
  it('is installed for the postal-mime version it was written against', () => {
    expect(matchedBefore).toBe(true);
    expect(installed).toBe(true);
    expect(proto.parse).not.toBe(ownParse);
  });

  it('gives the same result as postal-mime’s own loop on any mix of lines and line endings', async () => {
    await fc.assert(
      fc.asyncProperty(message, async (raw) => {
        expect(await viaLoop(raw)).toEqual(await viaOwn(raw));
      }),
      { numRuns: 500 },
    );
  });

  it('gives the same result on empty input, a lone line and a message with no body', async () => {
    for (const text of ['', 'x', '\n', '\r\n\r\n', 'Subject: a', 'Subject: a\r\n\r\n', 'Subject: a\n\nbody'])
      expect(await viaLoop(Buffer.from(text))).toEqual(await viaOwn(Buffer.from(text)));
  });

  it('fails the same way when the headers are too large or the parser is reused', async () => {
    const big = Buffer.from(`Subject: ${'x'.repeat(200)}\r\n\r\nbody\r\n`);
    const small = { ...OPTIONS, maxHeadersSize: 50 };
    const failed = await viaLoop(big, small);
    expect(failed).toEqual({ error: expect.stringContaining('Maximum header size') });
    expect(failed).toEqual(await viaOwn(big, small));

    const parser = new PostalMime(OPTIONS);
    await parser.parse(Buffer.from('Subject: a\r\n\r\nb'));
    await expect(parser.parse(Buffer.from('x'))).rejects.toThrow('Can not reuse parser');
  });

  it('is left out for code it was not written against', () => {
    const own = { parse: ownParse, processLine: proto.processLine, readLine: proto.readLine };
    expect(parseLoopMatchesLibrary(own)).toBe(true);
    expect(parseLoopMatchesLibrary({ ...own, readLine: () => undefined })).toBe(false);
  });
});
