import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseMessage } from '../../src/message/parse.js';
import {
  concatChunks,
  decodeBase64Run,
  installPostalMimePatches,
} from '../../src/message/postal-mime-patches.js';

/** postal-mime's own JavaScript base64 decoder, the reference for the native one. */
async function postalMimeDecodeBase64(): Promise<(s: string) => ArrayBuffer> {
  const entry = createRequire(import.meta.url).resolve('postal-mime');
  const file = path.join(path.dirname(entry), '..', 'esm', 'decode-strings.js');
  return ((await import(pathToFileURL(file).href)) as { decodeBase64: (s: string) => ArrayBuffer })
    .decodeBase64;
}

describe('postal-mime chunk joining', () => {
  it('joins chunks to the same bytes as a Blob does', async () => {
    const chunk = fc.oneof(
      fc.constant('\n'), // what the pass-through decoder pushes after every line
      fc.string({ maxLength: 20, unit: 'binary' }),
      fc.string({
        maxLength: 8,
        unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
      }),
      fc.uint8Array({ maxLength: 40 }).map((a) => a.buffer as ArrayBuffer),
      fc
        .tuple(fc.uint8Array({ minLength: 4, maxLength: 40 }), fc.nat(3))
        .map(([a, off]) => new Uint8Array(a.buffer, off, a.length - off)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(chunk, { maxLength: 30 }), async (chunks) => {
        const viaBlob = new Uint8Array(await new Blob(chunks).arrayBuffer());
        expect(new Uint8Array(concatChunks(chunks))).toEqual(viaBlob);
      }),
    );
  });

  it('decodes a run of base64 characters to the same bytes as postal-mime’s own decoder', async () => {
    const reference = await postalMimeDecodeBase64();
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9+/]{0,200}$/), (run) => {
        expect(new Uint8Array(decodeBase64Run(run))).toEqual(new Uint8Array(reference(run)));
      }),
      { numRuns: 1000 },
    );
    // Lengths that leave 1, 2 or 3 characters after the last whole group.
    for (const run of ['Q', 'QU', 'QUI', 'QUJD', 'QUJDR', 'QUJDRA', 'QUJDRE4'])
      expect(new Uint8Array(decodeBase64Run(run))).toEqual(new Uint8Array(reference(run)));
  });

  it('is installed into postal-mime and decodes base64, quoted-printable and 8bit parts', async () => {
    expect(await installPostalMimePatches()).toBe(true);
    const raw = new TextEncoder().encode(
      [
        'From: a@example.org',
        'Subject: parts',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain; charset=utf-8',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'caf=C3=A9 =',
        'soft break',
        '--b',
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: 8bit',
        '',
        '<p>line one</p>',
        '<p>line two</p>',
        '--b',
        'Content-Type: application/octet-stream; name="x.bin"',
        'Content-Disposition: attachment; filename="x.bin"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('hello attachment bytes').toString('base64'),
        '--b--',
        '',
      ].join('\r\n'),
    );
    const m = await parseMessage(raw, { kind: 'eml' });
    expect(m.text).toContain('café soft break');
    expect(m.html).toContain('<p>line one</p>\n<p>line two</p>');
    expect(m.attachments[0].sha256).toBe(
      (await import('node:crypto')).createHash('sha256').update('hello attachment bytes').digest('hex'),
    );
  });
});
