// The patched base64 decoder against postal-mime's own: captured before the patch is installed (each
// test file runs in its own module graph), then fed the same lines.

import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { installPostalMimePatches } from '../../src/message/postal-mime-patches.js';

interface Decoder {
  update(line: Uint8Array): void;
  finalize(): Promise<ArrayBuffer>;
  maxChunkSize: number;
}

const esmDir = path.join(path.dirname(createRequire(import.meta.url).resolve('postal-mime')), '..', 'esm');
const Base64Decoder = (
  (await import(pathToFileURL(path.join(esmDir, 'base64-decoder.js')).href)) as {
    default: new () => Decoder;
  }
).default;
const proto = Base64Decoder.prototype as unknown as Record<string, unknown>;
const own = Object.fromEntries(
  ['update', 'pushChunk', 'flushRemainder', 'finalize'].map((k) => [k, proto[k]]),
) as Record<string, unknown>;
expect(await installPostalMimePatches()).toBe(true);

/** A decoder that runs postal-mime's own methods, as they were before the patch. */
function reference(): Decoder {
  const d = new Base64Decoder();
  Object.assign(d, own);
  return d;
}

async function decodeLines(d: Decoder, lines: string[], chunk: number): Promise<Uint8Array> {
  d.maxChunkSize = chunk;
  for (const l of lines) d.update(Buffer.from(l, 'latin1'));
  return new Uint8Array(await d.finalize());
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

describe('patched base64 decoder', () => {
  it('is patched in (the prototype no longer has postal-mime’s update)', () => {
    expect(proto.update).not.toBe(own.update);
  });

  it('gives the same bytes as postal-mime’s own for any mix of lines, padding and junk', async () => {
    const plain = fc.string({ unit: fc.constantFrom(...ALPHABET), maxLength: 80 });
    const odd = fc.oneof(
      plain.map((s) => `${s}=`),
      plain.map((s) => `${s}==`),
      fc.string({
        unit: fc.constantFrom(...ALPHABET, '=', ' ', '\t', '-', '_', '*', '\u00e9'),
        maxLength: 40,
      }),
      fc.constant(''),
    );
    const line = fc.oneof({ weight: 4, arbitrary: plain }, { weight: 1, arbitrary: odd });
    await fc.assert(
      fc.asyncProperty(
        fc.array(line, { maxLength: 60 }),
        fc.constantFrom(8, 64, 100 * 1024),
        async (lines, chunk) => {
          const want = await decodeLines(reference(), lines, chunk);
          expect(await decodeLines(new Base64Decoder(), lines, chunk)).toEqual(want);
        },
      ),
      { numRuns: 500 },
    );
  });
});
