// The patched decoder setup against postal-mime's own: its setup is captured before the patches are
// installed (each test file runs in its own module graph), then both parse the same messages.

import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import PostalMime from 'postal-mime';
import { describe, expect, it } from 'vitest';
import {
  type DecoderClass,
  decoderSetupMatchesLibrary,
  QP_INITIAL_BUFFER,
  smallQpDecoder,
} from '../../src/message/postal-mime-decoder-setup.js';
import { installPostalMimePatches } from '../../src/message/postal-mime-patches.js';

const esmDir = path.join(path.dirname(createRequire(import.meta.url).resolve('postal-mime')), '..', 'esm');
const load = async <T>(file: string) =>
  ((await import(pathToFileURL(path.join(esmDir, file)).href)) as { default: T }).default;
const MimeNode = await load<{ prototype: Record<string, unknown> }>('mime-node.js');
const classes = {
  passThrough: await load<DecoderClass>('pass-through-decoder.js'),
  base64: await load<DecoderClass>('base64-decoder.js'),
  qp: await load<DecoderClass>('qp-decoder.js'),
};
const ownSetup = MimeNode.prototype.setupContentDecoder;
const matchedBefore = decoderSetupMatchesLibrary(MimeNode.prototype, classes);
expect(await installPostalMimePatches()).toBe(true);
const patchedSetup = MimeNode.prototype.setupContentDecoder;

interface Decoder {
  update(line: Uint8Array): void;
  finalize(): Promise<ArrayBuffer>;
}

async function decode(d: Decoder, lines: Uint8Array[]): Promise<Uint8Array> {
  for (const l of lines) d.update(l);
  return new Uint8Array(await d.finalize());
}

/** The parsed message with ArrayBuffers as byte arrays, with the given decoder setup. */
async function parsed(raw: string, setup: unknown): Promise<unknown> {
  MimeNode.prototype.setupContentDecoder = setup;
  try {
    const email = await PostalMime.parse(Buffer.from(raw), { attachmentEncoding: 'arraybuffer' });
    return JSON.parse(
      JSON.stringify(email, (_k, v) => (v instanceof ArrayBuffer ? [...new Uint8Array(v)] : v)),
    );
  } finally {
    MimeNode.prototype.setupContentDecoder = patchedSetup;
  }
}

describe('postal-mime decoder setup', () => {
  it('is installed for the postal-mime version it was written against', () => {
    expect(matchedBefore).toBe(true);
    expect(patchedSetup).not.toBe(ownSetup);
    expect(decoderSetupMatchesLibrary({ setupContentDecoder: () => undefined }, classes)).toBe(false);
  });

  it('decodes quoted-printable to the same bytes with a small first buffer, across its flushes', async () => {
    const line = fc.oneof(
      fc.string({ unit: fc.constantFrom('a', '=', '3', 'D', 'F', ' ', '\u00e9'), maxLength: 80 }),
      fc.constant(`${'x'.repeat(QP_INITIAL_BUFFER - 3)}=41=42`),
      fc.constant('=C3=A9'.repeat(2000)),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 12 }), async (lines) => {
        const bytes = lines.map((l) => new Uint8Array(Buffer.from(l, 'utf8')));
        const own = await decode(new classes.qp() as Decoder, bytes);
        expect(await decode(smallQpDecoder(classes.qp) as Decoder, bytes)).toEqual(own);
      }),
      { numRuns: 300 },
    );
  });

  it('parses quoted-printable, base64 and plain parts as postal-mime’s own setup does', async () => {
    const big = '=E2=82=AC caf=C3=A9 '.repeat(3000);
    const raw = [
      'Content-Type: multipart/mixed; boundary="b"',
      '',
      '--b',
      'Content-Type: text/plain; charset=utf-8',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      big,
      '--b',
      'Content-Type: text/html; charset=utf-8',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('<p>\ufeffhello \u00e9</p>').toString('base64'),
      '--b',
      'Content-Type: application/octet-stream; name="a.bin"',
      'Content-Transfer-Encoding: BASE64',
      '',
      Buffer.from([0xef, 0xbb, 0xbf, 1, 2, 255]).toString('base64'),
      '--b',
      'Content-Type: text/plain; name="b.txt"',
      'Content-Disposition: attachment',
      '',
      'plain',
      '--b--',
      '',
    ].join('\r\n');
    const own = await parsed(raw, ownSetup);
    expect(await parsed(raw, patchedSetup)).toEqual(own);
    expect((own as { text: string }).text).toContain('€ café');
  });
});
